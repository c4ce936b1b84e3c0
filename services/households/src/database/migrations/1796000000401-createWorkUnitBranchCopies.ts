import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Dual supervision (双重监督): a check-in's work-branch review is given only by the current secretary of the member's
 * own work-unit branch. households keeps the two facts it needs from organization, fed by `work-unit-branches.changed`
 * (ids and dates only, each row applied only when its snapshot is newer):
 * - `member_work_unit_copy`: the work-unit branch of each party member's open WORK_UNIT registration (null: none);
 * - `work_unit_branch_copy`: each work-unit branch's secretary posts, as the accounts (`user_id`) their holders sign in
 *   with, so who is secretary today is judged on the day of the review.
 */
export class CreateWorkUnitBranchCopies1796000000401 implements MigrationInterface {
  name = 'CreateWorkUnitBranchCopies1796000000401';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE member_work_unit_copy (
        party_member_id uuid PRIMARY KEY,
        branch_id       uuid,
        version         bigint NOT NULL,
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await execute(
      runner,
      `
      CREATE TABLE work_unit_branch_copy (
        id          uuid PRIMARY KEY,
        version     bigint NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await execute(
      runner,
      `
      CREATE TABLE work_unit_branch_secretary_copy (
        branch_id  uuid NOT NULL REFERENCES work_unit_branch_copy (id) ON DELETE CASCADE,
        user_id    text NOT NULL,
        starts_on  date NOT NULL,
        ends_on    date,
        PRIMARY KEY (branch_id, starts_on)
      )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE work_unit_branch_secretary_copy, work_unit_branch_copy, member_work_unit_copy`);
  }
}
