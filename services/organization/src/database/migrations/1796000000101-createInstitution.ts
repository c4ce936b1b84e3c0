import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

export class CreateInstitution1796000000101 implements MigrationInterface {
  name = 'CreateInstitution1796000000101';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE institution (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind        text NOT NULL CHECK (kind IN ('EMPLOYER', 'SCHOOL', 'DEPARTMENT', 'PROPERTY_COMPANY', 'MEDIA')),
        name        text NOT NULL,
        credit_code text NOT NULL CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
        org_unit_id uuid NOT NULL REFERENCES org_unit (id),
        created_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT institution_credit_code UNIQUE (credit_code)
      )`,
    );
    await execute(runner, `CREATE INDEX institution_name ON institution (name, id)`);
    await execute(runner, `CREATE INDEX institution_kind ON institution (kind, name, id)`);
    await execute(runner, `CREATE INDEX institution_org_unit ON institution (org_unit_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE institution`);
  }
}
