// Owns the identity provider's signing keys: discovery, the cached remote key set, and 503 when it cannot be reached.
import { createRemoteJWKSet, errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import type { GatewayEnvironment } from './gateway-environment.js';
import { log } from './log.js';
import { TokenRefused } from './token-refused.js';

type KeySetSettings = Pick<
  GatewayEnvironment,
  'NODE_ENV' | 'OIDC_ISSUER' | 'OIDC_JWKS_URI' | 'OIDC_JWKS_COOLDOWN' | 'OIDC_JWKS_CACHE_MAX_AGE' | 'OIDC_JWKS_TIMEOUT_MS'
>;

/**
 * The provider's key set as jose caches it: fetched on first use, used for OIDC_JWKS_CACHE_MAX_AGE, fetched again
 * at once for a `kid` it does not hold (a rotation) unless it was fetched less than OIDC_JWKS_COOLDOWN ago. Without
 * OIDC_JWKS_URI, its address comes from the issuer's discovery document, read once (again after a failure).
 * A provider that cannot be reached is 503 IDENTITY_PROVIDER_UNAVAILABLE, logged without the token.
 */
export function remoteKeys(settings: KeySetSettings): JWTVerifyGetKey {
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
      throw unavailable("Reading the identity provider's discovery document failed", error);
    }
    try {
      return await keys(header, token);
    } catch (error) {
      if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) throw error;
      if (error instanceof joseErrors.JOSENotSupported) throw error;
      throw unavailable("Fetching the identity provider's key set failed", error);
    }
  };
}

/**
 * The issuer's discovery document, checked: it must name OIDC_ISSUER itself (a document of another issuer would send
 * keys and sign-ins elsewhere) and is not followed through redirects. The key set and both browser sign-ins read it.
 */
export async function discoveryDocument(
  settings: Pick<GatewayEnvironment, 'OIDC_ISSUER' | 'OIDC_JWKS_TIMEOUT_MS'>,
): Promise<Record<string, unknown>> {
  const issuer = settings.OIDC_ISSUER!;
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
    headers: { accept: 'application/json' },
    redirect: 'error',
    signal: AbortSignal.timeout(settings.OIDC_JWKS_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`the discovery document answered ${response.status}`);
  const document = (await response.json()) as Record<string, unknown>;
  if (document.issuer !== issuer) throw new Error('the discovery document names another issuer than OIDC_ISSUER');
  return document;
}

async function discoverJwksUri(settings: KeySetSettings): Promise<string> {
  const document = await discoveryDocument(settings);
  if (typeof document.jwks_uri !== 'string' || !URL.canParse(document.jwks_uri)) throw new Error('the discovery document has no jwks_uri');
  if (settings.NODE_ENV === 'production' && !document.jwks_uri.startsWith('https://')) throw new Error('the jwks_uri is not https://');
  return document.jwks_uri;
}

function unavailable(what: string, error: unknown): TokenRefused {
  // The cause is jose's or fetch's message: an address and a status at most, never the token being verified.
  log('error', what, { error: error instanceof Error ? error.message : String(error) });
  return new TokenRefused(
    503,
    'IDENTITY_PROVIDER_UNAVAILABLE',
    'The identity provider cannot be reached to check your sign-in; try again shortly',
  );
}
