// Owns bearer-token verification: which algorithms are accepted, provider tokens checked by jose, development tokens.
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AccessTokenError, verifyAccessToken } from '#libs/auth';
import type { GatewayEnvironment } from './gateway-environment.js';
import { remoteKeys } from './identity-provider-keys.js';
import { callerFromClaims, type TokenCaller } from './token-claims.js';
import { refuse, TokenRefused } from './token-refused.js';

/** Signature algorithms accepted from the identity provider: asymmetric only, so only the provider can sign. */
export const OIDC_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;
/** The development tokens of `npm run token` and the tests (a shared secret): never in production. */
const DEVELOPMENT_ALGORITHM = 'HS256';

type TokenSettings = Pick<
  GatewayEnvironment,
  | 'NODE_ENV'
  | 'OIDC_ISSUER'
  | 'OIDC_AUDIENCE'
  | 'OIDC_JWKS_URI'
  | 'OIDC_MAX_TOKEN_AGE'
  | 'OIDC_CLOCK_TOLERANCE'
  | 'OIDC_JWKS_COOLDOWN'
  | 'OIDC_JWKS_CACHE_MAX_AGE'
  | 'OIDC_JWKS_TIMEOUT_MS'
  | 'OIDC_TOKEN_TYPE'
  | 'OIDC_USER_ID_CLAIM'
  | 'OIDC_ROLES_CLAIM'
  | 'OIDC_ROLE_MAP'
  | 'OIDC_ORG_UNIT_CLAIM'
  | 'OIDC_HOUSEHOLD_CLAIM'
  | 'OIDC_INSTITUTION_CLAIM'
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
        throw refuse(
          'DEVELOPMENT_TOKEN_REFUSED',
          production
            ? 'Development tokens (HS256) are refused in production: sign in with the identity provider'
            : 'Development tokens (HS256) need JWT_SECRET; sign in with the identity provider',
        );
      }
      return verifyDevelopmentToken(token, developmentSecret);
    }
    if (typeof alg !== 'string' || !(OIDC_ALGORITHMS as readonly string[]).includes(alg)) {
      throw refuse(
        'ALGORITHM_NOT_ALLOWED',
        `Tokens signed with ${typeof alg === 'string' ? alg.slice(0, 16) : 'no algorithm'} are not accepted (${OIDC_ALGORITHMS.join(', ')})`,
      );
    }
    if (!keys)
      throw refuse('ALGORITHM_NOT_ALLOWED', 'No identity provider is configured (OIDC_ISSUER): only development tokens are accepted');
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
    return {
      userId: claims.sub,
      roles: claims.roles,
      orgUnitId: claims.orgUnitId,
      householdId: claims.householdId ?? null,
      institutionId: claims.institutionId ?? null,
    };
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
      case 'iss':
        return refuse('WRONG_ISSUER', "The token was not issued by this platform's identity provider");
      case 'aud':
        return refuse('WRONG_AUDIENCE', 'The token was not issued for this platform (audience)');
      case 'nbf':
      case 'iat':
        return refuse('TOKEN_NOT_YET_VALID', 'The token is not valid yet');
      case 'typ':
        return refuse('WRONG_TOKEN_TYPE', 'This is not an access token (typ)');
      default:
        return refuse('INVALID_TOKEN', `The token's "${error.claim}" claim is not acceptable`);
    }
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return refuse('UNKNOWN_KEY', 'The token is signed with a key the identity provider does not publish (kid)');
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return refuse('INVALID_SIGNATURE', "The token's signature is not valid");
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return refuse('ALGORITHM_NOT_ALLOWED', "The token's algorithm is not accepted");
  return refuse('INVALID_TOKEN', 'The token is not a valid JWT');
}
