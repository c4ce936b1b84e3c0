import { runMigrations } from '#libs/database';
import { DEFAULT_DEMO_GRADED_MONTHS, DEFAULT_DEMO_HOUSEHOLDS, planDistrict } from '#libs/demo-data';
import type { ServiceDefinition, ServiceEnvironment } from '#libs/platform';
import { openServiceDatabase } from './service-database.js';
import { loadAllServices } from './services.js';

export interface SeedOptions {
  households?: number;
  /** Complete months before the current one that are inspected and graded; the demo's year when omitted. */
  gradedMonths?: number;
  /** Delete existing data first; otherwise only empty services are seeded. */
  reset: boolean;
  /** Seed services that are empty (default true); false only migrates. */
  seedEmpty?: boolean;
  env: (service: ServiceDefinition) => ServiceEnvironment;
  log?: (line: string) => void;
}

/**
 * What a command that would seed the demo district says, and exits 2 with, when `NODE_ENV=production`: the demo is
 * made-up households written into a district's real databases (`npm run seed` deletes everything first), so no
 * command writes it there, not even into an empty database. Checked before anything is opened or migrated.
 */
export function refuseDemoDataInProduction(command: string, alternative: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_ENV !== 'production') return;
  console.error(`${command} writes the demo district; it refuses to run with NODE_ENV=production. ${alternative}`);
  process.exit(2);
}

/** Migrates every service's database and writes the demo district where it is missing (or everywhere, on reset). */
export async function migrateAndSeed(options: SeedOptions): Promise<void> {
  const plan = planDistrict();
  const households = options.households ?? DEFAULT_DEMO_HOUSEHOLDS;
  const gradedMonths = options.gradedMonths ?? DEFAULT_DEMO_GRADED_MONTHS;
  const log = options.log ?? console.log;
  const services = await loadAllServices();
  const envs = services.map((service) => options.env(service));
  // The commands refuse first (refuseDemoDataInProduction); this holds for any other caller, before any database is
  // touched, so a production database is never half-seeded.
  if ((options.reset || options.seedEmpty !== false) && envs.some((env) => env.NODE_ENV === 'production'))
    throw new Error('The demo district is never written with NODE_ENV=production');
  for (const [index, service] of services.entries()) {
    const dataSource = await openServiceDatabase(service, envs[index]);
    try {
      const applied = await runMigrations(dataSource);
      if (applied.length > 0) log(`${service.name}: applied ${applied.length} migration(s)`);
      if (options.reset) await service.demoData.reset(dataSource);
      if (options.reset || (options.seedEmpty !== false && (await service.demoData.isEmpty(dataSource)))) {
        const started = Date.now();
        const summary = await service.demoData.seed(dataSource, plan, { households, gradedMonths, districtNoticeRules: true });
        log(`${service.name}: seeded ${summary} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
    } finally {
      await dataSource.destroy();
    }
  }
}
