import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * enforcement's copy of the households registry, kept by `households.changed`: per household only its compound,
 * whether it is floating population, whether it has been removed, and the registry's version. openCase checks a
 * HOUSEHOLD target against it (exists, in the caller's territory, found in or around its compound) and takes the
 * floating population from it.
 *
 * Removed households stay as rows with `removed = true` (tombstones) rather than being deleted: the row keeps the
 * removal's version, so an older snapshot delivered late (a redelivered registration) cannot bring the household back.
 * A tombstone holds no personal data, and households are removed rarely, so keeping them costs little.
 *
 * Households registered before this migration reach the copy through households' migration 1796000000310, which
 * announces every existing household once.
 */
export class CreateHouseholdCopy1796000000330 implements MigrationInterface {
  name = 'CreateHouseholdCopy1796000000330';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE household_copy (
        id                  uuid PRIMARY KEY,
        compound_id         uuid NOT NULL,
        floating_population boolean NOT NULL,
        removed             boolean NOT NULL,
        version             bigint NOT NULL,
        updated_at          timestamptz NOT NULL DEFAULT now()
      )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE household_copy`);
  }
}
