import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * What Open311 may publish of a citizen report, kept apart from what only staff read:
 * - `publish_description`: the reporter's choice to have the description shown publicly. Only the public channels
 *   (APP, OPEN311) can have it; hotline calls and observer reports are never published, which the CHECK holds.
 *   Reports filed before this change keep what the feed did with them: APP and OPEN311 descriptions stay public.
 * - `description_withheld_at` / `_by`: a handler judged the description private; the feed no longer shows it.
 * - `public_note` on the report (the public note of its latest status change) and on each history row: the status
 *   note Open311 serves. `status_note` / `note` stay staff-only. Notes written before this change were written as
 *   single notes; they stay internal rather than being published by guess.
 */
export class SeparateReportPublicText1796000000361 implements MigrationInterface {
  name = 'SeparateReportPublicText1796000000361';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      ALTER TABLE citizen_report
        ADD COLUMN publish_description boolean NOT NULL DEFAULT false,
        ADD COLUMN description_withheld_at timestamptz,
        ADD COLUMN description_withheld_by text,
        ADD COLUMN public_note text CHECK (length(public_note) <= 1000)`,
    );
    await execute(runner, `UPDATE citizen_report SET publish_description = true WHERE channel IN ('APP', 'OPEN311')`);
    await execute(
      runner,
      `
      ALTER TABLE citizen_report ADD CONSTRAINT citizen_report_public_channel
        CHECK (NOT publish_description OR channel IN ('APP', 'OPEN311'))`,
    );
    await execute(
      runner,
      `
      ALTER TABLE citizen_report ADD CONSTRAINT citizen_report_withheld
        CHECK ((description_withheld_at IS NULL) = (description_withheld_by IS NULL))`,
    );
    await execute(runner, `ALTER TABLE citizen_report_history ADD COLUMN public_note text CHECK (length(public_note) <= 1000)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE citizen_report_history DROP COLUMN public_note`);
    await execute(
      runner,
      `
      ALTER TABLE citizen_report DROP CONSTRAINT citizen_report_withheld, DROP CONSTRAINT citizen_report_public_channel,
        DROP COLUMN public_note, DROP COLUMN description_withheld_by, DROP COLUMN description_withheld_at, DROP COLUMN publish_description`,
    );
  }
}
