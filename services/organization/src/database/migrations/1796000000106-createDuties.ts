import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Duty cadences as obligations (DOMAIN.md §1). Duties are not assigned: they follow from SECRETARY posts
 * (`party_org_position`), by the cadence table in `duties/duty-kinds.ts`:
 *
 * - `duty_log`: one duty performed, recorded from the holder's phone: a patrol of the community, a door-to-door visit
 *   in a community or compound of the street, a supervision visit to one of the department's sector units.
 *   `party_org_id` is the post it was performed for; `performed_on` the Shanghai date, which decides the period.
 * - `duty_period`: one closed period of one post's duty (a day of patrol, a month of door-to-door explanation or
 *   supervision), written by the daily check job: who owed it, how many logs it had, MET or MISSED. Unique per post,
 *   duty and period start, so a rerun or redelivered job writes nothing twice. A log recorded late for a closed period
 *   turns a MISSED period MET (`met_late_at`).
 * - `duty_escalation`: every MISSED period once, to the parent party organisation of the post's organisation (the
 *   next level up). It stays when a late log later meets the period; `resolved_at` says when.
 * - `member_duty_compliance`: periods due and met per member and month, for the vanguard index.
 */
export class CreateDuties1796000000106 implements MigrationInterface {
  name = 'CreateDuties1796000000106';

  async up(runner: QueryRunner): Promise<void> {
    const duty = `text NOT NULL CHECK (duty IN ('DOOR_TO_DOOR_EXPLANATION', 'SECTOR_SUPERVISION', 'PATROL'))`;
    await execute(
      runner,
      `
      CREATE TABLE duty_log (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        party_member_id uuid NOT NULL REFERENCES party_member (id),
        party_org_id    uuid NOT NULL REFERENCES party_org (id),
        duty            ${duty},
        performed_at    timestamptz NOT NULL,
        performed_on    date GENERATED ALWAYS AS ((performed_at AT TIME ZONE 'Asia/Shanghai')::date) STORED,
        -- Where: the community or compound visited or patrolled (territorial duties).
        org_unit_id     uuid REFERENCES org_unit (id),
        -- Which sector unit was supervised (SECTOR_SUPERVISION).
        institution_id  uuid REFERENCES institution (id),
        note            text CHECK (length(note) BETWEEN 1 AND 500),
        recorded_by     text NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT duty_log_place CHECK (
          CASE WHEN duty = 'SECTOR_SUPERVISION' THEN institution_id IS NOT NULL AND org_unit_id IS NULL
               ELSE org_unit_id IS NOT NULL AND institution_id IS NULL END)
      )`,
    );
    await execute(runner, `CREATE INDEX duty_log_post ON duty_log (party_org_id, duty, performed_on)`);
    await execute(runner, `CREATE INDEX duty_log_member ON duty_log (party_member_id, performed_at DESC, id)`);

    await execute(
      runner,
      `
      CREATE TABLE duty_period (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        party_member_id uuid NOT NULL REFERENCES party_member (id),
        party_org_id    uuid NOT NULL REFERENCES party_org (id),
        duty            ${duty},
        cadence         text NOT NULL CHECK (cadence IN ('DAILY', 'MONTHLY')),
        period_start    date NOT NULL,
        period_end      date NOT NULL,
        status          text NOT NULL CHECK (status IN ('MET', 'MISSED')),
        logs_count      integer NOT NULL CHECK (logs_count >= 0),
        checked_at      timestamptz NOT NULL,
        -- When a log recorded after the check turned the period from MISSED to MET.
        met_late_at     timestamptz,
        CONSTRAINT duty_period_dates CHECK (period_end >= period_start),
        CONSTRAINT duty_period_status CHECK ((status = 'MET') = (logs_count > 0)),
        -- One closing per post, duty and period: reruns of the check write nothing.
        CONSTRAINT duty_period_once UNIQUE (party_org_id, duty, period_start)
      )`,
    );
    await execute(runner, `CREATE INDEX duty_period_member ON duty_period (party_member_id, period_start)`);
    await execute(runner, `CREATE INDEX duty_period_start ON duty_period (period_start, party_org_id)`);

    await execute(
      runner,
      `
      CREATE TABLE duty_escalation (
        id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        duty_period_id            uuid NOT NULL REFERENCES duty_period (id),
        escalated_to_party_org_id uuid NOT NULL REFERENCES party_org (id),
        -- The post's previous period of this duty was missed too (two in a row).
        repeated                  boolean NOT NULL,
        created_at                timestamptz NOT NULL,
        -- When a late log met the period; the escalation stays as the record of what the level above was told.
        resolved_at               timestamptz,
        CONSTRAINT duty_escalation_once UNIQUE (duty_period_id)
      )`,
    );
    await execute(runner, `CREATE INDEX duty_escalation_to ON duty_escalation (escalated_to_party_org_id, created_at DESC, id)`);

    await execute(
      runner,
      `
      CREATE VIEW member_duty_compliance AS
        SELECT party_member_id,
               date_trunc('month', period_start)::date AS month,
               count(*)::int AS due,
               count(*) FILTER (WHERE status = 'MET')::int AS met
          FROM duty_period
         GROUP BY party_member_id, date_trunc('month', period_start)::date`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP VIEW member_duty_compliance`);
    await execute(runner, `DROP TABLE duty_escalation, duty_period, duty_log`);
  }
}
