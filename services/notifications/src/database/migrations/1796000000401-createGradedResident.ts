import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * What notifications knows of each month's grades, from households' events: one row per resident and month, with
 * where a notice about them would go (employer or school) and never a name. Notice generation reads it.
 */
export class CreateGradedResident1796000000401 implements MigrationInterface {
  name = 'CreateGradedResident1796000000401';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE graded_resident (
        month           date NOT NULL,
        resident_id     uuid NOT NULL,
        household_id    uuid NOT NULL,
        compound_id     uuid NOT NULL,
        occupation      text NOT NULL,
        institution_id  uuid,
        minor           boolean NOT NULL,
        status          text NOT NULL,
        grade           text,
        previous_grade  text,
        issues          text[] NOT NULL,
        rule_version    integer NOT NULL,
        event_id        uuid NOT NULL,
        event_at        timestamptz NOT NULL,
        PRIMARY KEY (month, resident_id)
      )`,
    );
    await execute(
      runner,
      `CREATE INDEX graded_resident_institution ON graded_resident (institution_id, month) WHERE institution_id IS NOT NULL`,
    );
    await execute(
      runner,
      `
      CREATE TABLE evaluated_month (
        district_id  uuid NOT NULL,
        month        date NOT NULL,
        households   integer NOT NULL,
        graded       integer NOT NULL,
        completed_at timestamptz NOT NULL,
        PRIMARY KEY (district_id, month)
      )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE evaluated_month`);
    await execute(runner, `DROP TABLE graded_resident`);
  }
}
