import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Retention of personal data (services/notifications/src/retention):
 * - notice.redacted_at: when the notice's name and texts were masked; the row itself stays, statistics count it.
 * - grade_copy_purge: one row saying before which month grade copies were deleted, so a grade event arriving later for
 *   such a month is ignored rather than stored again.
 * - Two indexes, so each daily run finds its rows by index however much history there is: notices not yet redacted
 *   by month (partial, so redacted notices, which stay forever, are never walked again), and webhook attempts by
 *   time (nothing indexed it). Grade copies need none: their primary keys begin with the month.
 */
export class AddRetention1796000000407 implements MigrationInterface {
  name = 'AddRetention1796000000407';

  async up(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE notice ADD COLUMN redacted_at timestamptz`);
    await execute(runner, `CREATE INDEX notice_unredacted_month ON notice (month) WHERE redacted_at IS NULL`);
    await execute(runner, `CREATE INDEX webhook_attempt_attempted_at ON webhook_attempt (attempted_at)`);
    await execute(
      runner,
      `
      CREATE TABLE grade_copy_purge (
        -- One row at most.
        id            boolean PRIMARY KEY DEFAULT true CHECK (id),
        purged_before date NOT NULL CHECK (extract(day FROM purged_before) = 1),
        purged_at     timestamptz NOT NULL
      )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE grade_copy_purge`);
    await execute(runner, `DROP INDEX webhook_attempt_attempted_at`);
    await execute(runner, `DROP INDEX notice_unredacted_month`);
    await execute(runner, `ALTER TABLE notice DROP COLUMN redacted_at`);
  }
}
