import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * The district's first grading rules (version 1, for every district until one publishes its own). See
 * `evaluation/grading-rules.ts` for what each field means.
 */
export const DEFAULT_GRADING_RULES = {
  scoreStart: 100,
  resultPenalty: { PASS: 0, MINOR_ISSUE: 5, FAIL: 15 },
  issuePenalty: {
    KITCHEN_WASTE_CONTAMINATED: 3,
    RECYCLABLES_MIXED: 2,
    HAZARDOUS_MISSORTED: 10,
    BAG_DUMPED: 10,
    BAG_NOT_BROKEN: 2,
    OUTSIDE_DROP_OFF_HOURS: 2,
    OTHER: 1,
  },
  thresholds: { QUALIFIED: 85, BASICALLY_QUALIFIED: 60 },
  unqualifiedAtFails: 3,
  capIssues: ['HAZARDOUS_MISSORTED'],
};

export class CreateMonthlyEvaluation1796000000203 implements MigrationInterface {
  name = 'CreateMonthlyEvaluation1796000000203';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE grading_rule_set (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id    uuid,
        version        integer NOT NULL CHECK (version > 0),
        effective_from date NOT NULL CHECK (extract(day FROM effective_from) = 1),
        rules          jsonb NOT NULL,
        description    text NOT NULL,
        created_by     text NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`,
    );
    // district_id NULL is the default every district uses until it publishes rules of its own.
    await execute(
      runner,
      `CREATE UNIQUE INDEX grading_rule_set_version ON grading_rule_set (coalesce(district_id, '00000000-0000-0000-0000-000000000000'::uuid), version)`,
    );
    await execute(
      runner,
      `CREATE UNIQUE INDEX grading_rule_set_month ON grading_rule_set (coalesce(district_id, '00000000-0000-0000-0000-000000000000'::uuid), effective_from)`,
    );
    await execute(
      runner,
      `INSERT INTO grading_rule_set (district_id, version, effective_from, rules, description, created_by)
       VALUES (NULL, 1, '2020-01-01', $1, '一月一评评分规则（第1版）：按检查结果与问题扣分，85分以上合格，60分以上基本合格；当月3次不合格或有害垃圾错投不得评为合格。', 'migration')`,
      [JSON.stringify(DEFAULT_GRADING_RULES)],
    );

    await execute(
      runner,
      `
      CREATE TABLE evaluation_run (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        month                date NOT NULL CHECK (extract(day FROM month) = 1),
        org_unit_id          uuid NOT NULL,
        trigger              text NOT NULL CHECK (trigger IN ('SCHEDULE', 'MANUAL')),
        requested_by         text NOT NULL,
        status               text NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED')),
        total_chunks         integer NOT NULL DEFAULT 0,
        completed_chunks     integer NOT NULL DEFAULT 0,
        households_evaluated integer NOT NULL DEFAULT 0,
        grades_changed       integer NOT NULL DEFAULT 0,
        error                text,
        created_at           timestamptz NOT NULL DEFAULT now(),
        started_at           timestamptz,
        finished_at          timestamptz
      )`,
    );
    await execute(runner, `CREATE INDEX evaluation_run_month ON evaluation_run (month, created_at DESC)`);
    // The scheduler's run for a month and unit exists once, however often its job is delivered.
    await execute(
      runner,
      `CREATE UNIQUE INDEX evaluation_run_scheduled_once ON evaluation_run (month, org_unit_id) WHERE trigger = 'SCHEDULE'`,
    );
    await execute(
      runner,
      `
      -- A chunk is a community (or a compound, when a run covers only one), graded in one transaction.
      CREATE TABLE evaluation_chunk (
        run_id       uuid NOT NULL REFERENCES evaluation_run (id) ON DELETE CASCADE,
        unit_id      uuid NOT NULL,
        status       text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'COMPLETED')),
        households   integer,
        changed      integer,
        completed_at timestamptz,
        PRIMARY KEY (run_id, unit_id)
      )`,
    );

    await execute(
      runner,
      `
      CREATE TABLE monthly_grade (
        month            date NOT NULL,
        -- Grades are history: no foreign key, so a household that leaves the registry keeps its past grades (and
        -- writing half a million grades a month skips half a million key checks).
        household_id     uuid NOT NULL,
        status           text NOT NULL CHECK (status IN ('GRADED', 'NO_EVIDENCE')),
        grade            text CHECK (grade IN ('QUALIFIED', 'BASICALLY_QUALIFIED', 'UNQUALIFIED')),
        score            numeric(5, 1),
        inspection_count integer NOT NULL,
        issues           text[] NOT NULL DEFAULT '{}',
        reasons          jsonb NOT NULL,
        -- No foreign key: rule sets are never deleted, and the check would cost every grade written.
        rule_set_id      uuid NOT NULL,
        rule_version     integer NOT NULL,
        previous_grade   text,
        run_id           uuid NOT NULL,
        computed_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (month, household_id),
        CONSTRAINT monthly_grade_only_graded_has_grade CHECK ((status = 'GRADED') = (grade IS NOT NULL))
      )`,
    );
    await execute(runner, `CREATE INDEX monthly_grade_household ON monthly_grade (household_id, month DESC)`);

    // A month's completion is announced once per district, by the first run that finishes it.
    await execute(
      runner,
      `
      CREATE TABLE evaluation_month (
        district_id  uuid NOT NULL,
        month        date NOT NULL,
        run_id       uuid NOT NULL,
        completed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (district_id, month)
      )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE evaluation_month`);
    await execute(runner, `DROP TABLE monthly_grade`);
    await execute(runner, `DROP TABLE evaluation_chunk`);
    await execute(runner, `DROP TABLE evaluation_run`);
    await execute(runner, `DROP TABLE grading_rule_set`);
  }
}
