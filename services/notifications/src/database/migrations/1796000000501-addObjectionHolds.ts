import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Notices wait for the month's objection window (notices/notice-release.ts):
 * - notice.released_at: when the notice was handed to its institution (API and webhooks). Null while it waits for the
 *   window to close or for an objection about its household to be decided; an institution sees only released notices.
 *   Notices made before this migration were released when they were made.
 * - objection_window_closed: households closed the district-month's window (once, `objection-window.closed`). Months
 *   evaluated before this migration count as closed.
 * - objection_hold: a household whose objection was open at the close, or was decided (then `decided_at`; for a
 *   correction also `correction_at`, the time of the corrected grade's event, which must have arrived before the
 *   household's notices leave). Ids and times only.
 */
export class AddObjectionHolds1796000000501 implements MigrationInterface {
  name = 'AddObjectionHolds1796000000501';

  async up(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE notice ADD COLUMN released_at timestamptz`);
    await execute(runner, `UPDATE notice SET released_at = created_at`);
    // Releasing a month looks for its waiting notices.
    await execute(
      runner,
      `CREATE INDEX notice_waiting ON notice (month, district_id, household_id) WHERE released_at IS NULL AND withdrawn_at IS NULL`,
    );
    await execute(
      runner,
      `
      CREATE TABLE objection_window_closed (
        district_id uuid NOT NULL,
        month       date NOT NULL,
        closed_at   timestamptz NOT NULL,
        PRIMARY KEY (district_id, month)
      )`,
    );
    await execute(
      runner,
      `INSERT INTO objection_window_closed (district_id, month, closed_at) SELECT district_id, month, completed_at FROM evaluated_month`,
    );
    await execute(
      runner,
      `
      CREATE TABLE objection_hold (
        month         date NOT NULL,
        household_id  uuid NOT NULL,
        district_id   uuid NOT NULL,
        objection_id  uuid NOT NULL,
        decided_at    timestamptz,
        correction_at timestamptz,
        PRIMARY KEY (month, household_id)
      )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE objection_hold`);
    await execute(runner, `DROP TABLE objection_window_closed`);
    await execute(runner, `DROP INDEX notice_waiting`);
    await execute(runner, `ALTER TABLE notice DROP COLUMN released_at`);
  }
}
