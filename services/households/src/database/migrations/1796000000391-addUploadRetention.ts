import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';
import { addPersonalDataAccessAgeIndex, dropPersonalDataAccessAgeIndex } from '#libs/retention';

/**
 * The indexes the daily retention job finds its rows by: uploads by age (orphaned photos older than the period are
 * deleted) and audit rows of unmasked reads by age.
 */
export class AddUploadRetention1796000000391 implements MigrationInterface {
  name = 'AddUploadRetention1796000000391';

  async up(runner: QueryRunner): Promise<void> {
    await execute(runner, `CREATE INDEX upload_created ON upload (created_at)`);
    await addPersonalDataAccessAgeIndex(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropPersonalDataAccessAgeIndex(runner);
    await execute(runner, `DROP INDEX upload_created`);
  }
}
