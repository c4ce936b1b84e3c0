import type { DataSource } from 'typeorm';
import { execute, queryOne, queryRows } from '#libs/database';
import { planHouseholds, planUnits, type DistrictPlan } from '#libs/demo-data';
import { applyTerritorySnapshots } from '#libs/territory';
import type { DemoData, DemoDataOptions } from '#libs/platform';
import { seedPhotoCheckIns } from './check-ins.seed.js';
import { seedCollectionRecords } from './collection-records.seed.js';
import { demoMonths, gradeMonth, seedCommitmentLetters, seedInspections, seedResidents } from './evidence.seed.js';

export const householdsDemoData: DemoData = {
  async isEmpty(dataSource) {
    const { count } = await queryOne<{ count: number }>(dataSource, `SELECT count(*)::int AS count FROM household`);
    return count === 0;
  },

  /**
   * Empties every table of households data, including the territory copy (organization's reseed announces the tree
   * again); keeps the grading rules that migrations installed.
   */
  async reset(dataSource) {
    await execute(
      dataSource,
      `
      TRUNCATE household, territory_unit, institution_copy, member_work_unit_copy, work_unit_branch_secretary_copy, work_unit_branch_copy, personal_data_access, outbox_event, processed_event, upload, evaluation_run,
               evaluation_month, monthly_grade, idempotency_record, collection_point, collection_record, collection_import, photo_check_in,
               check_in_quota_flag, holiday_calendar_day, property_responsible_person, objection_window_setting CASCADE`,
    );
    await execute(dataSource, `DELETE FROM grading_rule_set WHERE created_by <> 'migration'`);
  },

  async seed(dataSource: DataSource, plan: DistrictPlan, options: DemoDataOptions) {
    const written = await seedHouseholdRows(dataSource, plan, options.households);
    const points = await seedCollectionPoints(dataSource, plan);
    const calendarDays = await seedHolidayCalendar(dataSource);
    const collection = await seedCollectionRecords(dataSource);
    const residents = await seedResidents(dataSource, plan);
    const letters = await seedCommitmentLetters(dataSource);
    // A test platform chooses its own window (0 days: notices leave as they are made); the demo keeps the default.
    if (options.objectionWindowDays !== undefined) {
      await execute(dataSource, `INSERT INTO objection_window_setting (district_id, days, updated_by) VALUES ($1, $2, 'demo-seed')`, [
        plan.district.id,
        options.objectionWindowDays,
      ]);
    }
    let inspections = 0;
    const months = demoMonths(options.gradedMonths);
    for (const [index, month] of months.entries()) {
      inspections += await seedInspections(dataSource, month, 4, index);
      await gradeMonth(dataSource, plan, month, { closeObjectionWindow: index < months.length - 1 });
    }
    const checkIns = await seedPhotoCheckIns(dataSource);
    return (
      `${written} households, ${residents} residents, ${letters} commitment letters, ${points} collection points, ${calendarDays} days of the 2026 holiday calendar, ${collection.records} collection records (${collection.from} – ${collection.to}), ${inspections} inspections in ${months.length} graded months (${months[0]} – ${months.at(-1)}), ` +
      `${checkIns.checkIns} party members' photo check-ins over 4 weeks (${checkIns.flags} weeks under quota flagged)`
    );
  },
};

/**
 * The territory copy and the households. The copy starts from the snapshots organization's seed announces (version
 * 1), so months can be graded at once; the events, arriving later, find nothing newer to apply. Households are
 * written in batches of 10,000 rows, one INSERT … SELECT FROM unnest per batch; each batch announces its households to
 * enforcement (`households.changed`, 1,000 per event) from the household table's trigger, in the same statement.
 */
export async function seedHouseholdRows(dataSource: DataSource, plan: DistrictPlan, total: number): Promise<number> {
  await applyTerritorySnapshots(
    dataSource,
    planUnits(plan).map((unit) => ({ ...unit, version: 1 })),
  );
  let written = 0;
  for (const batch of planHouseholds(plan, total)) {
    await execute(
      dataSource,
      `INSERT INTO household (id, compound_id, building, unit, room, tenure, floating_population, property_company_id)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[], $5::int[], $6::text[], $7::boolean[], $8::uuid[])`,
      [
        batch.map((h) => h.id),
        batch.map((h) => h.compoundId),
        batch.map((h) => h.building),
        batch.map((h) => h.unit),
        batch.map((h) => h.room),
        batch.map((h) => h.tenure),
        batch.map((h) => h.floatingPopulation),
        batch.map((h) => h.propertyCompanyId),
      ],
    );
    written += batch.length;
  }
  return written;
}

/**
 * The 2026 holiday calendar as the State Council's notice sets it (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆 and the
 * working weekends around them), so the demo's holiday noon openings follow real dates. Later years are the
 * district's to enter (setHolidayCalendar).
 */
export async function seedHolidayCalendar(dataSource: DataSource): Promise<number> {
  const ranges: [string, string, string][] = [
    ['元旦', '2026-01-01', '2026-01-03'],
    ['春节', '2026-02-15', '2026-02-23'],
    ['清明节', '2026-04-04', '2026-04-06'],
    ['劳动节', '2026-05-01', '2026-05-05'],
    ['端午节', '2026-06-19', '2026-06-21'],
    ['中秋节', '2026-09-25', '2026-09-27'],
    ['国庆节', '2026-10-01', '2026-10-07'],
  ];
  const workingWeekends: [string, string][] = [
    ['元旦', '2026-01-04'],
    ['春节', '2026-02-14'],
    ['春节', '2026-02-28'],
    ['劳动节', '2026-05-09'],
    ['国庆节', '2026-09-20'],
    ['国庆节', '2026-10-10'],
  ];
  const rows = await queryRows<{ day: string }>(
    dataSource,
    `INSERT INTO holiday_calendar_day (day, kind, name, updated_by)
     SELECT d::date, 'HOLIDAY', r.name, 'demo-seed' FROM jsonb_to_recordset($1::jsonb) AS r(name text, "from" date, "to" date)
       CROSS JOIN generate_series(r."from", r."to", interval '1 day') AS d
     UNION ALL
     SELECT w.day, 'WORKING_WEEKEND', w.name, 'demo-seed' FROM jsonb_to_recordset($2::jsonb) AS w(name text, day date)
     ON CONFLICT (day) DO NOTHING
     RETURNING day`,
    [
      JSON.stringify(ranges.map(([name, from, to]) => ({ name, from, to }))),
      JSON.stringify(workingWeekends.map(([name, day]) => ({ name, day }))),
    ],
  );
  return rows.length;
}

/**
 * Every compound gets a regular point (定时定点: weekdays 06:30–08:30, weekends 07:00–09:00, daily 18:00–20:00; every
 * third compound, from the first, also opens 11:30–13:00 on public holidays), and each community's first compound a
 * 24-hour late drop-off point (24小时误时投放点). Ids derive from the compound ids, so reseeding gives the same points.
 */
export async function seedCollectionPoints(dataSource: DataSource, plan: DistrictPlan): Promise<number> {
  const firstOfCommunity = plan.communities
    .map((community) => plan.compounds.find((compound) => compound.parentId === community.id))
    .filter((compound) => compound !== undefined);
  const rows = await queryRows<{ id: string }>(
    dataSource,
    `INSERT INTO collection_point (id, compound_id, name, kind, location, waste_streams, schedule, holiday_noon_opens_at, holiday_noon_closes_at, created_by)
     SELECT md5('collection-point:regular:' || c.id)::uuid, c.id, '定时定点投放点', 'REGULAR', c.name || '北门东侧垃圾分类亭',
            ARRAY['KITCHEN', 'RECYCLABLE', 'HAZARDOUS', 'OTHER'],
            '[{"weekdays": [1, 2, 3, 4, 5], "opensAt": "06:30", "closesAt": "08:30"},
              {"weekdays": [6, 7], "opensAt": "07:00", "closesAt": "09:00"},
              {"weekdays": [1, 2, 3, 4, 5, 6, 7], "opensAt": "18:00", "closesAt": "20:00"}]'::jsonb,
            CASE WHEN c.ord % 3 = 1 THEN '11:30' END, CASE WHEN c.ord % 3 = 1 THEN '13:00' END, 'demo-seed'
       FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS c(id, name, ord)
     UNION ALL
     SELECT md5('collection-point:late-drop-off:' || c.id)::uuid, c.id, '24小时误时投放点', 'LATE_DROP_OFF', c.name || '南门误时投放屋',
            ARRAY['KITCHEN', 'OTHER'], '[]'::jsonb, NULL, NULL, 'demo-seed'
       FROM unnest($3::uuid[], $4::text[]) AS c(id, name)
     RETURNING id`,
    [
      plan.compounds.map((c) => c.id),
      plan.compounds.map((c) => c.name),
      firstOfCommunity.map((c) => c.id),
      firstOfCommunity.map((c) => c.name),
    ],
  );
  return rows.length;
}
