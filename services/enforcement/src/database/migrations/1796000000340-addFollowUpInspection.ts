import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * The inspection households reports for a case's follow-up (`case-follow-up.inspected`) is kept on the case's
 * follow-up task, beside the due date it answers: information for the officer, who still decides the follow-up
 * (`recordFollowUp`). Households' own ids and result only; the inspection itself stays in households.
 *
 * The first report wins (households reports a request once, but a case is never re-informed by a late or repeated
 * event): `inspection_id IS NULL` guards the write.
 */
export class AddFollowUpInspection1796000000340 implements MigrationInterface {
  name = 'AddFollowUpInspection1796000000340';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      ALTER TABLE case_follow_up_task
        ADD COLUMN inspection_id     uuid,
        ADD COLUMN inspection_result text CHECK (inspection_result IN ('PASS', 'MINOR_ISSUE', 'FAIL')),
        ADD COLUMN inspected_at      timestamptz,
        ADD COLUMN inspection_reported_at timestamptz,
        ADD CONSTRAINT case_follow_up_inspection CHECK (
          (inspection_id IS NULL) = (inspection_result IS NULL) AND (inspection_id IS NULL) = (inspected_at IS NULL)
          AND (inspection_id IS NULL) = (inspection_reported_at IS NULL))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      ALTER TABLE case_follow_up_task DROP CONSTRAINT case_follow_up_inspection, DROP COLUMN inspection_id, DROP COLUMN inspection_result,
        DROP COLUMN inspected_at, DROP COLUMN inspection_reported_at`,
    );
  }
}
