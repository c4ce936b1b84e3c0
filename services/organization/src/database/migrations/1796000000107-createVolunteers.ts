import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Volunteering (志愿服务, DOMAIN.md §1):
 *
 * - `volunteer_team`: a volunteer team (志愿服务队) formed by a compound branch (小区支部); `org_unit_id` is the
 *   branch's compound, copied when the team is made, for scope. A trigger refuses a team of any other kind of
 *   party organisation (SQLSTATE 23514), the service checks first and answers BAD_USER_INPUT.
 * - `volunteer`: a person who volunteers, signed in as `user_id` (the JWT `sub`). A party member volunteering is
 *   linked by `party_member_id`. One team at a time.
 * - `volunteer_activity`: an activity of one of the four role-model campaigns, at a compound or community, with a
 *   time window, a place and a capacity; DRAFT → PUBLISHED → COMPLETED | CANCELLED.
 * - `volunteer_sign_up`: a volunteer's place on an activity; at most one live (not cancelled) per volunteer and
 *   activity. Capacity is enforced by the service under a row lock on the activity. `checked_in_at` when they
 *   arrived, `hours` once the organiser approved them.
 * - `member_volunteer_hours`: approved hours of volunteers linked to a party member, per month of the activity's
 *   start (Asia/Shanghai); the vanguard index reads it.
 */
export class CreateVolunteers1796000000107 implements MigrationInterface {
  name = 'CreateVolunteers1796000000107';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE volunteer_team (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compound_branch_id uuid NOT NULL REFERENCES party_org (id),
        org_unit_id        uuid NOT NULL REFERENCES org_unit (id),
        name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
        created_by         text NOT NULL,
        created_at         timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT volunteer_team_name UNIQUE (compound_branch_id, name)
      )`,
    );
    await execute(runner, `CREATE INDEX volunteer_team_org_unit ON volunteer_team (org_unit_id, name, id)`);
    await execute(
      runner,
      `
      CREATE FUNCTION volunteer_team_of_compound_branch() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM party_org o WHERE o.id = NEW.compound_branch_id AND o.kind = 'COMPOUND_BRANCH'
                                                    AND o.org_unit_id = NEW.org_unit_id) THEN
          RAISE EXCEPTION 'a volunteer team belongs to a COMPOUND_BRANCH (and its compound)' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`,
    );
    await execute(
      runner,
      `
      CREATE TRIGGER volunteer_team_branch_check BEFORE INSERT OR UPDATE OF compound_branch_id, org_unit_id ON volunteer_team
        FOR EACH ROW EXECUTE FUNCTION volunteer_team_of_compound_branch()`,
    );

    await execute(
      runner,
      `
      CREATE TABLE volunteer (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id         text NOT NULL UNIQUE,
        name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
        phone           text CHECK (phone ~ '^1[3-9][0-9]{9}$'),
        party_member_id uuid UNIQUE REFERENCES party_member (id),
        team_id         uuid REFERENCES volunteer_team (id),
        registered_at   timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await execute(runner, `CREATE INDEX volunteer_of_team ON volunteer (team_id, id) WHERE team_id IS NOT NULL`);

    await execute(
      runner,
      `
      CREATE TABLE volunteer_activity (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign     text NOT NULL CHECK (campaign IN ('GREEN_PIONEERS', 'TRUSTWORTHY_HOMEMAKERS', 'YOUTH_GREEN_COLLARS', 'GOLDEN_YOUNGSTERS')),
        kind         text NOT NULL CHECK (kind IN ('BIN_SIDE', 'DOOR_VISIT', 'BAG_CHECK', 'PATROL', 'QUIZ', 'CONTEST')),
        title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
        description  text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
        starts_at    timestamptz NOT NULL,
        ends_at      timestamptz NOT NULL,
        org_unit_id  uuid NOT NULL REFERENCES org_unit (id),
        place        text NOT NULL CHECK (length(place) BETWEEN 1 AND 200),
        capacity     int NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
        team_id      uuid REFERENCES volunteer_team (id),
        status       text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'PUBLISHED', 'COMPLETED', 'CANCELLED')),
        created_by   text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        closed_at    timestamptz,
        CONSTRAINT volunteer_activity_window CHECK (ends_at > starts_at AND ends_at - starts_at <= interval '24 hours')
      )`,
    );
    // The feed: published and completed activities, newest first.
    await execute(
      runner,
      `CREATE INDEX volunteer_activity_feed ON volunteer_activity (starts_at DESC, id DESC) WHERE status IN ('PUBLISHED', 'COMPLETED')`,
    );
    await execute(runner, `CREATE INDEX volunteer_activity_org_unit ON volunteer_activity (org_unit_id, starts_at DESC, id DESC)`);

    await execute(
      runner,
      `
      CREATE TABLE volunteer_sign_up (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        activity_id       uuid NOT NULL REFERENCES volunteer_activity (id),
        volunteer_id      uuid NOT NULL REFERENCES volunteer (id),
        signed_up_at      timestamptz NOT NULL DEFAULT now(),
        cancelled_at      timestamptz,
        checked_in_at     timestamptz,
        hours             numeric(5, 2) CHECK (hours > 0),
        hours_approved_by text,
        hours_approved_at timestamptz,
        CONSTRAINT volunteer_sign_up_approval CHECK ((hours IS NULL) = (hours_approved_at IS NULL) AND (hours IS NULL) = (hours_approved_by IS NULL)),
        CONSTRAINT volunteer_sign_up_hours_need_check_in CHECK (hours IS NULL OR (checked_in_at IS NOT NULL AND cancelled_at IS NULL))
      )`,
    );
    await execute(
      runner,
      `CREATE UNIQUE INDEX volunteer_sign_up_once ON volunteer_sign_up (activity_id, volunteer_id) WHERE cancelled_at IS NULL`,
    );
    await execute(runner, `CREATE INDEX volunteer_sign_up_volunteer ON volunteer_sign_up (volunteer_id, activity_id)`);

    await execute(
      runner,
      `
      CREATE VIEW member_volunteer_hours AS
        SELECT v.party_member_id,
               date_trunc('month', a.starts_at AT TIME ZONE 'Asia/Shanghai')::date AS month,
               sum(s.hours)::numeric AS hours
          FROM volunteer_sign_up s
          JOIN volunteer v ON v.id = s.volunteer_id
          JOIN volunteer_activity a ON a.id = s.activity_id
         WHERE v.party_member_id IS NOT NULL AND s.hours IS NOT NULL AND s.cancelled_at IS NULL AND a.status <> 'CANCELLED'
         GROUP BY v.party_member_id, date_trunc('month', a.starts_at AT TIME ZONE 'Asia/Shanghai')::date`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP VIEW member_volunteer_hours`);
    await execute(runner, `DROP TABLE volunteer_sign_up, volunteer_activity, volunteer`);
    await execute(runner, `DROP TABLE volunteer_team`);
    await execute(runner, `DROP FUNCTION volunteer_team_of_compound_branch()`);
  }
}
