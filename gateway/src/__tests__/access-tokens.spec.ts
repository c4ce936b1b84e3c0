import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { EnvironmentError } from '#libs/config';
import { Role, signAccessToken } from '#libs/auth';
import { createLogger } from '#libs/observability';
import { createTokenVerifier, type TokenVerifier } from '../access-tokens.js';
import { TokenRefused } from '../token-refused.js';
import { parseGatewayEnvironment } from '../gateway-environment.js';
import { useGatewayLogger } from '../log.js';

const ISSUER = 'https://id.example.gov.cn/realms/yinzhou';
const AUDIENCE = 'https://waste.example.gov.cn/graphql';
const STREET = '5f0f8c1e-2b7d-4d6a-9a3e-1c2b3d4e5f60';
const JWT_SECRET = randomBytes(32).toString('hex');
const CONTEXT_SIGNING_SECRET = randomBytes(32).toString('hex');

type Signer = { key: CryptoKey; jwk: JWK; alg: string };
const signers: Record<string, Signer> = {};

async function signer(alg: 'ES256' | 'RS256' | 'EdDSA', kid: string): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { key: privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }, alg };
}

function env(overrides: Record<string, string> = {}) {
  return parseGatewayEnvironment({
    NODE_ENV: 'test',
    CONTEXT_SIGNING_SECRET,
    JWT_SECRET,
    OIDC_ISSUER: ISSUER,
    OIDC_AUDIENCE: AUDIENCE,
    OIDC_CLOCK_TOLERANCE: '5',
    ...overrides,
  });
}

function verifier(overrides: Record<string, string> = {}): TokenVerifier {
  const keys = createLocalJWKSet({ keys: [signers.es.jwk, signers.rs.jwk, signers.ed.jwk] });
  return createTokenVerifier(env(overrides), { keys });
}

const now = () => Math.floor(Date.now() / 1000);
const STREET_ADMIN: JWTPayload = { sub: 'u-1001', roles: ['STREET_ADMIN'], org_unit_id: STREET };

function providerToken(
  claims: JWTPayload = STREET_ADMIN,
  options: { by?: Signer; kid?: string; typ?: string; iss?: string; aud?: string; iat?: number; exp?: number } = {},
) {
  const by = options.by ?? signers.es;
  const iat = options.iat ?? now();
  return new SignJWT(claims)
    .setProtectedHeader({ alg: by.alg, kid: options.kid ?? by.jwk.kid, ...(options.typ ? { typ: options.typ } : {}) })
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(options.exp ?? iat + 300)
    .sign(by.key);
}

async function refusal(verify: TokenVerifier, token: string): Promise<{ status: number; reason: string; message: string }> {
  const error = await verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenRefused);
  const { status, reason, message } = error as TokenRefused;
  expect(message).not.toContain(token);
  return { status, reason, message };
}

const unsigned = (payload: JWTPayload) =>
  `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;

describe('access tokens at the gateway', () => {
  beforeAll(async () => {
    signers.es = await signer('ES256', 'es-1');
    signers.rs = await signer('RS256', 'rs-1');
    signers.ed = await signer('EdDSA', 'ed-1');
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('signs in with a provider token of each accepted algorithm, mapping sub, roles and territory', async () => {
    const verify = verifier();
    for (const by of [signers.es, signers.rs, signers.ed]) {
      await expect(verify(await providerToken({ ...STREET_ADMIN, org_unit_id: STREET.toUpperCase() }, { by }))).resolves.toEqual({
        userId: 'u-1001',
        roles: [Role.STREET_ADMIN],
        orgUnitId: STREET,
        householdId: null,
        institutionId: null,
      });
    }
    // A party member's phone login is their subject; roles may come as one space-separated string.
    const member = `member-${STREET}`;
    await expect(
      verify(await providerToken({ sub: member, roles: 'PARTY_MEMBER COMMUNITY_SECRETARY', org_unit_id: STREET })),
    ).resolves.toMatchObject({ userId: member, roles: [Role.PARTY_MEMBER, Role.COMMUNITY_SECRETARY] });
  });

  it("maps configured claim names, a nested roles claim and the provider's own role values", async () => {
    const verify = verifier({
      OIDC_USER_ID_CLAIM: 'staff_id',
      OIDC_ROLES_CLAIM: 'resource_access.waste-platform.roles',
      OIDC_ROLE_MAP: 'district-admin=DISTRICT_ADMIN, property=PROPERTY_MANAGER',
      OIDC_INSTITUTION_CLAIM: 'company',
    });
    const token = await providerToken({
      sub: 'opaque',
      staff_id: 'pm-7',
      resource_access: { 'waste-platform': { roles: ['property'] } },
      company: STREET,
    });
    await expect(verify(token)).resolves.toEqual({
      userId: 'pm-7',
      roles: [Role.PROPERTY_MANAGER],
      orgUnitId: null,
      householdId: null,
      institutionId: STREET,
    });
    // With a map, the platform's own names are unknown values like any other.
    const unmapped = await providerToken({ staff_id: 'x', resource_access: { 'waste-platform': { roles: ['DISTRICT_ADMIN'] } } });
    expect(await refusal(verify, unmapped)).toMatchObject({ status: 403, reason: 'UNKNOWN_ROLE' });
  });

  it('refuses a token with an unknown role, INSTITUTION, no role, or a territory that does not fit, with 403', async () => {
    const verify = verifier();
    const cases: [JWTPayload, string][] = [
      [{ ...STREET_ADMIN, roles: ['STREET_ADMIN', 'MAYOR'] }, 'UNKNOWN_ROLE'],
      [{ sub: 'k', roles: ['INSTITUTION'] }, 'UNKNOWN_ROLE'],
      [{ sub: 'k', roles: [] }, 'NO_ROLE'],
      [{ sub: 'k' }, 'NO_ROLE'],
      [{ sub: 'k', roles: ['STREET_ADMIN'] }, 'TERRITORY_CLAIM_INVALID'],
      [{ sub: 'k', roles: ['STREET_ADMIN'], org_unit_id: 'street-1' }, 'TERRITORY_CLAIM_INVALID'],
      [{ sub: 'k', roles: ['RESIDENT'], org_unit_id: STREET }, 'TERRITORY_CLAIM_INVALID'],
      [{ sub: 'system:monthly-evaluation', roles: ['DISTRICT_ADMIN'] }, 'USER_ID_NOT_ALLOWED'],
    ];
    for (const [claims, reason] of cases) {
      expect({ claims, ...(await refusal(verify, await providerToken(claims))) }).toMatchObject({ status: 403, reason });
    }
    expect((await refusal(verify, await providerToken({ ...STREET_ADMIN, roles: ['MAYOR'] }))).message).toContain('MAYOR');
  });

  it('refuses alg none, other algorithms, unknown keys, bad signatures, wrong issuer or audience, expired and too old tokens', async () => {
    const verify = verifier({ OIDC_MAX_TOKEN_AGE: '600' });
    const other = await signer('ES256', 'es-1'); // same kid, another key
    const valid = await providerToken();
    const cases: [string, string][] = [
      ['not-a-jwt', 'TOKEN_MALFORMED'],
      [unsigned({ ...STREET_ADMIN, iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 60 }), 'ALGORITHM_NOT_ALLOWED'],
      [
        await new SignJWT(STREET_ADMIN)
          .setProtectedHeader({ alg: 'HS384' })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('1m')
          .sign(randomBytes(48)),
        'ALGORITHM_NOT_ALLOWED',
      ],
      [await providerToken(STREET_ADMIN, { kid: 'retired-key' }), 'UNKNOWN_KEY'],
      [await providerToken(STREET_ADMIN, { by: other }), 'INVALID_SIGNATURE'],
      [`${valid.slice(0, valid.lastIndexOf('.'))}.${Buffer.alloc(64).toString('base64url')}`, 'INVALID_SIGNATURE'],
      [await providerToken(STREET_ADMIN, { iss: 'https://id.example.com/realms/elsewhere' }), 'WRONG_ISSUER'],
      [await providerToken(STREET_ADMIN, { aud: 'https://another-api.example.gov.cn' }), 'WRONG_AUDIENCE'],
      [await providerToken(STREET_ADMIN, { iat: now() - 120, exp: now() - 6 }), 'TOKEN_EXPIRED'],
      [await providerToken(STREET_ADMIN, { iat: now() - 606, exp: now() + 3600 }), 'TOKEN_TOO_OLD'],
      [await providerToken(STREET_ADMIN, { iat: now() + 60, exp: now() + 600 }), 'TOKEN_NOT_YET_VALID'],
    ];
    for (const [token, reason] of cases) {
      expect({ case: reason, ...(await refusal(verify, token)) }).toMatchObject({ status: 401, reason });
    }
    // Within the clock tolerance (5 s here) and the maximum age, a token still counts.
    await expect(verify(await providerToken(STREET_ADMIN, { iat: now() - 595, exp: now() - 3 }))).resolves.toMatchObject({
      userId: 'u-1001',
    });
  });

  it('checks the token type when OIDC_TOKEN_TYPE is set', async () => {
    const verify = verifier({ OIDC_TOKEN_TYPE: 'at+jwt' });
    await expect(verify(await providerToken(STREET_ADMIN, { typ: 'at+jwt' }))).resolves.toMatchObject({ userId: 'u-1001' });
    expect(await refusal(verify, await providerToken(STREET_ADMIN, { typ: 'JWT' }))).toMatchObject({
      status: 401,
      reason: 'WRONG_TOKEN_TYPE',
    });
  });

  it('accepts HS256 development tokens only outside production and with JWT_SECRET', async () => {
    const development = await signAccessToken({ sub: 'dev', roles: [Role.DISTRICT_ADMIN], orgUnitId: null }, JWT_SECRET);
    await expect(verifier()(development)).resolves.toMatchObject({ userId: 'dev', roles: [Role.DISTRICT_ADMIN] });
    await expect(
      createTokenVerifier(parseGatewayEnvironment({ NODE_ENV: 'test', CONTEXT_SIGNING_SECRET, JWT_SECRET }))(development),
    ).resolves.toMatchObject({ userId: 'dev' });

    const production = createTokenVerifier(
      parseGatewayEnvironment({
        NODE_ENV: 'production',
        JWT_SECRET,
        CONTEXT_SIGNING_SECRET: randomBytes(32).toString('hex'),
        OIDC_ISSUER: ISSUER,
        OIDC_AUDIENCE: AUDIENCE,
        CORS_ORIGINS: 'https://app.example.gov.cn',
      }),
      { keys: createLocalJWKSet({ keys: [signers.es.jwk] }) },
    );
    expect(await refusal(production, development)).toMatchObject({ status: 401, reason: 'DEVELOPMENT_TOKEN_REFUSED' });
    await expect(production(await providerToken())).resolves.toMatchObject({ userId: 'u-1001' });

    const noSecret = createTokenVerifier({ ...env(), JWT_SECRET: undefined }, { keys: createLocalJWKSet({ keys: [signers.es.jwk] }) });
    expect(await refusal(noSecret, development)).toMatchObject({ status: 401, reason: 'DEVELOPMENT_TOKEN_REFUSED' });
    // Without a provider, a provider-signed token has nothing to be checked against.
    const noProvider = createTokenVerifier(parseGatewayEnvironment({ NODE_ENV: 'test', CONTEXT_SIGNING_SECRET, JWT_SECRET }));
    expect(await refusal(noProvider, await providerToken())).toMatchObject({ status: 401, reason: 'ALGORITHM_NOT_ALLOWED' });
  });

  it('answers 503 when the provider cannot be reached, and logs no token', async () => {
    const lines: string[] = [];
    // The gateway's own logger, writing here instead of stdout.
    useGatewayLogger(createLogger({ NODE_ENV: 'test', LOG_LEVEL: 'log' }, 'gateway', { write: (line) => void lines.push(line) }));
    const verify = createTokenVerifier(env({ OIDC_ISSUER: 'http://127.0.0.1:9', OIDC_JWKS_TIMEOUT_MS: '500' }));
    const token = await providerToken(STREET_ADMIN, { iss: 'http://127.0.0.1:9' });
    expect(await refusal(verify, token)).toMatchObject({ status: 503, reason: 'IDENTITY_PROVIDER_UNAVAILABLE' });
    expect(lines.join('\n')).toContain('discovery document');
    for (const part of token.split('.')) expect(lines.join('\n')).not.toContain(part);
  });

  it('validates the sign-in settings together, with production requiring a provider over https', () => {
    const problems = (given: Record<string, string>) => {
      try {
        parseGatewayEnvironment({ JWT_SECRET, CONTEXT_SIGNING_SECRET, CORS_ORIGINS: 'https://app.example.gov.cn', ...given });
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(EnvironmentError);
        return (error as EnvironmentError).problems;
      }
    };
    expect(problems({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^OIDC_ISSUER: required when NODE_ENV=production/)]);
    expect(problems({ NODE_ENV: 'production', OIDC_ISSUER: 'http://id.example', OIDC_AUDIENCE: AUDIENCE })).toEqual([
      'OIDC_ISSUER: must be https:// when NODE_ENV=production',
    ]);
    expect(problems({ OIDC_ISSUER: ISSUER })).toEqual([expect.stringMatching(/^OIDC_AUDIENCE: required when OIDC_ISSUER is set/)]);
    expect(problems({ OIDC_AUDIENCE: AUDIENCE, PORT: 'eighty' })).toEqual([
      expect.stringMatching(/^PORT:/),
      'OIDC_AUDIENCE: needs OIDC_ISSUER',
    ]);
    expect(problems({ OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: AUDIENCE, OIDC_ROLE_MAP: 'a=MAYOR,b=INSTITUTION,c' })).toHaveLength(3);
    expect(problems({ OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: AUDIENCE, OIDC_CLOCK_TOLERANCE: '3600' })).toEqual([
      expect.stringMatching(/^OIDC_CLOCK_TOLERANCE:/),
    ]);
    const defaults = parseGatewayEnvironment({ NODE_ENV: 'test', CONTEXT_SIGNING_SECRET, JWT_SECRET });
    expect(defaults).toMatchObject({
      OIDC_MAX_TOKEN_AGE: 3600,
      OIDC_CLOCK_TOLERANCE: 30,
      OIDC_JWKS_COOLDOWN: 30,
      OIDC_JWKS_CACHE_MAX_AGE: 600,
      OIDC_JWKS_TIMEOUT_MS: 5000,
      OIDC_USER_ID_CLAIM: 'sub',
      OIDC_ROLES_CLAIM: 'roles',
      OIDC_ORG_UNIT_CLAIM: 'org_unit_id',
      OIDC_HOUSEHOLD_CLAIM: 'household_id',
      OIDC_INSTITUTION_CLAIM: 'institution_id',
    });
    expect(defaults.OIDC_ISSUER).toBeUndefined();
  });
});
