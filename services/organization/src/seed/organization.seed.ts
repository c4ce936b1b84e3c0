import type { DataSource } from 'typeorm';
import { execute, queryOne, queryRows } from '#libs/database';
import { planUnits, type DistrictPlan } from '#libs/demo-data';
import { EventType, Outbox, type EventPayload, type NewEvent } from '#libs/messaging';
import type { DemoData, DemoDataOptions } from '#libs/platform';
import { ANNOUNCE_ALL_WORK_UNIT_BRANCHES_SQL } from '../party/work-unit-branches-announcement.js';
import { seedPartyStructure } from './party-structure.seed.js';
import { seedVolunteers } from './volunteers.seed.js';
import { seedDuties } from './duties.seed.js';

/** Units per `territory.changed` event when announcing a whole seeded tree. */
const UNITS_PER_EVENT = 500;

export const organizationDemoData: DemoData = {
  async isEmpty(dataSource) {
    const { count } = await queryOne<{ count: number }>(dataSource, `SELECT count(*)::int AS count FROM org_unit`);
    return count === 0;
  },

  async reset(dataSource) {
    await execute(
      dataSource,
      `TRUNCATE volunteer_contest_entry, volunteer_contest_tier, volunteer_contest, volunteer_quiz_answer, volunteer_quiz_question, volunteer_quiz, vanguard_index_month, member_check_in_week, duty_escalation, duty_period, duty_log, idempotency_record, volunteer_day_check_in, volunteer_sign_up, volunteer_activity, volunteer, volunteer_team, leader_liaison, leader, branch_registration, party_org_position, party_member, party_org, institution, org_unit, outbox_event, processed_event, member_household_grade`,
    );
  },

  async seed(dataSource: DataSource, plan: DistrictPlan, options: DemoDataOptions) {
    const units = planUnits(plan);
    await dataSource.transaction(async (manager) => {
      const inserted = await queryRows<EventPayload<EventType.TerritoryChanged>['units'][number]>(
        manager,
        `INSERT INTO org_unit (id, kind, code, name, parent_id, path, version)
         SELECT id, kind, code, name, "parentId", path, 1
           FROM jsonb_to_recordset($1::jsonb)
             AS u(id uuid, kind text, code text, name text, "parentId" uuid, path uuid[])
         RETURNING id, parent_id AS "parentId", kind, code, name, path::text[] AS path, version`,
        [JSON.stringify(units)],
      );
      const institutions = await queryRows<EventPayload<EventType.InstitutionsChanged>['institutions'][number]>(
        manager,
        `INSERT INTO institution (id, kind, name, credit_code, org_unit_id)
         SELECT id, kind, name, "creditCode", "orgUnitId"
           FROM jsonb_to_recordset($1::jsonb) AS i(id uuid, kind text, name text, "creditCode" text, "orgUnitId" uuid)
         RETURNING id, kind, name, version`,
        [JSON.stringify(plan.institutions)],
      );
      const events: NewEvent[] = [{ type: EventType.InstitutionsChanged, payload: { institutions } }];
      for (let i = 0; i < inserted.length; i += UNITS_PER_EVENT) {
        events.push({ type: EventType.TerritoryChanged, payload: { units: inserted.slice(i, i + UNITS_PER_EVENT) } });
      }
      await new Outbox().record(manager, events);
    });
    // The structure first: duties follow from its posts, volunteers' teams belong to its compound branches.
    const party = await seedPartyStructure(dataSource, plan, options.households);
    // households keeps copies of members' work-unit branches and their secretaries (dual supervision of check-ins).
    await execute(dataSource, ANNOUNCE_ALL_WORK_UNIT_BRANCHES_SQL);
    const duties = await seedDuties(dataSource);
    const volunteers = await seedVolunteers(dataSource);
    return (
      `${units.length} org units, ${plan.institutions.length} institutions, ` +
      `${party.orgs} party organisations, ${party.members} party members (${party.registrations} branch registrations), ${party.leaders} leaders; ${duties}; ${volunteers}`
    );
  },
};
