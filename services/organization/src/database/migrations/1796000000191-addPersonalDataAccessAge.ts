import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addPersonalDataAccessAgeIndex, dropPersonalDataAccessAgeIndex } from '#libs/retention';

/** The index the daily retention job finds old audit rows of unmasked reads by (libs/retention). */
export class AddPersonalDataAccessAge1796000000191 implements MigrationInterface {
  name = 'AddPersonalDataAccessAge1796000000191';

  async up(runner: QueryRunner): Promise<void> {
    await addPersonalDataAccessAgeIndex(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropPersonalDataAccessAgeIndex(runner);
  }
}
