import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role, signCaller } from '#libs/auth';
import { ServiceName } from '#libs/messaging';
import { errorCodes, postGraphQL, startPlatform, type TestPlatform } from '#libs/testing';

describe('gateway', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startPlatform();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('answers a call without a token with UNAUTHENTICATED and no data', async () => {
    const response = await platform.query(null, '{ orgUnits { totalCount } }');
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.data ?? null).toBeNull();
  });

  it('refuses a token signed with another secret, and an expired one', async () => {
    const { signAccessToken } = await import('#libs/auth');
    const forged = await signAccessToken({ sub: 'mallory', roles: [Role.DISTRICT_ADMIN], orgUnitId: null }, 'x'.repeat(40));
    const expired = await signAccessToken({ sub: 'old', roles: [Role.DISTRICT_ADMIN], orgUnitId: null }, platform.env.JWT_SECRET, -10);
    for (const token of [forged, expired, 'not-a-jwt']) {
      const response = await platform.query(token, '{ orgUnits { totalCount } }');
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
      expect(response.data ?? null).toBeNull();
    }
  });

  it('serves the district to a district administrator', async () => {
    const token = await platform.token([Role.DISTRICT_ADMIN]);
    const response = await platform.query(token, '{ viewer { roles rolesLabelZh } orgUnits(kind: STREET) { totalCount edges { node { name labelZh } } } }');
    expect(response.errors).toBeUndefined();
    expect(response.data!.viewer).toEqual({ roles: ['DISTRICT_ADMIN'], rolesLabelZh: ['区级管理员'] });
    expect(response.data!.orgUnits.totalCount).toBe(platform.plan.streets.length);
    expect(response.data!.orgUnits.edges.map((e: any) => e.node.name)).toEqual(platform.plan.streets.map((s) => s.name));
    expect(response.data!.orgUnits.edges[0].node.labelZh).toBe('镇街');
  });

  it.each(Object.values(ServiceName))('makes %s refuse a direct call that the gateway did not sign', async (service) => {
    const url = `${platform.serviceUrls.get(service)}/graphql`;
    const unsigned = await postGraphQL(url, '{ __typename }');
    expect(unsigned.status).toBe(401);
    expect(errorCodes(unsigned)).toEqual(['UNAUTHENTICATED']);
    expect(unsigned.data ?? null).toBeNull();

    const caller = { userId: 'mallory', roles: [Role.DISTRICT_ADMIN], orgUnitId: null, householdId: null, institutionId: null, requestId: 'forged-request' };
    const forged = await postGraphQL(url, '{ __typename }', {}, signCaller(caller, 'not-the-platform-secret-0123456789abcdef'));
    expect(errorCodes(forged)).toEqual(['UNAUTHENTICATED']);
    expect(forged.data ?? null).toBeNull();
  });

  it('reports every process healthy on /health', async () => {
    for (const url of [...platform.serviceUrls.values()]) {
      const response = await fetch(`${url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', checks: { database: 'up', redis: 'up' } });
    }
    const gateway = await fetch(platform.gatewayUrl.replace('/graphql', '/health'));
    expect(gateway.status).toBe(200);
  });

  it('refuses queries over the limits with 400 and a coded error before touching any subgraph', async () => {
    const token = await platform.token([Role.DISTRICT_ADMIN]);
    const deep = `{ orgUnits { edges { node { ${'parent { '.repeat(12)}id${' }'.repeat(12)} } } } }`;
    const tooDeep = await platform.query(token, deep);
    expect(tooDeep.status).toBe(400);
    expect(errorCodes(tooDeep)).toEqual(['QUERY_TOO_DEEP']);
    expect(tooDeep.data ?? null).toBeNull();

    // Every street's liaisons, 500 of each: about 250,000 rows.
    const nested = 'query($first: Int) { orgUnits(first: $first) { edges { node { liaisons(first: $first) { edges { node { id } } } } } } }';
    const costly = await platform.query(token, nested, { first: 500 });
    expect(costly.status).toBe(400);
    expect(errorCodes(costly)).toEqual(['QUERY_TOO_COSTLY']);
    expect(costly.errors![0].message).toMatch(/^Query cost 501,501 exceeds the limit of 100,000/);
    expect(costly.data ?? null).toBeNull();
    // The same shape with small pages is answered.
    const small = await platform.query(token, nested, { first: 5 });
    expect(small.errors).toBeUndefined();
  });
});
