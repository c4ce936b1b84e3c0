import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * The duties of the "1" (DOMAIN.md §1), on the duty tables of migration 106 (cadences in `duties/duty-kinds.ts`):
 *
 * - `DISTRICT_SUPERVISION` (区委书记现场督导, monthly): owed by the SECRETARY of the district committee like any post's
 *   duty; a log names a street, community or compound of the district.
 * - `LIAISON_VISIT` (对口联系走访, quarterly): owed by the leader who liaises with a street (`leader_liaison`) on the
 *   quarter's last day. Logs and periods are kept on the street's committee (`party_org_id`), so the street, the
 *   district and the escalation to the district committee read them as they read the street's other duties;
 *   `leader_id` says which leader visited (log) or owed (period). A leader records as their party member, so a log
 *   always has one; a period's leader need not be a party member, so `duty_period.party_member_id` may be NULL there.
 *
 * Periods are now read by the month they end in (a quarter belongs to its last month, when it is closed), hence the
 * index on `period_end`, and the vanguard view sums periods by the month they end in (the same month as before for
 * days and months).
 */
export class AddLeaderDuties1796000000910 implements MigrationInterface {
  name = 'AddLeaderDuties1796000000910';

  async up(runner: QueryRunner): Promise<void> {
    const duty = `CHECK (duty IN ('DISTRICT_SUPERVISION', 'LIAISON_VISIT', 'DOOR_TO_DOOR_EXPLANATION', 'SECTOR_SUPERVISION', 'PATROL'))`;
    await execute(
      runner,
      `
      ALTER TABLE duty_log
        DROP CONSTRAINT duty_log_duty_check,
        ADD CONSTRAINT duty_log_duty_check ${duty},
        ADD COLUMN leader_id uuid REFERENCES leader (id),
        ADD CONSTRAINT duty_log_leader CHECK ((duty = 'LIAISON_VISIT') = (leader_id IS NOT NULL))`,
    );
    await execute(
      runner,
      `
      ALTER TABLE duty_period
        DROP CONSTRAINT duty_period_duty_check,
        ADD CONSTRAINT duty_period_duty_check ${duty},
        DROP CONSTRAINT duty_period_cadence_check,
        ADD CONSTRAINT duty_period_cadence_check CHECK (cadence IN ('DAILY', 'MONTHLY', 'QUARTERLY')),
        ADD COLUMN leader_id uuid REFERENCES leader (id),
        ALTER COLUMN party_member_id DROP NOT NULL,
        ADD CONSTRAINT duty_period_owner CHECK (CASE WHEN duty = 'LIAISON_VISIT' THEN leader_id IS NOT NULL
                                                     ELSE party_member_id IS NOT NULL AND leader_id IS NULL END)`,
    );
    await execute(runner, `CREATE INDEX duty_period_end ON duty_period (period_end, party_org_id)`);
    await execute(runner, `CREATE INDEX duty_period_leader ON duty_period (leader_id, period_start) WHERE leader_id IS NOT NULL`);
    await execute(
      runner,
      `
      CREATE OR REPLACE VIEW member_duty_compliance AS
        SELECT party_member_id,
               date_trunc('month', period_end)::date AS month,
               count(*)::int AS due,
               count(*) FILTER (WHERE status = 'MET')::int AS met
          FROM duty_period
         WHERE party_member_id IS NOT NULL
         GROUP BY party_member_id, date_trunc('month', period_end)::date`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE OR REPLACE VIEW member_duty_compliance AS
        SELECT party_member_id,
               date_trunc('month', period_start)::date AS month,
               count(*)::int AS due,
               count(*) FILTER (WHERE status = 'MET')::int AS met
          FROM duty_period
         GROUP BY party_member_id, date_trunc('month', period_start)::date`,
    );
    await execute(
      runner,
      `DELETE FROM duty_escalation WHERE duty_period_id IN (SELECT id FROM duty_period WHERE duty IN ('DISTRICT_SUPERVISION', 'LIAISON_VISIT'))`,
    );
    await execute(runner, `DELETE FROM duty_period WHERE duty IN ('DISTRICT_SUPERVISION', 'LIAISON_VISIT')`);
    await execute(runner, `DELETE FROM duty_log WHERE duty IN ('DISTRICT_SUPERVISION', 'LIAISON_VISIT')`);
    await execute(runner, `DROP INDEX duty_period_leader`);
    await execute(runner, `DROP INDEX duty_period_end`);
    const duty = `CHECK (duty IN ('DOOR_TO_DOOR_EXPLANATION', 'SECTOR_SUPERVISION', 'PATROL'))`;
    await execute(
      runner,
      `
      ALTER TABLE duty_period
        DROP CONSTRAINT duty_period_owner,
        ALTER COLUMN party_member_id SET NOT NULL,
        DROP COLUMN leader_id,
        DROP CONSTRAINT duty_period_cadence_check,
        ADD CONSTRAINT duty_period_cadence_check CHECK (cadence IN ('DAILY', 'MONTHLY')),
        DROP CONSTRAINT duty_period_duty_check,
        ADD CONSTRAINT duty_period_duty_check ${duty}`,
    );
    await execute(
      runner,
      `
      ALTER TABLE duty_log
        DROP CONSTRAINT duty_log_leader,
        DROP COLUMN leader_id,
        DROP CONSTRAINT duty_log_duty_check,
        ADD CONSTRAINT duty_log_duty_check ${duty}`,
    );
  }
}
