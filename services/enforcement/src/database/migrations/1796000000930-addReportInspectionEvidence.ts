import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * A verified citizen report may also become evidence as an inspection of the household it names
 * (`recordInspectionFromReport`): `evidence_kind` 'INSPECTION', with the inspection's id (chosen here, recorded by
 * households from `report-inspection.recorded`) and the household. A report still becomes evidence once, whatever it
 * becomes: `evidence_kind` stays the one guard, and the inspection id is unique.
 */
export class AddReportInspectionEvidence1796000000930 implements MigrationInterface {
  name = 'AddReportInspectionEvidence1796000000930';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      ALTER TABLE citizen_report
        DROP CONSTRAINT citizen_report_evidence_kind_check,
        ADD CONSTRAINT citizen_report_evidence_kind_check CHECK (evidence_kind IN ('CASE', 'INSPECTION')),
        ADD COLUMN evidence_inspection_id uuid UNIQUE,
        ADD COLUMN evidence_household_id  uuid,
        ADD CONSTRAINT citizen_report_evidence_inspection
          CHECK ((evidence_kind = 'INSPECTION') = (evidence_inspection_id IS NOT NULL AND evidence_household_id IS NOT NULL))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `UPDATE citizen_report SET evidence_kind = NULL, evidence_at = NULL WHERE evidence_kind = 'INSPECTION'`);
    await execute(
      runner,
      `
      ALTER TABLE citizen_report
        DROP CONSTRAINT citizen_report_evidence_inspection,
        DROP COLUMN evidence_household_id,
        DROP COLUMN evidence_inspection_id,
        DROP CONSTRAINT citizen_report_evidence_kind_check,
        ADD CONSTRAINT citizen_report_evidence_kind_check CHECK (evidence_kind IN ('CASE'))`,
    );
  }
}
