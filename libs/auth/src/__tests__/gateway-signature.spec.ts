import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { signAccessToken } from '../access-token.js';
import type { Caller } from '../caller.js';
import { signCaller } from '../caller-signature.js';
import {
  GATEWAY_SIGNATURE_HEADER,
  GatewaySignatureVerifier,
  bodyDigest,
  gatewayKeySetting,
  parseGatewayKey,
  signGatewayRequest,
  signGatewayRoute,
  type GatewaySignatureRefusal,
} from '../gateway-signature.js';
import { Role } from '../roles.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const base64Pem = (pem: string | Buffer) => Buffer.from(pem).toString('base64');
const now = Date.UTC(2026, 0, 1, 8, 0, 0);
const caller: Caller = {
  userId: 'user-1',
  roles: [Role.STREET_ADMIN],
  orgUnitId: '4a1f4c1e-9d0b-4f3e-8a51-0c6a3c1b2d7e',
  householdId: null,
  institutionId: null,
  requestId: 'req-1',
};
const body = JSON.stringify({ query: '{ orgUnits { totalCount } }', variables: {} });
const verifier = (subgraph = 'households') => new GatewaySignatureVerifier({ key: publicKey, subgraph });
const sign = (options: Partial<Parameters<typeof signGatewayRequest>[0]> = {}) =>
  signGatewayRequest({ caller, subgraph: 'households', body, key: privateKey, now, ...options });

async function refusal(run: () => Promise<unknown>): Promise<GatewaySignatureRefusal> {
  try {
    await run();
  } catch (error) {
    return (error as { reason: GatewaySignatureRefusal }).reason;
  }
  throw new Error('expected a refusal');
}

describe('gateway signatures (EdDSA, one request to one subgraph)', () => {
  it('gives the subgraph it was made for the caller, for the exact body', async () => {
    const headers = await sign();
    expect(Object.keys(headers)).toEqual([GATEWAY_SIGNATURE_HEADER]);
    expect(await verifier().verify(headers, Buffer.from(body), now)).toEqual(caller);
  });

  it('is refused by another subgraph, for another body and with no body', async () => {
    const headers = await sign();
    expect(await refusal(() => verifier('organization').verify(headers, body, now))).toBe('SIGNATURE_FOR_ANOTHER_SUBGRAPH');
    expect(await refusal(() => verifier().verify(headers, body.replace('totalCount', '__typename'), now))).toBe(
      'SIGNATURE_FOR_ANOTHER_BODY',
    );
    expect(await refusal(() => verifier().verify(headers, `${body} `, now))).toBe('SIGNATURE_FOR_ANOTHER_BODY');
    expect(await refusal(() => verifier().verify(headers, undefined, now))).toBe('SIGNATURE_FOR_ANOTHER_BODY');
  });

  it('is accepted once: the same request replayed to the same subgraph is refused', async () => {
    const headers = await sign();
    const households = verifier();
    expect(await households.verify(headers, body, now)).toEqual(caller);
    expect(await refusal(() => households.verify(headers, body, now + 1000))).toBe('SIGNATURE_REPLAYED');
    // Another request of the same caller is a new signature, accepted.
    expect(await households.verify(await sign(), body, now + 1000)).toEqual(caller);
  });

  it('expires after its lifetime (default 10 s, 2 s of clock tolerance)', async () => {
    const headers = await sign();
    expect(await verifier().verify(headers, body, now + 11_999)).toEqual(caller);
    expect(await refusal(() => verifier().verify(headers, body, now + 12_000))).toBe('SIGNATURE_EXPIRED');
    const short = await sign({ ttlSeconds: 3 });
    expect(await refusal(() => verifier().verify(short, body, now + 6_000))).toBe('SIGNATURE_EXPIRED');
    // Issued in the future (beyond the tolerance): refused too.
    expect(await refusal(() => verifier().verify(headers, body, now - 5_000))).toBe('SIGNATURE_INVALID');
  });

  it('refuses a signature that claims to live longer than a minute, even from the gateway key', async () => {
    const long = await sign({ ttlSeconds: 3600 });
    expect(await refusal(() => verifier().verify(long, body, now))).toBe('SIGNATURE_INVALID');
  });

  it('refuses other keys, other token kinds and the old HMAC headers', async () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    expect(
      await refusal(async () =>
        verifier().verify(await signGatewayRequest({ caller, subgraph: 'households', body, key: other, now }), body, now),
      ),
    ).toBe('SIGNATURE_INVALID');
    const secret = randomBytes(32).toString('hex');
    expect(await refusal(() => verifier().verify(signCaller(caller, secret, now), body, now))).toBe('SIGNATURE_MISSING');
    const staffToken = await signAccessToken({ sub: 'mallory', roles: [Role.DISTRICT_ADMIN], orgUnitId: null }, secret);
    expect(await refusal(() => verifier().verify({ [GATEWAY_SIGNATURE_HEADER]: staffToken }, body, Date.now()))).toBe('SIGNATURE_INVALID');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'gateway-caller+jwt' })).toString('base64url')}.${(await sign())[GATEWAY_SIGNATURE_HEADER].split('.')[1]}.`;
    expect(await refusal(() => verifier().verify({ [GATEWAY_SIGNATURE_HEADER]: unsigned }, body, now))).toBe('SIGNATURE_INVALID');
    // Signed by the right key but with a role nobody has.
    const forgedRole = await new SignJWT({ caller: { ...caller, roles: ['SUPERUSER'] }, bd: bodyDigest(body) })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'gateway-caller+jwt' })
      .setIssuer('waste-gateway')
      .setAudience('households')
      .setIssuedAt(now / 1000)
      .setExpirationTime(now / 1000 + 5)
      .setJti('n')
      .sign(privateKey);
    expect(await refusal(() => verifier().verify({ [GATEWAY_SIGNATURE_HEADER]: forgedRole }, body, now))).toBe('SIGNATURE_INVALID');
  });

  it('reads keys as base64 of PEM and refuses anything but Ed25519 of the right kind', () => {
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(parseGatewayKey(base64Pem(privatePem), 'private').asymmetricKeyType).toBe('ed25519');
    expect(parseGatewayKey(base64Pem(publicPem), 'public').type).toBe('public');
    expect(() => parseGatewayKey(base64Pem(privatePem), 'public')).toThrow(/SPKI public/);
    expect(() => parseGatewayKey(base64Pem(publicPem), 'private')).toThrow(/PKCS8 private/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(() => parseGatewayKey(base64Pem(rsa), 'public')).toThrow(/Ed25519/);
    expect(() => parseGatewayKey('not a key', 'public')).toThrow(/base64 of a PEM/);

    const setting = gatewayKeySetting('public');
    expect(setting.parse(undefined)).toBeUndefined();
    expect(setting.parse('  ')).toBeUndefined();
    expect(setting.safeParse(base64Pem(rsa)).success).toBe(false);
  });
});

describe('route signatures for the plain-HTTP routes the gateway passes through', () => {
  const route = (options: Partial<Parameters<typeof signGatewayRoute>[0]> = {}) =>
    signGatewayRoute({ caller, subgraph: 'households', method: 'POST', target: '/uploads', key: privateKey, now, ...options });

  it('admits the caller once, for that service, method and path only', async () => {
    const headers = await route();
    const once = verifier();
    await expect(once.verifyRoute(headers, 'POST', '/uploads', now)).resolves.toEqual(caller);
    expect(await refusal(() => once.verifyRoute(headers, 'POST', '/uploads', now))).toBe('SIGNATURE_REPLAYED');
    expect(await refusal(async () => verifier().verifyRoute(await route(), 'POST', '/collection-imports', now))).toBe(
      'SIGNATURE_FOR_ANOTHER_ROUTE',
    );
    expect(await refusal(async () => verifier().verifyRoute(await route(), 'GET', '/uploads', now))).toBe('SIGNATURE_FOR_ANOTHER_ROUTE');
    expect(await refusal(async () => verifier('enforcement').verifyRoute(await route(), 'POST', '/uploads', now))).toBe(
      'SIGNATURE_FOR_ANOTHER_SUBGRAPH',
    );
    expect(await refusal(async () => verifier().verifyRoute(await route(), 'POST', '/uploads', now + 60_000))).toBe('SIGNATURE_EXPIRED');
  });

  it("never takes a GraphQL signature for a route, a route signature for GraphQL, or the services' HMAC for either", async () => {
    expect(await refusal(async () => verifier().verifyRoute(await sign(), 'POST', '/graphql', now))).toBe('SIGNATURE_INVALID');
    expect(await refusal(async () => verifier().verify(await route({ target: '/graphql' }), body, now))).toBe('SIGNATURE_INVALID');
    const hmac = signCaller(caller, randomBytes(32).toString('hex'), now);
    expect(await refusal(() => verifier().verifyRoute(hmac, 'POST', '/uploads', now))).toBe('SIGNATURE_MISSING');
  });
});
