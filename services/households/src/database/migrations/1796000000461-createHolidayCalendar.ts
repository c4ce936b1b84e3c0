import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * The district's holiday calendar (collection/holiday-calendar.ts): statutory holidays and working weekends, one row
 * per day. Collection points' holiday noon openings follow it.
 */
export class CreateHolidayCalendar1796000000461 implements MigrationInterface {
  name = 'CreateHolidayCalendar1796000000461';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE holiday_calendar_day (
        day        date PRIMARY KEY,
        kind       text NOT NULL CHECK (kind IN ('HOLIDAY', 'WORKING_WEEKEND')),
        name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 20),
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT holiday_calendar_working_weekend CHECK (kind <> 'WORKING_WEEKEND' OR extract(isodow FROM day) IN (6, 7))
      )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE holiday_calendar_day`);
  }
}
