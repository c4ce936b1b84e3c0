import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * An Open311 request filed with an institution's API key records that institution (the gateway verified the key
 * and signed the institution in), so staff can tell a registered client's reports from anonymous ones. Null for
 * every other report. No foreign key to institution_copy: the copy follows organization with a delay, and the id
 * comes from a key notifications has just verified.
 */
export class AddReportSubmittingInstitution1796000000350 implements MigrationInterface {
  name = 'AddReportSubmittingInstitution1796000000350';

  async up(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE citizen_report ADD COLUMN submitted_by_institution_id uuid`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE citizen_report DROP COLUMN submitted_by_institution_id`);
  }
}
