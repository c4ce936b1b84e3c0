import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/** Marks the placeholder views this migration creates, so `down` drops only those. */
const PLACEHOLDER = 'vanguard placeholder';

/**
 * The vanguard index (锋领指数): its inputs, its versioned formula, and the scores.
 *
 * - `member_check_in_week`: each party member's photo check-ins per ISO week, from households'
 *   `party-member-check-ins.summarised` events (a later event for a member and week wins).
 * - `member_duty_compliance` and `member_volunteer_hours`: views owned by the duties (106) and volunteers (107)
 *   migrations. The index reads duty compliance and volunteer hours only through them. Where one does not exist yet it
 *   is created here as an empty placeholder with the same columns; the real one comes from that migration.
 * - `vanguard_formula`: the formula's versions as data, version 1 seeded here (docs/organization.md: "The vanguard index").
 * - `vanguard_index_month`: each member's score of a month with its parts; `vanguard_index_year` the yearly average.
 */
export class CreateVanguardIndex1796000000108 implements MigrationInterface {
  name = 'CreateVanguardIndex1796000000108';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      DO $$
      BEGIN
        -- Placeholder: the real view comes from the duties migration (1796000000106).
        IF NOT EXISTS (SELECT 1 FROM pg_views WHERE schemaname = current_schema() AND viewname = 'member_duty_compliance') THEN
          CREATE VIEW member_duty_compliance (party_member_id, month, due, met) AS SELECT NULL::uuid, NULL::date, 0, 0 WHERE false;
          COMMENT ON VIEW member_duty_compliance IS '${PLACEHOLDER}: the real view comes from the duties migration 1796000000106';
        END IF;
        -- Placeholder: the real view comes from the volunteers migration (1796000000107).
        IF NOT EXISTS (SELECT 1 FROM pg_views WHERE schemaname = current_schema() AND viewname = 'member_volunteer_hours') THEN
          CREATE VIEW member_volunteer_hours (party_member_id, month, hours) AS SELECT NULL::uuid, NULL::date, 0::numeric WHERE false;
          COMMENT ON VIEW member_volunteer_hours IS '${PLACEHOLDER}: the real view comes from the volunteers migration 1796000000107';
        END IF;
      END $$`,
    );

    await execute(
      runner,
      `
      CREATE TABLE member_check_in_week (
        party_member_id  uuid NOT NULL,
        week             date NOT NULL CHECK (extract(isodow FROM week) = 1),
        household_id     uuid NOT NULL,
        submitted        integer NOT NULL CHECK (submitted >= 0),
        approved_by_both integer NOT NULL CHECK (approved_by_both BETWEEN 0 AND submitted),
        quota            integer NOT NULL CHECK (quota > 0),
        -- Met with check-ins approved by both branches (approved_by_both >= quota).
        quota_met        boolean NOT NULL,
        event_at         timestamptz NOT NULL,
        PRIMARY KEY (party_member_id, week)
      )`,
    );
    await execute(runner, `CREATE INDEX member_check_in_week_week ON member_check_in_week (week, party_member_id)`);

    await execute(
      runner,
      `
      CREATE TABLE vanguard_formula (
        version        integer PRIMARY KEY CHECK (version > 0),
        -- First day of the month from which the formula applies; it applies until the next version's month.
        effective_from date NOT NULL UNIQUE CHECK (extract(day FROM effective_from) = 1),
        weights        jsonb NOT NULL,
        description    text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
        created_by     text NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await execute(
      runner,
      `INSERT INTO vanguard_formula (version, effective_from, weights, description, created_by) VALUES (1, '2000-01-01', $1, $2, 'migration')`,
      [
        JSON.stringify({
          householdGrade: { maximum: 30, points: { QUALIFIED: 30, BASICALLY_QUALIFIED: 18, UNQUALIFIED: 0 } },
          checkIns: { maximum: 30 },
          duties: { maximum: 20 },
          volunteerHours: { maximum: 20, fullAtHours: 4 },
        }),
        '锋领指数 v1: 100 points over four parts. Household grade 30 (合格 30, 基本合格 18, 不合格 0, no evidence 0); ' +
          "photo check-ins 30 (share of the month's ISO weeks with the quota met by check-ins approved by both branches); " +
          'duty compliance 20 (met / due; not applicable without duties); volunteer hours 20 (full at 4 hours). ' +
          'Parts not applicable are left out and the score is scaled to 100.',
      ],
    );

    await execute(
      runner,
      `
      CREATE TABLE vanguard_index_month (
        party_member_id uuid NOT NULL REFERENCES party_member (id) ON DELETE CASCADE,
        month           date NOT NULL CHECK (extract(day FROM month) = 1),
        formula_version integer NOT NULL REFERENCES vanguard_formula (version),
        score           numeric(4, 1) NOT NULL CHECK (score BETWEEN 0 AND 100),
        -- [{ part, points, maximum, applicable, inputs }] in the formula's order.
        parts           jsonb NOT NULL,
        computed_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (party_member_id, month)
      )`,
    );
    await execute(runner, `CREATE INDEX vanguard_index_month_ranking ON vanguard_index_month (month, score DESC, party_member_id DESC)`);
    await execute(
      runner,
      `
      CREATE VIEW vanguard_index_year AS
        SELECT party_member_id, extract(year FROM month)::int AS year, round(avg(score), 1) AS score, count(*)::int AS months
          FROM vanguard_index_month GROUP BY party_member_id, extract(year FROM month)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP VIEW vanguard_index_year`);
    await execute(runner, `DROP TABLE vanguard_index_month, vanguard_formula, member_check_in_week`);
    await execute(
      runner,
      `
      DO $$
      BEGIN
        IF obj_description('member_duty_compliance'::regclass, 'pg_class') LIKE '${PLACEHOLDER}%' THEN DROP VIEW member_duty_compliance; END IF;
        IF obj_description('member_volunteer_hours'::regclass, 'pg_class') LIKE '${PLACEHOLDER}%' THEN DROP VIEW member_volunteer_hours; END IF;
      END $$`,
    );
  }
}
