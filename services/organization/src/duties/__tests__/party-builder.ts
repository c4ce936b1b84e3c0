import { randomInt, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { partyMemberLogin } from '#libs/auth';

export interface Unit {
  id: string;
  path: string[];
}

export type PartyOrgKind =
  | 'DISTRICT_COMMITTEE'
  | 'STREET_COMMITTEE'
  | 'DEPARTMENT_COMMITTEE'
  | 'COMMUNITY_COMMITTEE'
  | 'COMMUNITY_BRANCH'
  | 'COMPOUND_BRANCH'
  | 'WORK_UNIT_BRANCH';

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

/**
 * Arranges the "1 + 3 + N" structure straight in organization's tables (migration 104), for tests that need party
 * organisations, members and posts without going through their API.
 */
export class PartyBuilder {
  constructor(private readonly db: DataSource) {}

  /** The district org unit of the seeded tree. */
  async districtUnit(): Promise<Unit> {
    const [unit] = await this.db.query(`SELECT id, path::text[] AS path FROM org_unit WHERE kind = 'DISTRICT'`);
    return unit;
  }

  /** A territory unit under `parent`, with a fresh code and name. */
  async orgUnit(kind: 'STREET' | 'COMMUNITY' | 'COMPOUND', parent: Unit, name = `${kind}-${randomUUID().slice(0, 8)}`): Promise<Unit> {
    const id = randomUUID();
    const path = [...parent.path, id];
    await this.db.query(`INSERT INTO org_unit (id, kind, code, name, parent_id, path) VALUES ($1, $2, $3, $4, $5, $6::uuid[])`, [
      id,
      kind,
      digits(18),
      name,
      parent.id,
      path,
    ]);
    return { id, path };
  }

  async institution(
    kind: 'EMPLOYER' | 'SCHOOL' | 'DEPARTMENT',
    orgUnitId: string,
    parentId: string | null = null,
    name = `单位-${randomUUID().slice(0, 8)}`,
  ): Promise<string> {
    const [{ id }] = await this.db.query(
      `INSERT INTO institution (kind, name, credit_code, org_unit_id, parent_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [kind, name, digits(18), orgUnitId, parentId],
    );
    return id;
  }

  /** The district committee: the one already there, or a new one tied to the district unit. */
  async districtCommittee(): Promise<Unit> {
    const [existing] = await this.db.query(`SELECT id, path::text[] AS path FROM party_org WHERE kind = 'DISTRICT_COMMITTEE'`);
    if (existing) return existing;
    return this.partyOrg('DISTRICT_COMMITTEE', null, { orgUnitId: (await this.districtUnit()).id }, '区委');
  }

  async partyOrg(
    kind: PartyOrgKind,
    parent: Unit | null,
    tie: { orgUnitId?: string; institutionId?: string },
    name = `${kind}-${randomUUID().slice(0, 8)}`,
  ): Promise<Unit> {
    const id = randomUUID();
    const path = [...(parent?.path ?? []), id];
    await this.db.query(
      `INSERT INTO party_org (id, kind, name, parent_id, path, org_unit_id, institution_id) VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7)`,
      [id, kind, name, parent?.id ?? null, path, tie.orgUnitId ?? null, tie.institutionId ?? null],
    );
    return { id, path };
  }

  /** A party member signing in as `userId`: by default their phone login `member-<id>`, as createPartyMember gives it. */
  async member(name: string, userId?: string | null): Promise<{ id: string; userId: string | null }> {
    const id = randomUUID();
    const login = userId === undefined ? partyMemberLogin(id) : userId;
    await this.db.query(`INSERT INTO party_member (id, name, user_id) VALUES ($1, $2, $3)`, [id, name, login]);
    return { id, userId: login };
  }

  async secretary(partyOrg: Unit, memberId: string, startsOn: string, endsOn: string | null = null): Promise<void> {
    await this.db.query(
      `INSERT INTO party_org_position (party_org_id, party_member_id, position, starts_on, ends_on) VALUES ($1, $2, 'SECRETARY', $3, $4)`,
      [partyOrg.id, memberId, startsOn, endsOn],
    );
  }
}
