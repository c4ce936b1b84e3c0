import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Multi-day volunteer activities with daily check-ins (e.g. 团员青年21天助分类): `days` (2–60) marks an activity that
 * runs whole Shanghai days, from midnight of its first day (`starts_at`) for `days` days (`ends_at`); participants
 * check in once per day. A check-in keeps the day's number within the activity (1 = the first day), so the day is
 * always read against the activity's dates; the primary key makes it once per sign-up and day.
 */
export class AddMultiDayActivities1796000000810 implements MigrationInterface {
  name = 'AddMultiDayActivities1796000000810';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      ALTER TABLE volunteer_activity
        ADD COLUMN days smallint CHECK (days BETWEEN 2 AND 60),
        DROP CONSTRAINT volunteer_activity_window,
        ADD CONSTRAINT volunteer_activity_window CHECK (ends_at > starts_at AND CASE
          WHEN days IS NULL THEN ends_at - starts_at <= interval '24 hours'
          ELSE extract(epoch FROM ends_at - starts_at) = days * 86400 END)`,
    );
    await execute(
      runner,
      `
      CREATE TABLE volunteer_day_check_in (
        sign_up_id    uuid NOT NULL REFERENCES volunteer_sign_up (id) ON DELETE CASCADE,
        day_number    smallint NOT NULL CHECK (day_number BETWEEN 1 AND 60),
        checked_in_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (sign_up_id, day_number)
      )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE volunteer_day_check_in`);
    // A multi-day activity cannot be kept without its days: it goes, with its sign-ups.
    await execute(runner, `DELETE FROM volunteer_sign_up WHERE activity_id IN (SELECT id FROM volunteer_activity WHERE days IS NOT NULL)`);
    await execute(runner, `DELETE FROM volunteer_activity WHERE days IS NOT NULL`);
    await execute(
      runner,
      `
      ALTER TABLE volunteer_activity
        DROP CONSTRAINT volunteer_activity_window,
        ADD CONSTRAINT volunteer_activity_window CHECK (ends_at > starts_at AND ends_at - starts_at <= interval '24 hours'),
        DROP COLUMN days`,
    );
  }
}
