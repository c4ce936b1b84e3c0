import type { DataSource } from 'typeorm';
import { planHouseholds, type DistrictPlan } from '#libs/demo-data';
import type { DemoData, DemoDataOptions } from '#libs/platform';

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
    return `${written} households`;
  },
};
