import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';
import { addPersonalDataAccessAgeIndex, dropPersonalDataAccessAgeIndex } from '#libs/retention';

/**
 * Retention of reporters' contact details: `contact_erased_at` marks a closed report whose reporter name, phone and
 * own place description were erased, and a partial index finds the closed reports still to erase by closing time.
 * Also the index the daily retention job finds old audit rows of unmasked reads by.
 */
export class AddReporterContactRetention1796000000391 implements MigrationInterface {
  name = 'AddReporterContactRetention1796000000391';

  async up(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE citizen_report ADD COLUMN contact_erased_at timestamptz`);
    await execute(
      runner,
      `CREATE INDEX citizen_report_contact_to_erase ON citizen_report (closed_at) WHERE closed_at IS NOT NULL AND contact_erased_at IS NULL`,
    );
    await addPersonalDataAccessAgeIndex(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropPersonalDataAccessAgeIndex(runner);
    await execute(runner, `DROP INDEX citizen_report_contact_to_erase`);
    await execute(runner, `ALTER TABLE citizen_report DROP COLUMN contact_erased_at`);
  }
}
