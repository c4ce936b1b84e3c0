import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { decodeProtectedHeader } from 'jose';
import { GATEWAY_SIGNATURE_HEADER, Role, signCaller } from '#libs/auth';
import { PUBLISHED_SECRETS } from '#libs/config';
import { ServiceName } from '#libs/messaging';
import { errorCodes, gatewayKeyPair, postAsGateway, postGraphQL, waitFor, type GraphQLResponse } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';
import { createGateway, readSupergraph } from '../create-gateway.js';
import { parseGatewayEnvironment } from '../gateway-environment.js';
import { startIdentityProvider, type TestIdentityProvider } from './identity-provider.js';

describe('gateway', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startPlatform();
  });

  afterAll(async () => {
    await platform.stop();
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

  it('refuses a token signed with any secret value ever committed to the repository: 401, coded, no data', async () => {
    const { signAccessToken } = await import('#libs/auth');
    for (const published of PUBLISHED_SECRETS) {
      const token = await signAccessToken({ sub: 'anyone', roles: [Role.DISTRICT_ADMIN], orgUnitId: null }, published);
      const response = await platform.query(token, '{ orgUnits { totalCount } }');
      expect([published, response.status]).toEqual([published, 401]);
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
      expect(response.data ?? null).toBeNull();
    }
  });

  it('serves the district to a district administrator', async () => {
    const token = await platform.token([Role.DISTRICT_ADMIN]);
    const response = await platform.query(
      token,
      '{ viewer { roles rolesLabelZh } orgUnits(kind: STREET) { totalCount edges { node { name labelZh } } } }',
    );
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

    // The services' shared HMAC secret, even the real one, is not the gateway's signature; nor is another Ed25519 key's.
    const caller = {
      userId: 'mallory',
      roles: [Role.DISTRICT_ADMIN],
      orgUnitId: null,
      householdId: null,
      institutionId: null,
      requestId: 'forged-request',
    };
    const hmac = await postGraphQL(url, '{ __typename }', {}, signCaller(caller, platform.env.CONTEXT_SIGNING_SECRET));
    const otherKey = await postAsGateway({ ...platform.env, ...gatewayKeyPair() }, service, url, caller, '{ __typename }');
    for (const [forged, reason] of [
      [hmac, 'SIGNATURE_MISSING'],
      [otherKey, 'SIGNATURE_INVALID'],
    ] as const) {
      expect(forged.status).toBe(401);
      expect(errorCodes(forged)).toEqual(['UNAUTHENTICATED']);
      expect(forged.errors![0].extensions!.reason).toBe(reason);
      expect(forged.data ?? null).toBeNull();
    }
  });

  it('refuses a captured subgraph request replayed to another subgraph, with another body, or a second time', async () => {
    // A gateway like the platform's, except that its requests to organization land here instead.
    const captured: { headers: IncomingHttpHeaders; body: string }[] = [];
    const capture = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        captured.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { orgUnits: { totalCount: 0 } } }));
      });
    });
    await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
    const gateway = createGateway(
      parseGatewayEnvironment({ ...platform.env, ORGANIZATION_URL: `http://127.0.0.1:${(capture.address() as AddressInfo).port}/graphql` }),
      await readSupergraph(),
    );
    const server = createServer(gateway.app);
    try {
      await gateway.start(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const token = await platform.token([Role.DISTRICT_ADMIN]);
      await postGraphQL(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
        '{ orgUnits { totalCount } }',
        {},
        { authorization: `Bearer ${token}` },
      );
    } finally {
      await gateway.stop();
      await new Promise((resolve) => server.close(resolve));
      await new Promise((resolve) => capture.close(resolve));
    }
    expect(captured).toHaveLength(1);
    const [{ headers, body }] = captured;
    expect(headers[GATEWAY_SIGNATURE_HEADER]).toEqual(expect.any(String));
    // Only the signature leaves the gateway: no HMAC pair, no unsigned caller, no token.
    expect(Object.keys(headers).filter((name) => /caller|authorization/.test(name))).toEqual([]);

    const replay = async (service: ServiceName, replayedBody: string): Promise<GraphQLResponse> => {
      const response = await fetch(`${platform.serviceUrls.get(service)}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [GATEWAY_SIGNATURE_HEADER]: String(headers[GATEWAY_SIGNATURE_HEADER]) },
        body: replayedBody,
      });
      return { status: response.status, ...((await response.json()) as object) };
    };
    const refusedWith = (response: GraphQLResponse) => {
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
      expect(response.data ?? null).toBeNull();
      return response.errors![0].extensions!.reason;
    };
    const households = await replay(ServiceName.Households, body.replace('orgUnits', 'households'));
    expect(refusedWith(households)).toBe('SIGNATURE_FOR_ANOTHER_SUBGRAPH');
    expect(refusedWith(await replay(ServiceName.Households, body))).toBe('SIGNATURE_FOR_ANOTHER_SUBGRAPH');
    const widened = body.replace('totalCount', 'totalCount edges { node { id name } }');
    expect(widened).not.toBe(body);
    expect(refusedWith(await replay(ServiceName.Organization, widened))).toBe('SIGNATURE_FOR_ANOTHER_BODY');
    // The request as the gateway made it, to the subgraph it was made for, within its seconds: answered once...
    const original = await replay(ServiceName.Organization, body);
    expect(original.errors).toBeUndefined();
    expect(original.data).toEqual({ orgUnits: { totalCount: expect.any(Number) } });
    // ...and never again: each signature carries a nonce the subgraph remembers until it expires.
    expect(refusedWith(await replay(ServiceName.Organization, body))).toBe('SIGNATURE_REPLAYED');
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
    const nested =
      'query($first: Int) { orgUnits(first: $first) { edges { node { liaisons(first: $first) { edges { node { id } } } } } } }';
    const costly = await platform.query(token, nested, { first: 500 });
    expect(costly.status).toBe(400);
    expect(errorCodes(costly)).toEqual(['QUERY_TOO_COSTLY']);
    expect(costly.errors![0].message).toMatch(/^Query cost 501,501 exceeds the limit of 100,000/);
    expect(costly.data ?? null).toBeNull();
    // The same shape with small pages is answered.
    const small = await platform.query(token, nested, { first: 5 });
    expect(small.errors).toBeUndefined();
  });

  /**
   * Sign-in with a real OpenID provider (oidc-provider) issuing JWT access tokens: a second gateway in front of the
   * same services, configured for it by discovery, with no JWKS cooldown and a one-second key-set cache so a rotation
   * shows within the test.
   */
  describe('with the identity provider', () => {
    const AUDIENCE = 'https://waste.yinzhou.example/graphql';
    const QUERY = '{ viewer { userId roles territory { id name } } orgUnits(kind: COMMUNITY) { totalCount } }';
    let provider: TestIdentityProvider;
    let gatewayUrl: string;
    let stopGateway: () => Promise<void>;
    const issued: string[] = [];
    const logged: string[] = [];

    const signIn = async (user: string, audience = AUDIENCE) => {
      const token = await provider.accessToken(user, audience);
      issued.push(token);
      return token;
    };
    const ask = (token: string, headers: Record<string, string> = {}) =>
      postGraphQL(gatewayUrl, QUERY, {}, { authorization: `Bearer ${token}`, ...headers });
    const refusal = (response: GraphQLResponse) => ({
      status: response.status,
      data: response.data ?? null,
      codes: errorCodes(response),
      reason: response.errors?.[0]?.extensions?.reason,
    });

    beforeAll(async () => {
      const street = platform.plan.streets[0];
      provider = await startIdentityProvider({
        'u-street-admin': { claims: { roles: ['STREET_ADMIN'], org_unit_id: street.id } },
        'u-mayor': { claims: { roles: ['STREET_ADMIN', 'MAYOR'], org_unit_id: street.id } },
        'u-short-lived': { claims: { roles: ['DISTRICT_ADMIN'] }, ttlSeconds: 1 },
      });
      const env = parseGatewayEnvironment({
        ...platform.env,
        PORT: '0',
        ...Object.fromEntries([...platform.serviceUrls].map(([name, url]) => [`${name.toUpperCase()}_URL`, `${url}/graphql`])),
        OIDC_ISSUER: provider.issuer,
        OIDC_AUDIENCE: AUDIENCE,
        OIDC_TOKEN_TYPE: 'at+jwt',
        OIDC_CLOCK_TOLERANCE: '0',
        OIDC_JWKS_COOLDOWN: '0',
        OIDC_JWKS_CACHE_MAX_AGE: '1',
      });
      const gateway = createGateway(env, await readSupergraph());
      const server: Server = createServer(gateway.app);
      await gateway.start(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
      stopGateway = async () => {
        await gateway.stop();
        await new Promise((resolve) => server.close(resolve));
      };
      for (const level of ['log', 'warn', 'error'] as const) {
        jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
      }
    });

    afterAll(async () => {
      jest.restoreAllMocks();
      await stopGateway();
      await provider.stop();
    });

    it("signs in a street administrator: roles and territory come from the token's claims", async () => {
      const street = platform.plan.streets[0];
      const response = await ask(await signIn('u-street-admin'));
      expect(response.errors).toBeUndefined();
      expect(response.data!.viewer).toEqual({
        userId: 'u-street-admin',
        roles: ['STREET_ADMIN'],
        territory: { id: street.id, name: street.name },
      });
      // Scoped as a development token with the same role and unit is.
      const same = await platform.query(await platform.token([Role.STREET_ADMIN], street.id), QUERY);
      expect(response.data!.orgUnits).toEqual(same.data!.orgUnits);
      expect(response.data!.orgUnits.totalCount).toBe(platform.plan.communities.filter((c) => c.parentId === street.id).length);
    });

    it('refuses a role the mapping does not know with 403 UNKNOWN_ROLE, and no data', async () => {
      expect(refusal(await ask(await signIn('u-mayor')))).toEqual({
        status: 403,
        data: null,
        codes: ['FORBIDDEN'],
        reason: 'UNKNOWN_ROLE',
      });
    });

    it('refuses a token the provider issued for another audience', async () => {
      const elsewhere = await signIn('u-street-admin', 'https://reports.yinzhou.example/');
      expect(refusal(await ask(elsewhere))).toEqual({ status: 401, data: null, codes: ['UNAUTHENTICATED'], reason: 'WRONG_AUDIENCE' });
    });

    it('refuses an expired token', async () => {
      const token = await signIn('u-short-lived');
      const response = await waitFor(
        'the one-second token to expire',
        async () => {
          const answer = await ask(token);
          return answer.status === 401 ? answer : undefined;
        },
        10_000,
      );
      expect(refusal(response)).toEqual({ status: 401, data: null, codes: ['UNAUTHENTICATED'], reason: 'TOKEN_EXPIRED' });
    });

    it('refuses alg none and a token sent beside an API key', async () => {
      const [, payload] = (await signIn('u-street-admin')).split('.');
      const none = `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${payload}.`;
      expect(refusal(await ask(none))).toEqual({ status: 401, data: null, codes: ['UNAUTHENTICATED'], reason: 'ALGORITHM_NOT_ALLOWED' });
      const both = await ask(await signIn('u-street-admin'), { 'x-api-key': `wsk_aaaaaaaaaa_${'a'.repeat(43)}` });
      expect(refusal(both)).toEqual({ status: 401, data: null, codes: ['UNAUTHENTICATED'], reason: 'TOKEN_AND_API_KEY' });
    });

    it('follows a key rotation: new tokens verify at once, tokens of a retired key are refused once it is gone', async () => {
      const oldKid = provider.signingKid();
      const before = await signIn('u-street-admin');
      expect((await ask(before)).errors).toBeUndefined();

      const newKid = await provider.rotate('ES256');
      const after = await signIn('u-street-admin');
      expect(decodeProtectedHeader(after)).toMatchObject({ kid: newKid, alg: 'ES256' });
      expect((await ask(after)).data!.viewer.userId).toBe('u-street-admin');
      expect((await ask(before)).errors).toBeUndefined(); // the old key is still published

      await provider.retire(oldKid);
      const refused = await waitFor(
        'the retired key to leave the cached key set',
        async () => {
          const answer = await ask(before);
          return answer.status === 401 ? answer : undefined;
        },
        10_000,
      );
      expect(refusal(refused)).toEqual({ status: 401, data: null, codes: ['UNAUTHENTICATED'], reason: 'UNKNOWN_KEY' });
      expect((await ask(after)).data!.viewer.userId).toBe('u-street-admin');
    });

    it('writes no token into any log line', () => {
      expect(issued.length).toBeGreaterThan(5);
      // Any JWT starts with a base64url '{"': none may appear, whole or in part.
      expect(logged.filter((line) => line.includes('eyJ') || issued.some((token) => line.includes(token.split('.')[2])))).toEqual([]);
    });
  });
});
