import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { Role } from '#libs/auth';
import type { DatabaseLogger } from '#libs/database';
import { ServiceName } from '#libs/messaging';
import { errorCodes } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';

const PAGE = `query($org: ID!, $first: Int, $after: String) {
  households(orgUnitId: $org, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id address addressMasked building unit room compound { id name } propertyCompany { name } } }
  }
}`;

describe('households through the gateway', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    // organization runs in this process so the test can count the SQL it runs.
    platform = await startPlatform({ inProcess: ServiceName.Organization, households: 400 });
  });

  afterAll(() => platform.stop());

  /** SQL statements organization runs against its unit and institution tables while `work` runs. */
  async function organizationStatements(work: () => Promise<unknown>): Promise<string[]> {
    const logger = platform.inProcessApp!.get(DataSource).logger as DatabaseLogger;
    const statements: string[] = [];
    const stop = logger.observe((sql) => {
      if (/FROM (org_unit|institution)/.test(sql)) statements.push(sql);
    });
    try {
      await work();
    } finally {
      stop();
    }
    return statements;
  }

  it.each([100, 20])('resolves the compounds and property companies of a page of %i households with one query each', async (first) => {
    const token = await platform.token([Role.DISTRICT_ADMIN]);
    let response: any;
    const statements = await organizationStatements(async () => {
      response = await platform.query(token, PAGE, { org: platform.plan.district.id, first });
    });
    expect(response.errors).toBeUndefined();
    const nodes = response.data.households.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(first);
    const compoundNames = new Map(platform.plan.compounds.map((c) => [c.id, c.name]));
    for (const node of nodes) expect(node.compound.name).toBe(compoundNames.get(node.compound.id));
    expect(new Set(nodes.map((n: any) => n.compound.id)).size).toBeGreaterThan(1);
    expect(statements.filter((sql) => sql.includes('FROM org_unit'))).toHaveLength(1);
    expect(statements.filter((sql) => sql.includes('FROM institution'))).toHaveLength(1);
  });

  it('pages through a street in address order, each household once', async () => {
    const token = await platform.token([Role.DISTRICT_ADMIN]);
    const street = platform.plan.streets[0];
    const ids: string[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const response: any = await platform.query(token, PAGE, { org: street.id, first: 37, after });
      total = response.data.households.totalCount;
      ids.push(...response.data.households.edges.map((e: any) => e.node.id));
      after = response.data.households.pageInfo.hasNextPage ? response.data.households.pageInfo.endCursor : null;
    } while (after);
    const [{ count }] = await platform
      .database(ServiceName.Households)
      .query(
        `SELECT count(*)::int AS count FROM household h JOIN territory_unit t ON t.id = h.compound_id WHERE t.path @> ARRAY[$1::uuid]`,
        [street.id],
      );
    expect(total).toBe(count);
    expect(ids).toHaveLength(count);
    expect(new Set(ids).size).toBe(count);
  });

  it('masks the room for roles that do not visit households, and audits every unmasked read', async () => {
    const compound = platform.plan.compounds[0];
    const community = platform.plan.communities.find((c) => c.id === compound.parentId)!;
    const admin = await platform.token([Role.DISTRICT_ADMIN]);
    const masked: any = await platform.query(admin, PAGE, { org: compound.id, first: 3 });
    for (const { node } of masked.data.households.edges) {
      expect(node).toMatchObject({ addressMasked: true, room: null });
      expect(node.address).toMatch(new RegExp(`^${compound.name}\\d+幢\\d+单元\\*\\*\\*室$`));
    }

    const audit = platform.database(ServiceName.Households);
    const [{ count: before }] = await audit.query(`SELECT count(*)::int AS count FROM personal_data_access`);
    const secretary = await platform.token([Role.COMMUNITY_SECRETARY], community.id, 'secretary-1');
    const unmasked: any = await platform.query(secretary, PAGE, { org: compound.id, first: 3 });
    const nodes = unmasked.data.households.edges.map((e: any) => e.node);
    for (const node of nodes) {
      expect(node.addressMasked).toBe(false);
      expect(node.address).toBe(`${compound.name}${node.building}幢${node.unit}单元${node.room}室`);
    }
    const rows = await audit.query(`SELECT user_id, entity, entity_ids::text[] AS ids FROM personal_data_access ORDER BY id DESC LIMIT 1`);
    expect(rows[0]).toEqual({ user_id: 'secretary-1', entity: 'Household', ids: nodes.map((n: any) => n.id) });
    const [{ count: after }] = await audit.query(`SELECT count(*)::int AS count FROM personal_data_access`);
    expect(after).toBe(before + 1);
  });

  it("keeps a street administrator to their street's households", async () => {
    const [streetA, streetB] = platform.plan.streets;
    const token = await platform.token([Role.STREET_ADMIN], streetA.id);
    const own: any = await platform.query(token, PAGE, { org: streetA.id, first: 5 });
    expect(own.errors).toBeUndefined();
    expect(own.data.households.edges).toHaveLength(5);
    expect(errorCodes(await platform.query(token, PAGE, { org: streetB.id, first: 5 }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await platform.query(token, PAGE, { org: platform.plan.district.id, first: 5 }))).toEqual(['FORBIDDEN']);

    const admin = await platform.token([Role.DISTRICT_ADMIN]);
    const elsewhere: any = await platform.query(admin, PAGE, { org: streetB.id, first: 1 });
    const id = elsewhere.data.households.edges[0].node.id;
    expect(errorCodes(await platform.query(token, `query($id: ID!) { household(id: $id) { id } }`, { id }))).toEqual(['FORBIDDEN']);
  });

  it('answers bad arguments with BAD_USER_INPUT or NOT_FOUND', async () => {
    const token = await platform.token([Role.DISTRICT_ADMIN]);
    expect(errorCodes(await platform.query(token, PAGE, { org: 'street-1', first: 5 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await platform.query(token, PAGE, { org: platform.plan.district.id, first: 501 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await platform.query(token, PAGE, { org: '00000000-0000-4000-8000-000000000000', first: 5 }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await platform.query(token, PAGE, { org: platform.plan.district.id, first: 5, after: 'eyJ4Ijo' }))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});
