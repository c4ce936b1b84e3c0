import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * The "1 + 3 + N" structure (DOMAIN.md §1), the tables every later part of organization builds on:
 *
 * - `institution.parent_id`: a functional department's subordinate sector units (下属行业单位), e.g. the schools
 *   under the education bureau. Only a DEPARTMENT has subordinates, one level deep.
 * - `party_org`: party organisations as a tree. The district committee (区委) is the root; under it street/township
 *   committees (镇街党委) and functional-department committees (机关职能部门党委); community committees (社区党委)
 *   under street committees; branches (支部) under committees: community and compound branches (社区支部, 小区支部)
 *   under a community committee, work-unit branches (单位支部) under a department committee (for the department and
 *   its sector units) or a street committee (employers and schools in the street). Territorial organisations are
 *   tied to their territory unit, work-unit ones to their institution. Which kind may sit under which is
 *   `PARTY_ORG_PARENT_KINDS` (party-org-kind.ts), checked by the service and here by a trigger.
 * - `party_member`: every party member (党员), the N. `household_id` is the member's household in households (for
 *   photo check-ins and grades, which households announces with this member id); `user_id` the account they sign in
 *   with; `institution_id` their work unit.
 * - `party_org_position`: who holds which post: the secretary (书记) of a committee or branch. Duty cadences follow
 *   from posts: street committee secretaries monthly door-to-door explanation, department committee secretaries
 *   (department heads) monthly supervision of sector units, community committee secretaries daily patrol.
 * - `branch_registration`: dual registration (双报到双管理): a member registers with one WORK_UNIT branch and one
 *   COMMUNITY branch (a community or compound branch), each registration confirmed by that branch. At most one open
 *   registration of each kind per member.
 * - `leader` and `leader_liaison`: leaders of the district's four leadership bodies (区四套班子) and the streets they
 *   are assigned to liaise with (对口联系), with dates so history is kept.
 */
export class CreatePartyStructure1796000000104 implements MigrationInterface {
  name = 'CreatePartyStructure1796000000104';

  async up(runner: QueryRunner): Promise<void> {
    // Exclusion constraints on (uuid, date range): one secretary of an organisation, one liaison of a street, at a time.
    await execute(runner, `CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await execute(runner, `ALTER TABLE institution ADD COLUMN parent_id uuid REFERENCES institution (id)`);
    await execute(runner, `CREATE INDEX institution_parent ON institution (parent_id) WHERE parent_id IS NOT NULL`);
    await execute(
      runner,
      `
      CREATE FUNCTION institution_parent_is_department() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.parent_id IS NOT NULL AND NOT EXISTS (
             SELECT 1 FROM institution p WHERE p.id = NEW.parent_id AND p.kind = 'DEPARTMENT' AND p.parent_id IS NULL) THEN
          RAISE EXCEPTION 'institution % may only be subordinate to a top-level DEPARTMENT', NEW.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`,
    );
    await execute(
      runner,
      `
      CREATE TRIGGER institution_parent_check BEFORE INSERT OR UPDATE OF parent_id ON institution
        FOR EACH ROW EXECUTE FUNCTION institution_parent_is_department()`,
    );

    await execute(
      runner,
      `
      CREATE TABLE party_org (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind           text NOT NULL CHECK (kind IN ('DISTRICT_COMMITTEE', 'STREET_COMMITTEE', 'DEPARTMENT_COMMITTEE',
                                                     'COMMUNITY_COMMITTEE', 'COMMUNITY_BRANCH', 'COMPOUND_BRANCH', 'WORK_UNIT_BRANCH')),
        name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        parent_id      uuid REFERENCES party_org (id),
        -- Root first, itself last: scope checks and roll-ups without recursion.
        path           uuid[] NOT NULL,
        org_unit_id    uuid REFERENCES org_unit (id),
        institution_id uuid REFERENCES institution (id),
        created_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT party_org_root CHECK ((kind = 'DISTRICT_COMMITTEE') = (parent_id IS NULL)),
        CONSTRAINT party_org_tied_to CHECK (
          CASE WHEN kind IN ('DEPARTMENT_COMMITTEE', 'WORK_UNIT_BRANCH') THEN institution_id IS NOT NULL AND org_unit_id IS NULL
               ELSE org_unit_id IS NOT NULL AND institution_id IS NULL END),
        CONSTRAINT party_org_name UNIQUE (parent_id, name)
      )`,
    );
    await execute(runner, `CREATE INDEX party_org_parent ON party_org (parent_id, kind, name, id)`);
    await execute(runner, `CREATE INDEX party_org_org_unit ON party_org (org_unit_id) WHERE org_unit_id IS NOT NULL`);
    await execute(runner, `CREATE INDEX party_org_institution ON party_org (institution_id) WHERE institution_id IS NOT NULL`);
    await execute(runner, `CREATE INDEX party_org_path ON party_org USING gin (path)`);
    // One district committee, one committee per street and per community, one branch per compound and per institution.
    await execute(runner, `CREATE UNIQUE INDEX party_org_one_root ON party_org ((true)) WHERE kind = 'DISTRICT_COMMITTEE'`);
    await execute(
      runner,
      `CREATE UNIQUE INDEX party_org_one_per_unit ON party_org (kind, org_unit_id) WHERE kind IN ('STREET_COMMITTEE', 'COMMUNITY_COMMITTEE', 'COMPOUND_BRANCH')`,
    );
    await execute(
      runner,
      `CREATE UNIQUE INDEX party_org_one_per_institution ON party_org (kind, institution_id) WHERE institution_id IS NOT NULL`,
    );
    await execute(
      runner,
      `
      CREATE FUNCTION party_org_parent_kind() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE parent_kind text;
      BEGIN
        IF NEW.parent_id IS NULL THEN RETURN NEW; END IF;
        SELECT kind INTO parent_kind FROM party_org WHERE id = NEW.parent_id;
        IF NOT (CASE NEW.kind
                  WHEN 'STREET_COMMITTEE' THEN parent_kind = 'DISTRICT_COMMITTEE'
                  WHEN 'DEPARTMENT_COMMITTEE' THEN parent_kind = 'DISTRICT_COMMITTEE'
                  WHEN 'COMMUNITY_COMMITTEE' THEN parent_kind = 'STREET_COMMITTEE'
                  WHEN 'COMMUNITY_BRANCH' THEN parent_kind = 'COMMUNITY_COMMITTEE'
                  WHEN 'COMPOUND_BRANCH' THEN parent_kind = 'COMMUNITY_COMMITTEE'
                  WHEN 'WORK_UNIT_BRANCH' THEN parent_kind IN ('DEPARTMENT_COMMITTEE', 'STREET_COMMITTEE')
                  ELSE false END) THEN
          RAISE EXCEPTION 'a % cannot sit under a %', NEW.kind, parent_kind USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`,
    );
    await execute(
      runner,
      `
      CREATE TRIGGER party_org_parent_kind_check BEFORE INSERT OR UPDATE OF kind, parent_id ON party_org
        FOR EACH ROW EXECUTE FUNCTION party_org_parent_kind()`,
    );

    await execute(
      runner,
      `
      CREATE TABLE party_member (
        id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
        phone                 text CHECK (phone ~ '^1[3-9][0-9]{9}$'),
        user_id               text UNIQUE,
        household_id          uuid,
        institution_id        uuid REFERENCES institution (id),
        -- The community the member lives in (their household's), for scope.
        community_id          uuid REFERENCES org_unit (id),
        joined_party_on       date,
        commitment_signed_at  timestamptz,
        created_at            timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await execute(runner, `CREATE INDEX party_member_household ON party_member (household_id)`);
    await execute(runner, `CREATE INDEX party_member_community ON party_member (community_id, id)`);
    await execute(runner, `CREATE INDEX party_member_institution ON party_member (institution_id, id)`);

    await execute(
      runner,
      `
      CREATE TABLE party_org_position (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        party_org_id    uuid NOT NULL REFERENCES party_org (id),
        party_member_id uuid NOT NULL REFERENCES party_member (id),
        position        text NOT NULL CHECK (position IN ('SECRETARY', 'DEPUTY_SECRETARY')),
        starts_on       date NOT NULL,
        ends_on         date,
        CONSTRAINT party_org_position_dates CHECK (ends_on IS NULL OR ends_on >= starts_on),
        -- One secretary of an organisation at a time.
        CONSTRAINT party_org_position_one_holder EXCLUDE USING gist (
          party_org_id WITH =, position WITH =, daterange(starts_on, ends_on, '[]') WITH &&) WHERE (position = 'SECRETARY')
      )`,
    );
    await execute(runner, `CREATE INDEX party_org_position_member ON party_org_position (party_member_id, starts_on)`);

    await execute(
      runner,
      `
      CREATE TABLE branch_registration (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        party_member_id      uuid NOT NULL REFERENCES party_member (id),
        branch_id            uuid NOT NULL REFERENCES party_org (id),
        kind                 text NOT NULL CHECK (kind IN ('WORK_UNIT', 'COMMUNITY')),
        registered_at        timestamptz NOT NULL DEFAULT now(),
        registered_by        text NOT NULL,
        confirmed_at         timestamptz,
        confirmed_by         text,
        ended_at             timestamptz,
        CONSTRAINT branch_registration_confirmation CHECK ((confirmed_at IS NULL) = (confirmed_by IS NULL))
      )`,
    );
    await execute(
      runner,
      `CREATE UNIQUE INDEX branch_registration_one_open ON branch_registration (party_member_id, kind) WHERE ended_at IS NULL`,
    );
    await execute(runner, `CREATE INDEX branch_registration_branch ON branch_registration (branch_id, registered_at DESC, id)`);

    await execute(
      runner,
      `
      CREATE TABLE leader (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
        body            text NOT NULL CHECK (body IN ('PARTY_COMMITTEE', 'PEOPLES_CONGRESS', 'GOVERNMENT', 'CPPCC')),
        title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
        party_member_id uuid REFERENCES party_member (id),
        created_at      timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await execute(
      runner,
      `
      CREATE TABLE leader_liaison (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        leader_id  uuid NOT NULL REFERENCES leader (id),
        street_id  uuid NOT NULL REFERENCES org_unit (id),
        starts_on  date NOT NULL,
        ends_on    date,
        CONSTRAINT leader_liaison_dates CHECK (ends_on IS NULL OR ends_on >= starts_on),
        -- A street has one liaison leader at a time.
        CONSTRAINT leader_liaison_one_per_street EXCLUDE USING gist (street_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&)
      )`,
    );
    await execute(runner, `CREATE INDEX leader_liaison_leader ON leader_liaison (leader_id, starts_on)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE leader_liaison, leader, branch_registration, party_org_position, party_member`);
    await execute(runner, `DROP TABLE party_org`);
    await execute(runner, `DROP FUNCTION party_org_parent_kind()`);
    await execute(runner, `DROP TRIGGER institution_parent_check ON institution`);
    await execute(runner, `DROP FUNCTION institution_parent_is_department()`);
    await execute(runner, `ALTER TABLE institution DROP COLUMN parent_id`);
  }
}
