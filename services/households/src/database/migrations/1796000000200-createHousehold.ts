import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

export class CreateHousehold1796000000200 implements MigrationInterface {
  name = 'CreateHousehold1796000000200';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE household (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compound_id         uuid NOT NULL,
        building            integer NOT NULL CHECK (building > 0),
        unit                integer NOT NULL CHECK (unit > 0),
        room                integer NOT NULL CHECK (room > 0),
        tenure              text NOT NULL CHECK (tenure IN ('OWNER', 'TENANT')),
        floating_population boolean NOT NULL DEFAULT false,
        property_company_id uuid,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT household_address UNIQUE (compound_id, building, unit, room)
      )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE household`);
  }
}
