import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * A joint action is held (HELD: when, where, who took part from which bureau, a summary) and then reported
 * (REPORTED: its figures frozen in `report` so later changes to cases or households do not rewrite what was reported).
 * `participants` is [{ bureauId, officerIds }]: ids only, no personal data. The revision history gains HELD and REPORTED.
 */
export class HoldAndReportJointActions1796000000401 implements MigrationInterface {
  name = 'HoldAndReportJointActions1796000000401';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      ALTER TABLE joint_action
        DROP CONSTRAINT joint_action_status_check,
        ADD CONSTRAINT joint_action_status_check CHECK (status IN ('SCHEDULED', 'HELD', 'REPORTED', 'CANCELLED')),
        ADD COLUMN held_at      timestamptz,
        ADD COLUMN place        text CHECK (length(place) BETWEEN 1 AND 200),
        ADD COLUMN summary      text CHECK (length(summary) BETWEEN 1 AND 2000),
        ADD COLUMN participants jsonb,
        ADD COLUMN report       jsonb,
        ADD COLUMN reported_at  timestamptz,
        ADD CONSTRAINT joint_action_held CHECK ((status IN ('HELD', 'REPORTED')) = (held_at IS NOT NULL AND participants IS NOT NULL)),
        ADD CONSTRAINT joint_action_reported CHECK ((status = 'REPORTED') = (report IS NOT NULL AND reported_at IS NOT NULL))`,
    );
    await execute(
      runner,
      `
      ALTER TABLE joint_action_revision
        DROP CONSTRAINT joint_action_revision_kind_check,
        ADD CONSTRAINT joint_action_revision_kind_check CHECK (kind IN ('SCHEDULED', 'RESCHEDULED', 'CANCELLED', 'HELD', 'REPORTED'))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DELETE FROM joint_action_revision WHERE kind IN ('HELD', 'REPORTED')`);
    await execute(
      runner,
      `
      ALTER TABLE joint_action_revision
        DROP CONSTRAINT joint_action_revision_kind_check,
        ADD CONSTRAINT joint_action_revision_kind_check CHECK (kind IN ('SCHEDULED', 'RESCHEDULED', 'CANCELLED'))`,
    );
    await execute(
      runner,
      `
      ALTER TABLE joint_action
        DROP CONSTRAINT joint_action_reported, DROP CONSTRAINT joint_action_held,
        DROP COLUMN held_at, DROP COLUMN place, DROP COLUMN summary, DROP COLUMN participants, DROP COLUMN report, DROP COLUMN reported_at,
        DROP CONSTRAINT joint_action_status_check,
        ADD CONSTRAINT joint_action_status_check CHECK (status IN ('SCHEDULED', 'CANCELLED'))`,
    );
  }
}
