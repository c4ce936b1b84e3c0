import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * May a resident's grade be disclosed publicly (媒体公示), and on what ground: consent or a regulation, recorded, or
 * it is not disclosed at all. Every existing resident starts at NONE.
 */
export class AddDisclosureBasis1796000000260 implements MigrationInterface {
  name = 'AddDisclosureBasis1796000000260';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      ALTER TABLE resident
        ADD COLUMN disclosure_basis text NOT NULL DEFAULT 'NONE' CHECK (disclosure_basis IN ('NONE', 'CONSENT', 'REGULATION'))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE resident DROP COLUMN disclosure_basis`);
  }
}
