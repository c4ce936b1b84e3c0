import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * A resident's birth date replaces the birth year, with how precisely it is known (DAY, MONTH or YEAR): minority is
 * decided on a given date from the full date, not from the calendar year (a 17-year-old born in December is still a
 * minor in November). Existing birth years become (year-01-01, YEAR).
 *
 * `minor_on(birth_date, precision, on)` is the one rule, used by grading and by the notice addressees route; the
 * TypeScript twin is `isMinorOn` (registry-enums.ts). For a date known only to the month or year it assumes the
 * latest possible day of that period, so someone who could still be under 18 is treated as a minor.
 *
 * A guardian's consent to notices about a minor sent to their school: who gave it (name, relation, phone) and who
 * recorded it when. All four columns are set or all null; withdrawing clears them.
 */
export class AddBirthDateAndGuardianConsent1796000000361 implements MigrationInterface {
  name = 'AddBirthDateAndGuardianConsent1796000000361';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      ALTER TABLE resident
        ADD COLUMN birth_date date,
        ADD COLUMN birth_date_precision text NOT NULL DEFAULT 'DAY' CHECK (birth_date_precision IN ('DAY', 'MONTH', 'YEAR')),
        ADD COLUMN guardian_name text,
        ADD COLUMN guardian_relation text,
        ADD COLUMN guardian_phone text,
        ADD COLUMN guardian_consent_recorded_at timestamptz,
        ADD COLUMN guardian_consent_recorded_by text,
        ADD CONSTRAINT resident_guardian_consent_whole CHECK (
          (guardian_name IS NULL) = (guardian_relation IS NULL)
          AND (guardian_name IS NULL) = (guardian_consent_recorded_at IS NULL)
          AND (guardian_name IS NULL) = (guardian_consent_recorded_by IS NULL)
          AND (guardian_phone IS NULL OR guardian_name IS NOT NULL))`,
    );
    await execute(runner, `UPDATE resident SET birth_date = make_date(birth_year, 1, 1), birth_date_precision = 'YEAR'`);
    await execute(runner, `ALTER TABLE resident ALTER COLUMN birth_date SET NOT NULL, DROP COLUMN birth_year`);
    await execute(runner, `ALTER TABLE resident ADD CONSTRAINT resident_birth_date_range CHECK (birth_date >= DATE '1900-01-01')`);
    await execute(
      runner,
      `
      CREATE FUNCTION minor_on(birth date, birth_precision text, on_date date) RETURNS boolean
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT on_date < (CASE birth_precision
                            WHEN 'YEAR' THEN (date_trunc('year', birth::timestamp) + interval '1 year' - interval '1 day')
                            WHEN 'MONTH' THEN (date_trunc('month', birth::timestamp) + interval '1 month' - interval '1 day')
                            ELSE birth::timestamp
                          END + interval '18 years')::date
      $$`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP FUNCTION minor_on(date, text, date)`);
    await execute(runner, `ALTER TABLE resident ADD COLUMN birth_year smallint CHECK (birth_year BETWEEN 1900 AND 2100)`);
    await execute(runner, `UPDATE resident SET birth_year = extract(year FROM birth_date)::smallint`);
    await execute(
      runner,
      `
      ALTER TABLE resident ALTER COLUMN birth_year SET NOT NULL,
        DROP CONSTRAINT resident_guardian_consent_whole, DROP CONSTRAINT resident_birth_date_range,
        DROP COLUMN birth_date, DROP COLUMN birth_date_precision, DROP COLUMN guardian_name, DROP COLUMN guardian_relation,
        DROP COLUMN guardian_phone, DROP COLUMN guardian_consent_recorded_at, DROP COLUMN guardian_consent_recorded_by`,
    );
  }
}
