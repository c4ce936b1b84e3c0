import type { MigrationInterface, QueryRunner } from 'typeorm';

/** This service's copy of organization's territory tree, kept current by `territory.changed` events. */
export class CreateTerritoryReplica1796000000001 implements MigrationInterface {
  name = 'CreateTerritoryReplica1796000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE territory_unit (
        id         uuid PRIMARY KEY,
        parent_id  uuid,
        kind       text NOT NULL,
        code       text NOT NULL,
        name       text NOT NULL,
        path       uuid[] NOT NULL,
        version    integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX territory_unit_path ON territory_unit USING gin (path)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE territory_unit`);
  }
}
