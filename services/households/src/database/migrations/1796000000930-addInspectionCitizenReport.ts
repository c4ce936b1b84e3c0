import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * An inspection recorded from a verified citizen report (enforcement's `recordInspectionFromReport`, delivered as
 * `report-inspection.recorded`) carries the report's id: enforcement's id, no foreign key (another service's record).
 * A report becomes at most one inspection: the partial unique index decides, also for a redelivered event.
 */
export class AddInspectionCitizenReport1796000000930 implements MigrationInterface {
  name = 'AddInspectionCitizenReport1796000000930';

  async up(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE inspection ADD COLUMN citizen_report_id uuid`);
    await execute(
      runner,
      `CREATE UNIQUE INDEX inspection_citizen_report ON inspection (citizen_report_id) WHERE citizen_report_id IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP INDEX inspection_citizen_report`);
    await execute(runner, `ALTER TABLE inspection DROP COLUMN citizen_report_id`);
  }
}
