import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/** The outreach each tier gets until a district manager changes it (分档管理). */
export const DEFAULT_OUTREACH_PLANS = [
  {
    tier: 'UNQUALIFIED',
    visitsPerMonth: 4,
    actions: ['入户讲解分类知识', '桶边陪同投放', '两周内复查'],
    description: '不合格户：认领党员或骨干志愿者每月至少入户4次，上门讲解分类知识、桶边陪同投放，并在两周内复查。',
  },
  {
    tier: 'BASICALLY_QUALIFIED',
    visitsPerMonth: 2,
    actions: ['入户提醒常见错误', '桶边督导时重点关注'],
    description: '基本合格户：认领党员或骨干志愿者每月至少回访2次，提醒常见分类错误，桶边督导时重点关注。',
  },
];

/**
 * Tiered management (分档管理): the outreach plan of each lower tier, party members' and volunteers' claims of
 * households (党员认领, 骨干包干) and their follow-up visits (入户回访).
 */
export class CreateOutreach1796000000240 implements MigrationInterface {
  name = 'CreateOutreach1796000000240';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE outreach_plan (
        tier             text PRIMARY KEY CHECK (tier IN ('UNQUALIFIED', 'BASICALLY_QUALIFIED')),
        visits_per_month integer NOT NULL CHECK (visits_per_month BETWEEN 1 AND 31),
        actions          text[] NOT NULL CHECK (cardinality(actions) BETWEEN 1 AND 10),
        description      text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
        version          integer NOT NULL DEFAULT 1 CHECK (version > 0),
        updated_by       text NOT NULL,
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`,
    );
    for (const plan of DEFAULT_OUTREACH_PLANS) {
      await execute(
        runner,
        `INSERT INTO outreach_plan (tier, visits_per_month, actions, description, updated_by) VALUES ($1, $2, $3::text[], $4, 'migration')`,
        [plan.tier, plan.visitsPerMonth, plan.actions, plan.description],
      );
    }

    await execute(
      runner,
      `
      CREATE TABLE household_claim (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        household_id   uuid NOT NULL REFERENCES household (id) ON DELETE CASCADE,
        claimant_id    text NOT NULL CHECK (length(claimant_id) BETWEEN 1 AND 100),
        claimant_type  text NOT NULL CHECK (claimant_type IN ('PARTY_MEMBER', 'VOLUNTEER')),
        tier           text NOT NULL CHECK (tier IN ('UNQUALIFIED', 'BASICALLY_QUALIFIED')),
        month          date NOT NULL CHECK (extract(day FROM month) = 1),
        status         text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'RELEASED', 'UPGRADED')),
        claimed_by     text NOT NULL,
        claimed_at     timestamptz NOT NULL DEFAULT now(),
        ended_at       timestamptz,
        released_by    text,
        release_reason text CHECK (length(release_reason) BETWEEN 1 AND 200),
        upgraded_month date,
        CONSTRAINT household_claim_ended CHECK ((status = 'ACTIVE') = (ended_at IS NULL)),
        CONSTRAINT household_claim_released CHECK ((status = 'RELEASED') = (release_reason IS NOT NULL AND released_by IS NOT NULL)),
        CONSTRAINT household_claim_upgraded CHECK ((status = 'UPGRADED') = (upgraded_month IS NOT NULL))
      )`,
    );
    // One active claim per household: of two concurrent claims, the second waits for the first and then fails.
    await execute(runner, `CREATE UNIQUE INDEX household_claim_active ON household_claim (household_id) WHERE status = 'ACTIVE'`);
    await execute(runner, `CREATE INDEX household_claim_household ON household_claim (household_id, claimed_at DESC)`);
    await execute(runner, `CREATE INDEX household_claim_claimant ON household_claim (claimant_id, status)`);

    await execute(
      runner,
      `
      CREATE TABLE follow_up_visit (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        claim_id    uuid NOT NULL REFERENCES household_claim (id) ON DELETE CASCADE,
        visited_at  timestamptz NOT NULL,
        month       date GENERATED ALWAYS AS (date_trunc('month', visited_at AT TIME ZONE 'Asia/Shanghai')::date) STORED,
        outcome     text NOT NULL CHECK (outcome IN ('EXPLAINED', 'ACCOMPANIED_AT_BIN', 'NOT_HOME', 'REFUSED')),
        note        text CHECK (length(note) <= 500),
        recorded_by text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await execute(runner, `CREATE INDEX follow_up_visit_claim_month ON follow_up_visit (claim_id, month)`);
    await execute(runner, `CREATE INDEX follow_up_visit_claim_time ON follow_up_visit (claim_id, visited_at, id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE follow_up_visit`);
    await execute(runner, `DROP TABLE household_claim`);
    await execute(runner, `DROP TABLE outreach_plan`);
  }
}
