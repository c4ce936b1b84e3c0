import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

export class CreateTerritory1796000000100 implements MigrationInterface {
  name = 'CreateTerritory1796000000100';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE org_unit (
        id         uuid PRIMARY KEY,
        kind       text NOT NULL CHECK (kind IN ('DISTRICT', 'STREET', 'COMMUNITY', 'COMPOUND')),
        code       text NOT NULL,
        name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        parent_id  uuid REFERENCES org_unit (id),
        path       uuid[] NOT NULL,
        version    integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT org_unit_code UNIQUE (code),
        CONSTRAINT org_unit_root_is_district CHECK ((parent_id IS NULL) = (kind = 'DISTRICT')),
        CONSTRAINT org_unit_path_ends_with_self CHECK (path[array_upper(path, 1)] = id)
      )`,
    );
    await execute(
      runner,
      `CREATE UNIQUE INDEX org_unit_sibling_name ON org_unit (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), name)`,
    );
    await execute(runner, `CREATE INDEX org_unit_parent ON org_unit (parent_id, code)`);
    await execute(runner, `CREATE INDEX org_unit_kind ON org_unit (kind, code)`);
    await execute(runner, `CREATE INDEX org_unit_path ON org_unit USING gin (path)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE org_unit`);
  }
}
