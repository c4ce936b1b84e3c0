import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

export class CreateCampaign1796000000300 implements MigrationInterface {
  name = 'CreateCampaign1796000000300';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE campaign (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind            text NOT NULL CHECK (kind IN ('QUARTERLY_JOINT_ACTION', 'CLEAN_ORDERLY', 'SPECIAL_ACTION')),
        name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        state           text NOT NULL CHECK (state IN ('DRAFT', 'SCHEDULED', 'ACTIVE', 'COMPLETED', 'REPORTED')),
        starts_on       date NOT NULL,
        ends_on         date NOT NULL,
        target_unit_ids uuid[] NOT NULL CHECK (cardinality(target_unit_ids) > 0),
        bureau_ids      uuid[] NOT NULL DEFAULT '{}',
        lead_bureau_id  uuid,
        created_by      text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT campaign_period CHECK (ends_on >= starts_on),
        CONSTRAINT campaign_lead_participates CHECK (lead_bureau_id IS NULL OR lead_bureau_id = ANY(bureau_ids))
      )`,
    );
    await execute(runner, `CREATE INDEX campaign_start ON campaign (starts_on, id)`);
    await execute(runner, `CREATE INDEX campaign_targets ON campaign USING gin (target_unit_ids)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE campaign`);
  }
}
