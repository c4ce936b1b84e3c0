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

/** Migrates every service's database and writes the demo district where it is missing (or everywhere, on reset). */
export async function migrateAndSeed(options: SeedOptions): Promise<void> {
  const plan = planDistrict();
  const households = options.households ?? DEFAULT_DEMO_HOUSEHOLDS;
  const gradedMonths = options.gradedMonths ?? DEFAULT_DEMO_GRADED_MONTHS;
  const log = options.log ?? console.log;
  for (const service of await loadAllServices()) {
    const dataSource = await openServiceDatabase(service, options.env(service));
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
