import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GATEWAY_SIGNATURE_HEADER, Role, signCaller } from '#libs/auth';
import { ServiceName } from '#libs/messaging';
import { errorCodes, gatewayKeyPair, postAsGateway, postGraphQL, startPlatform, type GraphQLResponse, type TestPlatform } from '#libs/testing';
import { createGateway, readSupergraph } from '../gateway.js';
import { parseGatewayEnvironment } from '../gateway-environment.js';

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

    // The services' shared HMAC secret, even the real one, is not the gateway's signature; nor is another Ed25519 key's.
    const caller = { userId: 'mallory', roles: [Role.DISTRICT_ADMIN], orgUnitId: null, householdId: null, institutionId: null, requestId: 'forged-request' };
    const hmac = await postGraphQL(url, '{ __typename }', {}, signCaller(caller, platform.env.CONTEXT_SIGNING_SECRET));
    const otherKey = await postAsGateway({ ...platform.env, ...gatewayKeyPair() }, service, url, caller, '{ __typename }');
    for (const [forged, reason] of [[hmac, 'SIGNATURE_MISSING'], [otherKey, 'SIGNATURE_INVALID']] as const) {
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
      await postGraphQL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, '{ orgUnits { totalCount } }', {}, { authorization: `Bearer ${token}` });
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

  it('refuses queries nested deeper than the limit before touching any subgraph', async () => {
    const token = await platform.token([Role.DISTRICT_ADMIN]);
    const deep = `{ orgUnits { edges { node { ${'parent { '.repeat(12)}id${' }'.repeat(12)} } } } }`;
    const response = await platform.query(token, deep);
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.errors![0].message).toMatch(/depth/);
  });
});
