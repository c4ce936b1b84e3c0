import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * A work-unit branch's secretary post in households' copy also says which party member holds it, so a secretary who
 * signs in with an account of their own (not their member login) is still refused their own check-in's work-branch
 * review. organization announces every branch again (its migration 950), which fills the column.
 */
export class AddSecretaryMemberToBranchCopies1796000000950 implements MigrationInterface {
  name = 'AddSecretaryMemberToBranchCopies1796000000950';

  async up(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE work_unit_branch_secretary_copy ADD COLUMN party_member_id uuid`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE work_unit_branch_secretary_copy DROP COLUMN party_member_id`);
  }
}
