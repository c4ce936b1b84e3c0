import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Residents' objections to a month's grade, and the window in which they may object.
 *
 * - `objection_window_setting`: a district's window in days (0–30); a district without a row uses 7.
 * - `evaluation_month` gains when the month's window closes (fixed when the month is announced, from the district's
 *   setting then) and when it was closed (by the job that announces `objection-window.closed`, once). Months graded
 *   before this migration count as closed long ago: their notices have left.
 * - `grade_objection`: one per household and month (the key decides between two filed at once), with the resident's
 *   statement and, once decided, the secretary's outcome, note and the inspections they set aside.
 * - `inspection.set_aside_at`: an inspection a secretary found mistaken no longer counts towards any grade; it stays
 *   listed (with when, by which objection) as the record of the decision.
 */
export class CreateGradeObjections1796000000500 implements MigrationInterface {
  name = 'CreateGradeObjections1796000000500';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE objection_window_setting (
        district_id uuid PRIMARY KEY,
        days        integer NOT NULL CHECK (days BETWEEN 0 AND 30),
        updated_by  text NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await execute(
      runner,
      `ALTER TABLE evaluation_month ADD COLUMN objection_window_closes_at timestamptz, ADD COLUMN objection_window_closed_at timestamptz`,
    );
    await execute(
      runner,
      `UPDATE evaluation_month SET objection_window_closes_at = completed_at, objection_window_closed_at = completed_at`,
    );
    await execute(runner, `ALTER TABLE evaluation_month ALTER COLUMN objection_window_closes_at SET NOT NULL`);
    // The job looks for windows still open.
    await execute(
      runner,
      `CREATE INDEX evaluation_month_window_open ON evaluation_month (objection_window_closes_at) WHERE objection_window_closed_at IS NULL`,
    );

    await execute(
      runner,
      `
      CREATE TABLE grade_objection (
        id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        household_id          uuid NOT NULL REFERENCES household (id) ON DELETE CASCADE,
        month                 date NOT NULL CHECK (extract(day FROM month) = 1),
        district_id           uuid NOT NULL,
        statement             text NOT NULL CHECK (length(statement) BETWEEN 1 AND 2000),
        filed_by              text NOT NULL,
        filed_at              timestamptz NOT NULL DEFAULT now(),
        grade_objected        text NOT NULL,
        score_objected        numeric(5, 1),
        status                text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'UPHELD', 'CORRECTED')),
        decided_by            text,
        decided_at            timestamptz,
        decision_note         text CHECK (length(decision_note) <= 2000),
        set_aside_inspection_ids uuid[] NOT NULL DEFAULT '{}',
        corrected_grade       text,
        corrected_score       numeric(5, 1),
        corrected_at          timestamptz,
        CONSTRAINT grade_objection_once UNIQUE (household_id, month),
        CONSTRAINT grade_objection_decided CHECK ((status = 'OPEN') = (decided_at IS NULL) AND (status = 'OPEN') = (decided_by IS NULL))
      )`,
    );
    // Secretaries list their territory's objections of a month, open ones first.
    await execute(runner, `CREATE INDEX grade_objection_month ON grade_objection (month, status)`);

    await execute(runner, `ALTER TABLE inspection ADD COLUMN set_aside_at timestamptz, ADD COLUMN set_aside_by_objection uuid`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE inspection DROP COLUMN set_aside_at, DROP COLUMN set_aside_by_objection`);
    await execute(runner, `DROP TABLE grade_objection`);
    await execute(runner, `DROP INDEX evaluation_month_window_open`);
    await execute(runner, `ALTER TABLE evaluation_month DROP COLUMN objection_window_closes_at, DROP COLUMN objection_window_closed_at`);
    await execute(runner, `DROP TABLE objection_window_setting`);
  }
}
