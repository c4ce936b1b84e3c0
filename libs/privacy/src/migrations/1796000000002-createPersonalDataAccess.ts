import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Who read which unmasked personal data, when: kept for the data-protection officer's audits. */
export class CreatePersonalDataAccess1796000000002 implements MigrationInterface {
  name = 'CreatePersonalDataAccess1796000000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE personal_data_access (
        id          bigserial PRIMARY KEY,
        accessed_at timestamptz NOT NULL DEFAULT now(),
        user_id     text NOT NULL,
        roles       text[] NOT NULL,
        request_id  text NOT NULL,
        entity      text NOT NULL,
        entity_ids  uuid[] NOT NULL
      )`);
    await runner.query(`CREATE INDEX personal_data_access_user ON personal_data_access (user_id, accessed_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE personal_data_access`);
  }
}
