import 'reflect-metadata';
import { parseServiceEnvironment } from '#libs/platform';
import { migrateAndSeed, refuseDemoDataInProduction } from './seed.js';

/**
 * One-shot setup before the services start (docker compose's `setup`): migrates every database and seeds the demo
 * district into services that are empty. Idempotent; running it again changes nothing. With NODE_ENV=production it
 * refuses, unless told to migrate only (SEED_DEMO_DATA=false): a cluster runs migrate-cli instead.
 */
const seedDemo = process.env.SEED_DEMO_DATA !== 'false';
if (seedDemo) {
  refuseDemoDataInProduction(
    'setup',
    'Set SEED_DEMO_DATA=false to migrate only, or run node dist/tools/src/migrate-cli.js (the migration Job does).',
  );
}
await migrateAndSeed({
  reset: false,
  seedEmpty: seedDemo,
  env: (service) => parseServiceEnvironment(service.defaultPort),
});
