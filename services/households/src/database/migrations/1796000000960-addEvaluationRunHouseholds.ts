import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * An evaluation run records how many households it set out to grade, so its progress reads "graded of total" in
 * households rather than only in communities (chunks). Runs from before keep null: their total was not recorded and
 * today's registry would not tell it. The list of runs (`evaluationRuns`, newest first) pages on (created_at, id).
 */
export class AddEvaluationRunHouseholds1796000000960 implements MigrationInterface {
  name = 'AddEvaluationRunHouseholds1796000000960';

  async up(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE evaluation_run ADD COLUMN households_total integer`);
    await execute(runner, `CREATE INDEX evaluation_run_created ON evaluation_run (created_at, id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP INDEX evaluation_run_created`);
    await execute(runner, `ALTER TABLE evaluation_run DROP COLUMN households_total`);
  }
}
