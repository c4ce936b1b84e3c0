import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { ServiceName } from '#libs/messaging';
import { errorCodes, waitFor } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';

const UNIT = 'id kind code name labelZh parent { id name } ancestors { name }';

describe('territory tree through the gateway', () => {
  let platform: TestPlatform;
  let admin: string;
  let streetA: { id: string; name: string; code: string };
  let streetB: { id: string; name: string };

  const orgUnitCount = async () => {
    const [{ count }] = await platform.database(ServiceName.Organization).query(`SELECT count(*)::int AS count FROM org_unit`);
    return count as number;
  };
  const communitiesOf = (streetId: string) => platform.plan.communities.filter((c) => c.parentId === streetId);

  beforeAll(async () => {
    platform = await startPlatform();
    admin = await platform.token([Role.DISTRICT_ADMIN]);
    [streetA, streetB] = platform.plan.streets;
  });

  afterAll(async () => {
    await platform.stop();
  });

  it('creates a community under a street, numbering its statistical code after its siblings', async () => {
    const response = await platform.query(admin, `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { ${UNIT} } }`, {
      input: { kind: 'COMMUNITY', parentId: streetA.id, name: '  新华  社区 ' },
    });
    expect(response.errors).toBeUndefined();
    const created = response.data!.createOrgUnit;
    expect(created).toMatchObject({ kind: 'COMMUNITY', name: '新华 社区', labelZh: '社区/村', parent: { id: streetA.id } });
    // 330212 (county) + 001 (street) + the next community number.
    expect(created.code).toBe(`${streetA.code.slice(0, 9)}${String(communitiesOf(streetA.id).length + 1).padStart(3, '0')}`);
    expect(created.ancestors.map((a: any) => a.name)).toEqual(['鄞州区', streetA.name]);
  });

  it.each([
    ['a compound placed directly under a street', { kind: 'COMPOUND', name: '错位小区' }, 'INVALID_PARENT_KIND'],
    ['a street without a parent', { kind: 'STREET', name: '无根街道', parentId: null }, 'PARENT_REQUIRED'],
    ['an empty name', { kind: 'COMMUNITY', name: '   ' }, 'INVALID_NAME'],
    ['a code with letters', { kind: 'COMMUNITY', name: '代码社区', code: '33A' }, 'INVALID_CODE'],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, input, reason) => {
    const before = await orgUnitCount();
    const response = await platform.query(admin, `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, {
      input: { parentId: streetA.id, ...input },
    });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions!.reason).toBe(reason);
    expect(await orgUnitCount()).toBe(before);
  });

  it('refuses a second unit with the same name under one parent as a CONFLICT', async () => {
    const before = await orgUnitCount();
    const response = await platform.query(admin, `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, {
      input: { kind: 'COMMUNITY', parentId: streetA.id, name: communitiesOf(streetA.id)[0].name },
    });
    expect(errorCodes(response)).toEqual(['CONFLICT']);
    expect(response.errors![0].extensions!.reason).toBe('DUPLICATE_NAME');
    expect(await orgUnitCount()).toBe(before);
  });

  it('answers ids that are not UUIDs, unknown ids, unknown enum values and oversized pages with coded errors', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['query($id: ID!) { orgUnit(id: $id) { id } }', { id: 'not-an-id' }, 'BAD_USER_INPUT'],
      ['query($id: ID!) { orgUnit(id: $id) { id } }', { id: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND'],
      ['{ orgUnits(kind: PLANET) { totalCount } }', {}, 'BAD_USER_INPUT'],
      ['query($kind: OrgUnitKind) { orgUnits(kind: $kind) { totalCount } }', { kind: 'PLANET' }, 'BAD_USER_INPUT'],
      ['{ orgUnits(first: 501) { totalCount } }', {}, 'BAD_USER_INPUT'],
      ['{ orgUnits(first: 10, after: "garbage") { totalCount } }', {}, 'BAD_USER_INPUT'],
    ];
    for (const [query, variables, code] of cases) {
      expect({ query, codes: errorCodes(await platform.query(admin, query, variables)) }).toEqual({ query, codes: [code] });
    }
  });

  it('pages through every compound once, in code order, with a total', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const response: any = await platform.query(
        admin,
        `query($after: String) {
        orgUnits(kind: COMPOUND, first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { code } } } }`,
        { after },
      );
      expect(response.errors).toBeUndefined();
      const page = response.data.orgUnits;
      total = page.totalCount;
      seen.push(...page.edges.map((e: any) => e.node.code));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(total).toBe(platform.plan.compounds.length);
    expect(seen).toEqual(platform.plan.compounds.map((c) => c.code).sort());
  });

  it('refuses a move that would make a cycle, and one that breaks the kind order, writing nothing', async () => {
    const community = communitiesOf(streetA.id)[0];
    const before = await platform
      .database(ServiceName.Organization)
      .query(`SELECT id, path::text[] AS path, version FROM org_unit ORDER BY id`);
    const cycle = await platform.query(admin, `mutation($id: ID!, $parentId: ID!) { moveOrgUnit(id: $id, parentId: $parentId) { id } }`, {
      id: streetA.id,
      parentId: community.id,
    });
    expect(errorCodes(cycle)).toEqual(['BAD_USER_INPUT']);
    expect(cycle.errors![0].extensions!.reason).toBe('CYCLE');
    const self = await platform.query(admin, `mutation($id: ID!) { moveOrgUnit(id: $id, parentId: $id) { id } }`, { id: community.id });
    expect(self.errors![0].extensions!.reason).toBe('CYCLE');
    const wrongKind = await platform.query(
      admin,
      `mutation($id: ID!, $parentId: ID!) { moveOrgUnit(id: $id, parentId: $parentId) { id } }`,
      {
        id: community.id,
        parentId: platform.plan.district.id,
      },
    );
    expect(wrongKind.errors![0].extensions!.reason).toBe('INVALID_PARENT_KIND');
    expect(
      await platform.database(ServiceName.Organization).query(`SELECT id, path::text[] AS path, version FROM org_unit ORDER BY id`),
    ).toEqual(before);
  });

  it('moves a community with its compounds to another street, and every service follows', async () => {
    const community = communitiesOf(streetA.id)[1];
    const compound = platform.plan.compounds.find((c) => c.parentId === community.id)!;
    const moved = await platform.query(
      admin,
      `mutation($id: ID!, $parentId: ID!) { moveOrgUnit(id: $id, parentId: $parentId) { ${UNIT} } }`,
      {
        id: community.id,
        parentId: streetB.id,
      },
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.moveOrgUnit.parent.id).toBe(streetB.id);

    const compoundNow = await platform.query(admin, `query($id: ID!) { orgUnit(id: $id) { ancestors { id } } }`, { id: compound.id });
    expect(compoundNow.data!.orgUnit.ancestors.map((a: any) => a.id)).toEqual([platform.plan.district.id, streetB.id, community.id]);

    // households learns of the move through the outbox and its queue; then the new street's admin sees those households.
    const streetBAdmin = await platform.token([Role.STREET_ADMIN], streetB.id);
    const streetAAdmin = await platform.token([Role.STREET_ADMIN], streetA.id);
    const households = `query($id: ID!) { households(orgUnitId: $id, first: 1) { totalCount } }`;
    await waitFor('the move to reach households', async () => {
      const response = await platform.query(streetBAdmin, households, { id: compound.id });
      return !response.errors && response.data!.households.totalCount > 0;
    });
    expect(errorCodes(await platform.query(streetAAdmin, households, { id: compound.id }))).toEqual(['FORBIDDEN']);
  });

  it('does not reuse the code of a unit that moved away for the next unit of its old parent', async () => {
    const create = (name: string) =>
      platform.query(admin, `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id code } }`, {
        input: { kind: 'COMMUNITY', parentId: streetA.id, name },
      });
    // The newest community of street A has the highest number; it moves away and keeps its code.
    const leaving = (await create('迁出社区')).data!.createOrgUnit;
    const move = await platform.query(admin, `mutation($id: ID!, $parentId: ID!) { moveOrgUnit(id: $id, parentId: $parentId) { code } }`, {
      id: leaving.id,
      parentId: streetB.id,
    });
    expect(move.data!.moveOrgUnit.code).toBe(leaving.code);
    const next = await create('迁出后新建社区');
    expect(next.errors).toBeUndefined();
    expect(Number(next.data!.createOrgUnit.code)).toBe(Number(leaving.code) + 1);
  });

  it('renames a unit and the name reaches the copies of the tree', async () => {
    const compound = platform.plan.compounds.find((c) => c.path.includes(streetB.id))!;
    const renamed = await platform.query(admin, `mutation($id: ID!) { renameOrgUnit(id: $id, name: "金桂苑") { name } }`, {
      id: compound.id,
    });
    expect(renamed.data!.renameOrgUnit.name).toBe('金桂苑');
    await waitFor('households to show the new name', async () => {
      const response = await platform.query(
        admin,
        `query($id: ID!) { households(orgUnitId: $id, first: 1) { edges { node { address } } } }`,
        { id: compound.id },
      );
      return response.data?.households.edges[0]?.node.address.startsWith('金桂苑');
    });
  });

  describe('a street administrator', () => {
    let token: string;

    beforeAll(async () => {
      token = await platform.token([Role.STREET_ADMIN], streetA.id);
    });

    it('sees only their street and what lies under it', async () => {
      const response = await platform.query(
        token,
        `{ streets: orgUnits(kind: STREET) { totalCount edges { node { id } } } all: orgUnits { totalCount } }`,
      );
      expect(response.data!.streets.edges.map((e: any) => e.node.id)).toEqual([streetA.id]);
      const [{ count }] = await platform
        .database(ServiceName.Organization)
        .query(`SELECT count(*)::int AS count FROM org_unit WHERE path @> ARRAY[$1::uuid]`, [streetA.id]);
      expect(response.data!.all.totalCount).toBe(count);
    });

    it('gets FORBIDDEN for another street, and changes nothing there', async () => {
      expect(errorCodes(await platform.query(token, `query($id: ID!) { orgUnit(id: $id) { id } }`, { id: streetB.id }))).toEqual([
        'FORBIDDEN',
      ]);
      const before = await orgUnitCount();
      const create = await platform.query(token, `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, {
        input: { kind: 'COMMUNITY', parentId: streetB.id, name: '越界社区' },
      });
      expect(errorCodes(create)).toEqual(['FORBIDDEN']);
      expect(await orgUnitCount()).toBe(before);
    });

    it('does not see the parent of their street', async () => {
      const response = await platform.query(token, `query($id: ID!) { orgUnit(id: $id) { parent { id } ancestors { id } } }`, {
        id: streetA.id,
      });
      expect(response.data!.orgUnit).toEqual({ parent: null, ancestors: [] });
    });
  });

  it('lets a community secretary read but not edit the tree', async () => {
    const community = communitiesOf(streetA.id)[0];
    const token = await platform.token([Role.COMMUNITY_SECRETARY], community.id);
    const read = await platform.query(token, `{ orgUnits(kind: COMPOUND) { totalCount } }`);
    expect(read.data!.orgUnits.totalCount).toBe(platform.plan.compounds.filter((c) => c.parentId === community.id).length);
    const rename = await platform.query(token, `mutation($id: ID!) { renameOrgUnit(id: $id, name: "改名") { id } }`, { id: community.id });
    expect(errorCodes(rename)).toEqual(['FORBIDDEN']);
  });
});
