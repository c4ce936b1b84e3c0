import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Joint actions and what they book.
 *
 * - `bureau_remit`: the territory a bureau (DEPARTMENT institution) may act in; a remit over a unit covers everything
 *   under it (a district-level bureau has the district). Managed by district administrators.
 * - `enforcement_team` / `enforcement_officer`: a bureau's teams and officers; an officer may be linked to the user
 *   id they sign in with, which makes that BUREAU_OFFICER act for the officer's bureau.
 * - `joint_action`, `joint_action_revision`: the action and its history (created, rescheduled, cancelled); the
 *   revision number is the iCalendar SEQUENCE.
 * - `joint_action_booking`: what a live action holds for its window. The database refuses double-booking with
 *   exclusion constraints, so concurrent schedulers cannot both win:
 *     mode 0 (exclusive): the team, the officer, and each target unit itself;
 *     mode 1 (shared): every ancestor of a target unit.
 *   Exclusive vs exclusive on the same resource conflicts (same team, officer or unit); exclusive vs shared on the
 *   same unit conflicts (one action's unit contains the other's); shared vs shared does not (two communities of the
 *   same street). A cancelled action holds nothing.
 * - `bureau_calendar`: the SHA-256 of each bureau's secret iCalendar feed token.
 * - `action_finding`: what an action found; households are told about household findings, the others wait here as
 *   violation candidates for cases.
 * - `campaign.draft_key`: one drafted quarterly campaign per street and quarter, whoever drafts it.
 */
export class CreateJointActions1796000000301 implements MigrationInterface {
  name = 'CreateJointActions1796000000301';

  async up(runner: QueryRunner): Promise<void> {
    await execute(runner, `CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await execute(runner, `ALTER TABLE campaign ADD COLUMN draft_key text UNIQUE`);
    await execute(
      runner,
      `
      CREATE TABLE bureau_remit (
        bureau_id   uuid NOT NULL,
        org_unit_id uuid NOT NULL,
        granted_by  text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (bureau_id, org_unit_id)
      )`,
    );
    await execute(
      runner,
      `
      CREATE TABLE enforcement_team (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        bureau_id  uuid NOT NULL,
        name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (bureau_id, name)
      )`,
    );
    await execute(
      runner,
      `
      CREATE TABLE enforcement_officer (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        bureau_id  uuid NOT NULL,
        name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
        user_id    text UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await execute(runner, `CREATE INDEX enforcement_officer_bureau ON enforcement_officer (bureau_id)`);
    await execute(
      runner,
      `
      CREATE TABLE joint_action (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id     uuid REFERENCES campaign (id),
        title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
        starts_at       timestamptz NOT NULL,
        ends_at         timestamptz NOT NULL,
        lead_bureau_id  uuid NOT NULL,
        target_unit_ids uuid[] NOT NULL CHECK (cardinality(target_unit_ids) > 0),
        team_ids        uuid[] NOT NULL DEFAULT '{}',
        officer_ids     uuid[] NOT NULL DEFAULT '{}',
        status          text NOT NULL CHECK (status IN ('SCHEDULED', 'CANCELLED')),
        revision        integer NOT NULL DEFAULT 0,
        created_by      text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT joint_action_window CHECK (ends_at > starts_at)
      )`,
    );
    await execute(runner, `CREATE INDEX joint_action_start ON joint_action (starts_at, id)`);
    await execute(runner, `CREATE INDEX joint_action_lead ON joint_action (lead_bureau_id, starts_at)`);
    await execute(runner, `CREATE INDEX joint_action_targets ON joint_action USING gin (target_unit_ids)`);
    await execute(runner, `CREATE INDEX joint_action_teams ON joint_action USING gin (team_ids)`);
    await execute(
      runner,
      `
      CREATE TABLE joint_action_revision (
        action_id  uuid NOT NULL REFERENCES joint_action (id) ON DELETE CASCADE,
        revision   integer NOT NULL,
        kind       text NOT NULL CHECK (kind IN ('SCHEDULED', 'RESCHEDULED', 'CANCELLED')),
        starts_at  timestamptz NOT NULL,
        ends_at    timestamptz NOT NULL,
        reason     text CHECK (length(reason) <= 500),
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (action_id, revision)
      )`,
    );
    await execute(
      runner,
      `
      CREATE TABLE joint_action_booking (
        action_id     uuid NOT NULL REFERENCES joint_action (id) ON DELETE CASCADE,
        resource_kind text NOT NULL CHECK (resource_kind IN ('TEAM', 'OFFICER', 'UNIT')),
        resource_id   uuid NOT NULL,
        mode          smallint NOT NULL CHECK (mode IN (0, 1)),
        during        tstzrange NOT NULL,
        PRIMARY KEY (action_id, resource_id),
        CONSTRAINT joint_action_booking_exclusive EXCLUDE USING gist (resource_id WITH =, during WITH &&) WHERE (mode = 0),
        CONSTRAINT joint_action_booking_contains EXCLUDE USING gist (resource_id WITH =, during WITH &&, mode WITH <>)
      )`,
    );
    await execute(
      runner,
      `
      CREATE TABLE bureau_calendar (
        bureau_id  uuid PRIMARY KEY,
        token_hash bytea NOT NULL UNIQUE,
        rotated_by text NOT NULL,
        rotated_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await execute(
      runner,
      `
      CREATE TABLE action_finding (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        action_id           uuid NOT NULL REFERENCES joint_action (id),
        target_kind         text NOT NULL CHECK (target_kind IN ('HOUSEHOLD', 'PROPERTY_COMPANY', 'ORG_UNIT')),
        household_id        uuid,
        property_company_id uuid,
        org_unit_id         uuid,
        category            text NOT NULL,
        description         text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
        photo_ids           uuid[] NOT NULL DEFAULT '{}',
        recorded_by         text NOT NULL,
        recorded_at         timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT action_finding_one_target CHECK (num_nonnulls(household_id, property_company_id, org_unit_id) = 1)
      )`,
    );
    await execute(runner, `CREATE INDEX action_finding_action ON action_finding (action_id, recorded_at)`);
    await execute(
      runner,
      `CREATE INDEX action_finding_candidates ON action_finding (target_kind, recorded_at) WHERE target_kind <> 'HOUSEHOLD'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `DROP TABLE action_finding, bureau_calendar, joint_action_booking, joint_action_revision, joint_action, enforcement_officer, enforcement_team, bureau_remit`,
    );
    await execute(runner, `ALTER TABLE campaign DROP COLUMN draft_key`);
  }
}
