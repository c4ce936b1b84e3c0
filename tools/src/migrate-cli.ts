import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { revertMigrations, runMigrations } from '#libs/database';
import { parseServiceEnvironment } from '#libs/platform';
import { openServiceDatabase } from './service-database.js';
import { loadAllServices, loadService } from './services.js';
import { loadLocalEnvironment } from './local-env.js';

/**
 * `npm run migrate [-- --service NAME] [--revert N|all]`: applies pending migrations (the default) or reverts the
 * newest N of each chosen service. Services also migrate themselves on start.
 */
loadLocalEnvironment();
const { values } = parseArgs({ options: { service: { type: 'string' }, revert: { type: 'string' } } });
const services = values.service ? [await loadService(values.service)] : await loadAllServices();
const revert = values.revert === undefined ? 0 : values.revert === 'all' ? Infinity : Number(values.revert);
if (!(revert >= 0)) throw new Error('--revert takes a number or "all"');

for (const service of values.revert ? [...services].reverse() : services) {
  const dataSource = await openServiceDatabase(service, parseServiceEnvironment(service.defaultPort));
  try {
    if (revert > 0) console.log(`${service.name}: reverted ${await revertMigrations(dataSource, revert)} migration(s)`);
    else console.log(`${service.name}: applied ${(await runMigrations(dataSource)).length} migration(s)`);
  } finally {
    await dataSource.destroy();
  }
}
