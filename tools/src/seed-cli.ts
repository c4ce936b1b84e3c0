import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { parseServiceEnvironment } from '#libs/platform';
import { migrateAndSeed, refuseDemoDataInProduction } from './seed.js';
import { loadLocalEnvironment } from './local-env.js';

/**
 * `npm run seed [-- --households N] [-- --months M]`: replaces every service's data with the demo district (fixed
 * seed, so the same ids and names every time), N households (default 24,000) and M graded months (default 12).
 * Refuses to run in production.
 */
const { values } = parseArgs({ options: { households: { type: 'string' }, months: { type: 'string' } } });
refuseDemoDataInProduction('npm run seed', "It deletes every service's data first; production only migrates (npm run migrate).");
const households = values.households === undefined ? undefined : Number(values.households);
if (households !== undefined && !(Number.isInteger(households) && households >= 0)) {
  console.error('--households takes a whole number');
  process.exit(2);
}
const gradedMonths = values.months === undefined ? undefined : Number(values.months);
if (gradedMonths !== undefined && !(Number.isInteger(gradedMonths) && gradedMonths >= 1 && gradedMonths <= 24)) {
  console.error('--months takes a whole number of months from 1 to 24');
  process.exit(2);
}
loadLocalEnvironment();
await migrateAndSeed({ households, gradedMonths, reset: true, env: (service) => parseServiceEnvironment(service.defaultPort) });
