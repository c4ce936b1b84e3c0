import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

export const OCCUPATIONS = ['EMPLOYED', 'STUDENT', 'RETIRED', 'FREELANCE', 'OTHER'] as const;
export const INSPECTION_KINDS = ['BIN_SIDE', 'BAG_CHECK', 'DOOR_VISIT', 'PATROL'] as const;
export const INSPECTION_RESULTS = ['PASS', 'MINOR_ISSUE', 'FAIL'] as const;
export const INSPECTION_ISSUES = [
  'KITCHEN_WASTE_CONTAMINATED',
  'RECYCLABLES_MIXED',
  'HAZARDOUS_MISSORTED',
  'BAG_DUMPED',
  'BAG_NOT_BROKEN',
  'OUTSIDE_DROP_OFF_HOURS',
  'OTHER',
] as const;

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** Residents, commitment letters, uploaded photos and inspections: the registry and the evidence grades come from. */
export class CreateRegistryAndEvidence1796000000201 implements MigrationInterface {
  name = 'CreateRegistryAndEvidence1796000000201';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE resident (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        household_id    uuid NOT NULL REFERENCES household (id) ON DELETE CASCADE,
        name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
        phone           text CHECK (phone ~ '^1[3-9][0-9]{9}$'),
        occupation      text NOT NULL CHECK (occupation IN (${list(OCCUPATIONS)})),
        institution_id  uuid,
        party_member_id uuid UNIQUE,
        birth_year      smallint NOT NULL CHECK (birth_year BETWEEN 1900 AND 2100),
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT resident_institution_fits_occupation CHECK (institution_id IS NULL OR occupation IN ('EMPLOYED', 'STUDENT'))
      )`,
    );
    await execute(runner, `CREATE INDEX resident_household ON resident (household_id)`);
    await execute(runner, `CREATE INDEX resident_institution ON resident (institution_id) WHERE institution_id IS NOT NULL`);

    await execute(
      runner,
      `
      CREATE TABLE upload (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
        size_bytes   integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 5242880),
        sha256       text NOT NULL,
        storage_key  text NOT NULL UNIQUE,
        uploaded_by  text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`,
    );

    await execute(
      runner,
      `
      CREATE TABLE commitment_letter (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        household_id       uuid NOT NULL REFERENCES household (id) ON DELETE CASCADE,
        signer_resident_id uuid NOT NULL REFERENCES resident (id) ON DELETE CASCADE,
        signed_on          date NOT NULL,
        photo_id           uuid REFERENCES upload (id),
        recorded_by        text NOT NULL,
        created_at         timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT commitment_letter_once_a_day UNIQUE (household_id, signed_on)
      )`,
    );

    await execute(
      runner,
      `
      CREATE TABLE inspection (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        household_id uuid NOT NULL REFERENCES household (id) ON DELETE CASCADE,
        kind         text NOT NULL CHECK (kind IN (${list(INSPECTION_KINDS)})),
        result       text NOT NULL CHECK (result IN (${list(INSPECTION_RESULTS)})),
        issues       text[] NOT NULL DEFAULT '{}' CHECK (issues <@ ARRAY[${list(INSPECTION_ISSUES)}]),
        inspector_id text NOT NULL,
        inspected_at timestamptz NOT NULL,
        month        date GENERATED ALWAYS AS (date_trunc('month', inspected_at AT TIME ZONE 'Asia/Shanghai')::date) STORED,
        photo_ids    uuid[] NOT NULL DEFAULT '{}',
        note         text CHECK (length(note) <= 500),
        created_at   timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT inspection_pass_has_no_issues CHECK (result <> 'PASS' OR cardinality(issues) = 0),
        CONSTRAINT inspection_problem_names_issue CHECK (result = 'PASS' OR cardinality(issues) > 0)
      )`,
    );
    await execute(runner, `CREATE INDEX inspection_month_household ON inspection (month, household_id)`);
    await execute(runner, `CREATE INDEX inspection_household ON inspection (household_id, inspected_at DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE inspection`);
    await execute(runner, `DROP TABLE commitment_letter`);
    await execute(runner, `DROP TABLE upload`);
    await execute(runner, `DROP TABLE resident`);
  }
}
