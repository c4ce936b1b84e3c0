import type { DataSource } from 'typeorm';
import { execute, queryOne } from '#libs/database';
import type { DistrictPlan } from '#libs/demo-data';
import type { DemoData, DemoDataOptions } from '#libs/platform';
import { seedCases } from './cases.seed.js';
import { seedJointActions } from './joint-actions.seed.js';
import { seedObservers } from './observers.seed.js';
import { seedReports } from './reports.seed.js';

const YEAR = 2026;
const QUARTERS = [
  ['01-01', '03-31'],
  ['04-01', '06-30'],
  ['07-01', '09-30'],
  ['10-01', '12-31'],
] as const;

export const enforcementDemoData: DemoData = {
  async isEmpty(dataSource) {
    const { count } = await queryOne<{ count: number }>(dataSource, `SELECT count(*)::int AS count FROM campaign`);
    return count === 0;
  },

  async reset(dataSource) {
    await execute(
      dataSource,
      `TRUNCATE campaign, territory_unit, outbox_event, processed_event,
      enforcement_case, case_history, case_follow_up_task, credit_export, credit_export_attempt,
      institution_copy, household_copy, action_finding, bureau_calendar, joint_action_booking, joint_action_revision, joint_action, enforcement_officer, enforcement_team, bureau_remit,
      citizen_report_history, citizen_report, citizen_observer, observer_team, personal_data_access, idempotency_record, property_compound_grades`,
    );
    await execute(dataSource, `DELETE FROM property_assessment_rule_set WHERE created_by <> 'migration'`);
  },

  /**
   * A year of quarterly joint actions for every street, led by the law-enforcement bureau with two partners, and a
   * district-wide 潔美有序 campaign. States follow today's date: past quarters reported, the current one active.
   */
  async seed(dataSource: DataSource, plan: DistrictPlan, options: DemoDataOptions) {
    const departments = plan.institutions.filter((i) => i.kind === 'DEPARTMENT');
    const [lead, ...partners] = departments;
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const rows = [];
    for (const [index, street] of plan.streets.entries()) {
      for (const [q, [from, to]] of QUARTERS.entries()) {
        const startsOn = `${YEAR}-${from}`;
        const endsOn = `${YEAR}-${to}`;
        const state = endsOn < today ? 'REPORTED' : startsOn <= today ? 'ACTIVE' : 'SCHEDULED';
        const bureaus = [lead, partners[(index + q) % partners.length], partners[(index + q + 1) % partners.length]];
        rows.push({
          kind: 'QUARTERLY_JOINT_ACTION',
          name: `${street.name}${YEAR}年第${q + 1}季度管执联动行动`,
          state,
          startsOn,
          endsOn,
          targetUnitIds: [street.id],
          bureauIds: bureaus.map((b) => b.id),
          leadBureauId: lead.id,
        });
      }
    }
    rows.push({
      kind: 'CLEAN_ORDERLY',
      name: `${YEAR}年鄞州区潔美有序行动`,
      state: `${YEAR}-12-31` < today ? 'REPORTED' : 'ACTIVE',
      startsOn: `${YEAR}-03-01`,
      endsOn: `${YEAR}-12-31`,
      targetUnitIds: [plan.district.id],
      bureauIds: departments.slice(0, 4).map((b) => b.id),
      leadBureauId: lead.id,
    });
    await execute(
      dataSource,
      `INSERT INTO campaign (kind, name, state, starts_on, ends_on, target_unit_ids, bureau_ids, lead_bureau_id, created_by)
       SELECT kind, name, state, "startsOn", "endsOn", "targetUnitIds", "bureauIds", "leadBureauId", 'demo-seed'
         FROM jsonb_to_recordset($1::jsonb) AS c(kind text, name text, state text, "startsOn" date, "endsOn" date,
              "targetUnitIds" uuid[], "bureauIds" uuid[], "leadBureauId" uuid)`,
      [JSON.stringify(rows)],
    );
    const cases = await seedCases(dataSource, plan, options.households);
    const jointActions = await seedJointActions(dataSource, plan);
    const reports = await seedReports(dataSource, plan);
    const observers = await seedObservers(dataSource, plan);
    return `${rows.length} campaigns, ${cases}; ${jointActions}; ${reports}; ${observers}`;
  },
};
