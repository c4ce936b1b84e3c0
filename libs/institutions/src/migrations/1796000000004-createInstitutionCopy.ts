import type { MigrationInterface, QueryRunner } from 'typeorm';

/** This service's copy of organization's institutions (id, kind, name), kept current by `institutions.changed`. */
export class CreateInstitutionCopy1796000000004 implements MigrationInterface {
  name = 'CreateInstitutionCopy1796000000004';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE institution_copy (
        id         uuid PRIMARY KEY,
        kind       text NOT NULL,
        name       text NOT NULL,
        version    integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE institution_copy`);
  }
}
