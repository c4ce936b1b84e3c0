import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { AccessTokenError, isRole, scopeProblem, verifyAccessToken, type Caller, type Role } from '#libs/auth';
import type { GatewayEnvironment } from './gateway-environment.js';
import { log } from './log.js';
import { TOKEN_ROLES } from './oidc-environment.js';

/** Signature algorithms accepted from the identity provider: asymmetric only, so only the provider can sign. */
export const OIDC_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;
/** The development tokens of `npm run token` and the tests (a shared secret): never in production. */
const DEVELOPMENT_ALGORITHM = 'HS256';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** User ids the platform gives its own callers: a token naming one would pass for the system, a key or the public. */
const RESERVED_USER_ID = /^(?:system|api-key|open311|enrolment):/i;

/** Who a verified token says is calling; the gateway adds the request id. */
export type TokenCaller = Omit<Caller, 'requestId'>;

/**
 * A token the gateway does not accept: 401 when it is not a valid token of a trusted issuer for this platform, 403
 * when it is one but names a caller the platform cannot serve (a role it does not know, an incomplete territory),
 * 503 when the provider's keys cannot be fetched. `reason` is the client's stable code; the message never quotes
 * the token.
 */
export class TokenRefused extends Error {
  constructor(
    readonly status: 401 | 403 | 503,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRefused';
  }
}

const refuse = (reason: string, message: string) => new TokenRefused(401, reason, message);
const forbid = (reason: string, message: string) => new TokenRefused(403, reason, message);

type TokenSettings = Pick<
  GatewayEnvironment,
  | 'NODE_ENV' | 'OIDC_ISSUER' | 'OIDC_AUDIENCE' | 'OIDC_JWKS_URI' | 'OIDC_MAX_TOKEN_AGE' | 'OIDC_CLOCK_TOLERANCE' | 'OIDC_JWKS_COOLDOWN'
  | 'OIDC_JWKS_CACHE_MAX_AGE' | 'OIDC_JWKS_TIMEOUT_MS' | 'OIDC_TOKEN_TYPE' | 'OIDC_USER_ID_CLAIM' | 'OIDC_ROLES_CLAIM' | 'OIDC_ROLE_MAP'
  | 'OIDC_ORG_UNIT_CLAIM' | 'OIDC_HOUSEHOLD_CLAIM' | 'OIDC_INSTITUTION_CLAIM'
> & { JWT_SECRET?: string };

export interface TokenVerifierOptions {
  /** The provider's keys, instead of the remote key set (unit tests). */
  keys?: JWTVerifyGetKey;
}

export type TokenVerifier = (token: string) => Promise<TokenCaller>;

/**
 * Verifies a bearer token. Its header's `alg` decides the path, and each path accepts only its own algorithms:
 * RS256/ES256/EdDSA against the identity provider's key set (issuer, audience, expiry, maximum age, clock
 * tolerance), or HS256 development tokens, only outside production and only with a JWT_SECRET. Anything else
 * (`alg: none`, another HMAC, a provider token without a configured provider) is refused before any key is looked up.
 */
export function createTokenVerifier(settings: TokenSettings, options: TokenVerifierOptions = {}): TokenVerifier {
  const production = settings.NODE_ENV === 'production';
  const developmentSecret = !production && settings.JWT_SECRET ? settings.JWT_SECRET : undefined;
  const keys = settings.OIDC_ISSUER ? (options.keys ?? remoteKeys(settings)) : undefined;

  return async (token) => {
    let alg: unknown;
    try {
      ({ alg } = decodeProtectedHeader(token));
    } catch {
      throw refuse('TOKEN_MALFORMED', 'The bearer token is not a JWT');
    }
    if (alg === DEVELOPMENT_ALGORITHM) {
      if (!developmentSecret) {
        throw refuse('DEVELOPMENT_TOKEN_REFUSED', production
          ? 'Development tokens (HS256) are refused in production: sign in with the identity provider'
          : 'Development tokens (HS256) need JWT_SECRET; sign in with the identity provider');
      }
      return verifyDevelopmentToken(token, developmentSecret);
    }
    if (typeof alg !== 'string' || !(OIDC_ALGORITHMS as readonly string[]).includes(alg)) {
      throw refuse('ALGORITHM_NOT_ALLOWED', `Tokens signed with ${typeof alg === 'string' ? alg.slice(0, 16) : 'no algorithm'} are not accepted (${OIDC_ALGORITHMS.join(', ')})`);
    }
    if (!keys) throw refuse('ALGORITHM_NOT_ALLOWED', 'No identity provider is configured (OIDC_ISSUER): only development tokens are accepted');
    const payload = await verifyProviderToken(token, keys, settings);
    return callerFromClaims(payload, settings);
  };
}

const verifiers = new WeakMap<object, TokenVerifier>();

/** The verifier of a gateway's settings, made once: its key set and discovery are cached across requests. */
export function tokenVerifierFor(settings: TokenSettings): TokenVerifier {
  let verifier = verifiers.get(settings);
  if (!verifier) verifiers.set(settings, (verifier = createTokenVerifier(settings)));
  return verifier;
}

async function verifyDevelopmentToken(token: string, secret: string): Promise<TokenCaller> {
  try {
    const claims = await verifyAccessToken(token, secret);
    return { userId: claims.sub, roles: claims.roles, orgUnitId: claims.orgUnitId, householdId: claims.householdId ?? null, institutionId: claims.institutionId ?? null };
  } catch (error) {
    if (error instanceof AccessTokenError && error.message === 'token expired') throw refuse('TOKEN_EXPIRED', 'The token has expired');
    throw refuse('INVALID_TOKEN', error instanceof AccessTokenError ? error.message : 'invalid token');
  }
}

async function verifyProviderToken(token: string, keys: JWTVerifyGetKey, settings: TokenSettings): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: [...OIDC_ALGORITHMS],
      issuer: settings.OIDC_ISSUER,
      audience: settings.OIDC_AUDIENCE,
      maxTokenAge: settings.OIDC_MAX_TOKEN_AGE,
      clockTolerance: settings.OIDC_CLOCK_TOLERANCE,
      requiredClaims: ['exp', 'iat'],
      ...(settings.OIDC_TOKEN_TYPE ? { typ: settings.OIDC_TOKEN_TYPE } : {}),
    });
    return payload;
  } catch (error) {
    throw refusalOf(error);
  }
}

/** The client's view of a failed verification: which check failed, never the token or its claims' values. */
function refusalOf(error: unknown): TokenRefused {
  if (error instanceof TokenRefused) return error;
  if (error instanceof joseErrors.JWTExpired) {
    return error.claim === 'iat'
      ? refuse('TOKEN_TOO_OLD', 'The token was issued longer ago than this platform accepts; sign in again')
      : refuse('TOKEN_EXPIRED', 'The token has expired');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return refuse('INVALID_TOKEN', `The token has no "${error.claim}" claim`);
    switch (error.claim) {
      case 'iss': return refuse('WRONG_ISSUER', 'The token was not issued by this platform\'s identity provider');
      case 'aud': return refuse('WRONG_AUDIENCE', 'The token was not issued for this platform (audience)');
      case 'nbf':
      case 'iat': return refuse('TOKEN_NOT_YET_VALID', 'The token is not valid yet');
      case 'typ': return refuse('WRONG_TOKEN_TYPE', 'This is not an access token (typ)');
      default: return refuse('INVALID_TOKEN', `The token's "${error.claim}" claim is not acceptable`);
    }
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return refuse('UNKNOWN_KEY', 'The token is signed with a key the identity provider does not publish (kid)');
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return refuse('INVALID_SIGNATURE', 'The token\'s signature is not valid');
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return refuse('ALGORITHM_NOT_ALLOWED', 'The token\'s algorithm is not accepted');
  return refuse('INVALID_TOKEN', 'The token is not a valid JWT');
}

/**
 * The provider's key set as jose caches it: fetched on first use, used for OIDC_JWKS_CACHE_MAX_AGE, fetched again
 * at once for a `kid` it does not hold (a rotation) unless it was fetched less than OIDC_JWKS_COOLDOWN ago. Without
 * OIDC_JWKS_URI, its address comes from the issuer's discovery document, read once (again after a failure).
 * A provider that cannot be reached is 503 IDENTITY_PROVIDER_UNAVAILABLE, logged without the token.
 */
function remoteKeys(settings: TokenSettings): JWTVerifyGetKey {
  let keySet: Promise<JWTVerifyGetKey> | undefined;
  const load = async (): Promise<JWTVerifyGetKey> => {
    const jwksUri = settings.OIDC_JWKS_URI ?? (await discoverJwksUri(settings));
    return createRemoteJWKSet(new URL(jwksUri), {
      cooldownDuration: settings.OIDC_JWKS_COOLDOWN * 1000,
      cacheMaxAge: settings.OIDC_JWKS_CACHE_MAX_AGE * 1000,
      timeoutDuration: settings.OIDC_JWKS_TIMEOUT_MS,
    });
  };
  return async (header, token) => {
    let keys: JWTVerifyGetKey;
    try {
      keys = await (keySet ??= load());
    } catch (error) {
      keySet = undefined;
      throw unavailable('Reading the identity provider\'s discovery document failed', error);
    }
    try {
      return await keys(header, token);
    } catch (error) {
      if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) throw error;
      if (error instanceof joseErrors.JOSENotSupported) throw error;
      throw unavailable('Fetching the identity provider\'s key set failed', error);
    }
  };
}

async function discoverJwksUri(settings: TokenSettings): Promise<string> {
  const issuer = settings.OIDC_ISSUER!;
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
    headers: { accept: 'application/json' },
    redirect: 'error',
    signal: AbortSignal.timeout(settings.OIDC_JWKS_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`the discovery document answered ${response.status}`);
  const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (document.issuer !== issuer) throw new Error('the discovery document names another issuer than OIDC_ISSUER');
  if (typeof document.jwks_uri !== 'string' || !URL.canParse(document.jwks_uri)) throw new Error('the discovery document has no jwks_uri');
  if (settings.NODE_ENV === 'production' && !document.jwks_uri.startsWith('https://')) throw new Error('the jwks_uri is not https://');
  return document.jwks_uri;
}

function unavailable(what: string, error: unknown): TokenRefused {
  // The cause is jose's or fetch's message: an address and a status at most, never the token being verified.
  log('error', what, { error: (error as Error)?.message ?? String(error) });
  return new TokenRefused(503, 'IDENTITY_PROVIDER_UNAVAILABLE', 'The identity provider cannot be reached to check your sign-in; try again shortly');
}

type ClaimMapping = Pick<
  TokenSettings,
  'OIDC_USER_ID_CLAIM' | 'OIDC_ROLES_CLAIM' | 'OIDC_ROLE_MAP' | 'OIDC_ORG_UNIT_CLAIM' | 'OIDC_HOUSEHOLD_CLAIM' | 'OIDC_INSTITUTION_CLAIM'
>;

/**
 * The caller a verified provider token names. The user id is the user-id claim (`sub`; a party member's is
 * `member-<id>`); roles are the roles claim (an array, or one space-separated string), each mapped through
 * OIDC_ROLE_MAP or else a platform role name: a value the mapping does not know refuses the whole token (403
 * UNKNOWN_ROLE), so a mistyped mapping never signs someone in with fewer or other roles than meant. Territory comes
 * from the org-unit, household and institution claims (UUIDs) under the same rules as development tokens.
 */
export function callerFromClaims(payload: JWTPayload, mapping: ClaimMapping): TokenCaller {
  const userId = claimAt(payload, mapping.OIDC_USER_ID_CLAIM);
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > 255 || /[\p{Cc}\s]/u.test(userId)) {
    throw refuse('INVALID_TOKEN', `The token's "${mapping.OIDC_USER_ID_CLAIM}" claim is not a user id`);
  }
  if (RESERVED_USER_ID.test(userId)) throw forbid('USER_ID_NOT_ALLOWED', 'The token names a user id the platform reserves for itself');

  const given = claimAt(payload, mapping.OIDC_ROLES_CLAIM);
  const values = typeof given === 'string' ? given.split(/\s+/).filter(Boolean) : given;
  if (values === undefined || values === null || (Array.isArray(values) && values.length === 0)) {
    throw forbid('NO_ROLE', `The token carries no role ("${mapping.OIDC_ROLES_CLAIM}")`);
  }
  if (!Array.isArray(values)) throw forbid('UNKNOWN_ROLE', `The token's "${mapping.OIDC_ROLES_CLAIM}" claim is not a list of roles`);
  const roles: Role[] = [];
  const unknown: string[] = [];
  for (const value of values) {
    const role = typeof value !== 'string' ? undefined : mapping.OIDC_ROLE_MAP ? mapping.OIDC_ROLE_MAP.get(value) : isRole(value) ? value : undefined;
    if (role === undefined || !TOKEN_ROLES.includes(role)) unknown.push(typeof value === 'string' ? value.slice(0, 40) : typeof value);
    else if (!roles.includes(role)) roles.push(role);
  }
  if (unknown.length > 0) {
    throw forbid('UNKNOWN_ROLE', `The token carries roles this platform does not know: ${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ', …' : ''}`);
  }

  const ids: Record<'orgUnitId' | 'householdId' | 'institutionId', string | null> = { orgUnitId: null, householdId: null, institutionId: null };
  for (const [field, claim] of [['orgUnitId', mapping.OIDC_ORG_UNIT_CLAIM], ['householdId', mapping.OIDC_HOUSEHOLD_CLAIM], ['institutionId', mapping.OIDC_INSTITUTION_CLAIM]] as const) {
    const value = claimAt(payload, claim);
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string' || !UUID.test(value)) throw forbid('TERRITORY_CLAIM_INVALID', `The token's "${claim}" claim is not a UUID`);
    // Ids are compared with database values, which PostgreSQL prints in lower case.
    ids[field] = value.toLowerCase();
  }
  const problem = scopeProblem(roles, ids.orgUnitId, ids.householdId, ids.institutionId);
  if (problem) throw forbid('TERRITORY_CLAIM_INVALID', `The token's roles and territory do not fit: ${problem}`);
  return { userId, roles, ...ids };
}

function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const name of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}
