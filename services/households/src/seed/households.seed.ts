import type { DataSource } from 'typeorm';
import { planHouseholds, planUnits, type DistrictPlan } from '#libs/demo-data';
import { applyTerritorySnapshots } from '#libs/territory';
import type { DemoData, DemoDataOptions } from '#libs/platform';
import { demoMonths, gradeMonth, seedCommitmentLetters, seedInspections, seedResidents } from './evidence.seed.js';

export const householdsDemoData: DemoData = {
  async isEmpty(dataSource) {
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM household`);
    return count === 0;
  },

  /**
   * Empties every table of households data, including the territory copy (organization's reseed announces the tree
   * again); keeps the grading rules that migrations installed.
   */
  async reset(dataSource) {
    await dataSource.query(`
      TRUNCATE household, territory_unit, personal_data_access, outbox_event, processed_event, upload, evaluation_run,
               evaluation_month, idempotency_record CASCADE`);
    await dataSource.query(`DELETE FROM grading_rule_set WHERE created_by <> 'migration'`);
  },

  /** Households are written in batches of 10,000 rows, one INSERT … SELECT FROM unnest per batch. */
  async seed(dataSource: DataSource, plan: DistrictPlan, options: DemoDataOptions) {
    // The territory copy starts from the snapshots organization's seed announces (version 1), so the demo months can
    // be graded now; the events, arriving later, find nothing newer to apply.
    await applyTerritorySnapshots(dataSource, planUnits(plan).map((unit) => ({ ...unit, version: 1 })));
    let written = 0;
    for (const batch of planHouseholds(plan, options.households)) {
      await dataSource.query(
        `INSERT INTO household (id, compound_id, building, unit, room, tenure, floating_population, property_company_id)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[], $5::int[], $6::text[], $7::boolean[], $8::uuid[])`,
        [
          batch.map((h) => h.id), batch.map((h) => h.compoundId), batch.map((h) => h.building), batch.map((h) => h.unit),
          batch.map((h) => h.room), batch.map((h) => h.tenure), batch.map((h) => h.floatingPopulation), batch.map((h) => h.propertyCompanyId),
        ],
      );
      written += batch.length;
    }
    const residents = await seedResidents(dataSource, plan);
    const letters = await seedCommitmentLetters(dataSource);
    let inspections = 0;
    for (const [index, month] of demoMonths().entries()) {
      inspections += await seedInspections(dataSource, month, 4, index);
      await gradeMonth(dataSource, plan, month);
    }
    return `${written} households, ${residents} residents, ${letters} commitment letters, ${inspections} inspections in ${demoMonths().join(' and ')} (graded)`;
  },
};
