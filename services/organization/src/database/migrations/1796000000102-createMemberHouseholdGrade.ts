import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/** Each party member's household grade per month, from households' events: an input of the vanguard index. */
export class CreateMemberHouseholdGrade1796000000102 implements MigrationInterface {
  name = 'CreateMemberHouseholdGrade1796000000102';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE member_household_grade (
        party_member_id uuid NOT NULL,
        month           date NOT NULL,
        household_id    uuid NOT NULL,
        status          text NOT NULL,
        grade           text,
        event_at        timestamptz NOT NULL,
        PRIMARY KEY (party_member_id, month)
      )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE member_household_grade`);
  }
}
