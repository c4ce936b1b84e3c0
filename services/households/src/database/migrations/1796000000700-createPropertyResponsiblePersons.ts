import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Each compound's named person responsible for sorting at its property company (物业垃圾分类管理责任人): one current row
 * per compound, replaced in place, so a replaced person's name and phone are gone at once (nothing to retain).
 *
 * A property company manages the compounds whose households name it as their property company; the index answers
 * "which compounds does this company manage" without reading every household.
 */
export class CreatePropertyResponsiblePersons1796000000700 implements MigrationInterface {
  name = 'CreatePropertyResponsiblePersons1796000000700';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE property_responsible_person (
        compound_id         uuid PRIMARY KEY,
        property_company_id uuid NOT NULL,
        name                text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),
        phone               text NOT NULL CHECK (phone ~ '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$'),
        recorded_by         text NOT NULL,
        recorded_at         timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await execute(
      runner,
      `CREATE INDEX property_responsible_person_company ON property_responsible_person (property_company_id, compound_id)`,
    );
    await execute(runner, `CREATE INDEX household_property_company ON household (property_company_id, compound_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP INDEX household_property_company`);
    await execute(runner, `DROP TABLE property_responsible_person`);
  }
}
