import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Campaigns with results, and the quarterly rule checked.
 * - `campaign` gains its own targets beyond units and dates: the waste streams it is about and the pass rate it aims
 *   for (洁美有序 and special actions set them); `required_actions`, the joint actions each street it covers must hold
 *   in its quarter (the quarterly campaigns' rule); and `report`/`reported_at`, its figures frozen when it is REPORTED.
 * - `joint_action_quarter`: each street's quarter once it has ended, with the joint actions it required and held.
 *   A MISSED row is the escalation to the district: written once, never rewritten by an action recorded late.
 */
export class AddCampaignResultsAndQuarterCoverage1796000000451 implements MigrationInterface {
  name = 'AddCampaignResultsAndQuarterCoverage1796000000451';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      ALTER TABLE campaign
        ADD COLUMN waste_streams    text[] NOT NULL DEFAULT '{}'
          CHECK (waste_streams <@ ARRAY['KITCHEN', 'RECYCLABLE', 'HAZARDOUS', 'OTHER']),
        ADD COLUMN goal_pass_rate   numeric(5, 4) CHECK (goal_pass_rate > 0 AND goal_pass_rate <= 1),
        ADD COLUMN required_actions integer NOT NULL DEFAULT 1 CHECK (required_actions BETWEEN 1 AND 20),
        ADD COLUMN report           jsonb,
        ADD COLUMN reported_at      timestamptz,
        -- Campaigns reported before this change have no frozen figures: their report stays live.
        ADD CONSTRAINT campaign_reported CHECK ((report IS NULL OR state = 'REPORTED') AND (report IS NULL) = (reported_at IS NULL))`,
    );
    await execute(runner, `CREATE INDEX joint_action_campaign ON joint_action (campaign_id, starts_at, id) WHERE campaign_id IS NOT NULL`);
    await execute(runner, `CREATE INDEX joint_action_held ON joint_action (held_at) WHERE held_at IS NOT NULL`);
    await execute(
      runner,
      `
      CREATE TABLE joint_action_quarter (
        street_id uuid NOT NULL,
        quarter   text NOT NULL CHECK (quarter ~ '^[0-9]{4}-Q[1-4]$'),
        required  integer NOT NULL CHECK (required >= 1),
        held      integer NOT NULL CHECK (held >= 0),
        state     text NOT NULL CHECK (state IN ('MET', 'MISSED')),
        closed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (street_id, quarter),
        CONSTRAINT joint_action_quarter_state CHECK ((state = 'MET') = (held >= required))
      )`,
    );
    await execute(runner, `CREATE INDEX joint_action_quarter_by_quarter ON joint_action_quarter (quarter, state)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE joint_action_quarter`);
    await execute(runner, `DROP INDEX joint_action_held`);
    await execute(runner, `DROP INDEX joint_action_campaign`);
    await execute(
      runner,
      `
      ALTER TABLE campaign DROP CONSTRAINT campaign_reported,
        DROP COLUMN waste_streams, DROP COLUMN goal_pass_rate, DROP COLUMN required_actions, DROP COLUMN report, DROP COLUMN reported_at`,
    );
  }
}
