import { z } from 'zod';
import { unsetIfEmpty } from '#libs/config';
import { isRole, Role } from '#libs/auth';

/**
 * Sign-in with the district's identity provider (OpenID Connect): where its keys are, what its access tokens must
 * say, and which of their claims carry the caller's user id, roles and territory. Unset OIDC_ISSUER: no provider
 * (development, with HS256 development tokens only); production requires one.
 */

const optionalUrl = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .refine((value) => URL.canParse(value), 'must be a URL')
    .optional(),
);
const whole = (fallback: number, min: number, max: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().int().min(min).max(max).default(fallback));
/** A claim name, or a dotted path into nested objects (`resource_access.waste-platform.roles`). */
const claimPath = (fallback: string) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^[^.\s]+(?:\.[^.\s]+)*$/, 'must be a claim name or a dotted path of claim names')
      .default(fallback),
  );

/** Roles a token may carry: all but INSTITUTION, which only an institution's API key makes. */
export const TOKEN_ROLES: readonly Role[] = Object.values(Role).filter((role) => role !== Role.INSTITUTION);

export const oidcEnvironmentShape = {
  /** The provider's issuer identifier, exactly as its tokens' `iss` and its discovery document say it. */
  OIDC_ISSUER: optionalUrl,
  /** The audience (`aud`, the resource indicator) the provider issues this platform's access tokens for. */
  OIDC_AUDIENCE: z.preprocess(unsetIfEmpty, z.string().optional()),
  /** The provider's key set; unset, it is read from the issuer's `/.well-known/openid-configuration` (`jwks_uri`). */
  OIDC_JWKS_URI: optionalUrl,
  /** Seconds since a token's `iat` after which it is refused, whatever its `exp` says. */
  OIDC_MAX_TOKEN_AGE: whole(3600, 60, 86_400),
  /** Seconds of clock skew allowed between the provider and the gateway for `exp`, `nbf` and `iat`. */
  OIDC_CLOCK_TOLERANCE: whole(30, 0, 300),
  /** Seconds after a key-set fetch before a token naming an unknown `kid` may make the gateway fetch it again. */
  OIDC_JWKS_COOLDOWN: whole(30, 0, 3600),
  /** Seconds a fetched key set is used before it is fetched again (so removed keys stop working within this). */
  OIDC_JWKS_CACHE_MAX_AGE: whole(600, 1, 86_400),
  /** Milliseconds the gateway waits for the discovery document or the key set. */
  OIDC_JWKS_TIMEOUT_MS: whole(5000, 100, 60_000),
  /** When set, the `typ` header every access token must carry (`at+jwt` for RFC 9068 tokens); unset: not checked. */
  OIDC_TOKEN_TYPE: z.preprocess(unsetIfEmpty, z.string().optional()),
  OIDC_USER_ID_CLAIM: claimPath('sub'),
  OIDC_ROLES_CLAIM: claimPath('roles'),
  /**
   * How the provider's role values become the platform's roles: `provider-value=ROLE` pairs, comma-separated
   * (`district-admin=DISTRICT_ADMIN,inspector=INSPECTOR`). Unset: the provider sends the platform's role names.
   */
  OIDC_ROLE_MAP: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .optional()
      .transform((value, context) => {
        if (value === undefined) return undefined;
        const map = new Map<string, Role>();
        for (const pair of value
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)) {
          const [from, to, ...rest] = pair.split('=').map((part) => part.trim());
          if (!from || !to || rest.length > 0) {
            context.addIssue({ code: 'custom', message: `"${pair}" is not provider-value=ROLE` });
            continue;
          }
          if (!isRole(to) || !TOKEN_ROLES.includes(to)) {
            context.addIssue({ code: 'custom', message: `${to} is not a role a token may carry (${TOKEN_ROLES.join(', ')})` });
            continue;
          }
          map.set(from, to);
        }
        return map;
      }),
  ),
  OIDC_ORG_UNIT_CLAIM: claimPath('org_unit_id'),
  OIDC_HOUSEHOLD_CLAIM: claimPath('household_id'),
  OIDC_INSTITUTION_CLAIM: claimPath('institution_id'),
};

/**
 * What the field-by-field validation cannot see: settings that only make sense together, and what production
 * requires (a provider, over https: development tokens are refused there, so without one nobody could sign in).
 */
export function oidcEnvironmentProblems(env: Record<string, string | undefined>): string[] {
  const given = (name: string) => (typeof env[name] === 'string' && env[name].trim() !== '' ? env[name].trim() : undefined);
  const production = (env.NODE_ENV ?? 'development') === 'production';
  const problems: string[] = [];
  const issuer = given('OIDC_ISSUER');
  if (!issuer) {
    if (production)
      problems.push(
        'OIDC_ISSUER: required when NODE_ENV=production (staff sign in with the identity provider; development tokens are refused)',
      );
    for (const name of ['OIDC_AUDIENCE', 'OIDC_JWKS_URI']) if (given(name)) problems.push(`${name}: needs OIDC_ISSUER`);
    return problems;
  }
  if (!given('OIDC_AUDIENCE'))
    problems.push("OIDC_AUDIENCE: required when OIDC_ISSUER is set (the audience the provider issues this platform's tokens for)");
  if (production) {
    for (const name of ['OIDC_ISSUER', 'OIDC_JWKS_URI']) {
      const value = given(name);
      if (value && !value.startsWith('https://')) problems.push(`${name}: must be https:// when NODE_ENV=production`);
    }
  }
  return problems;
}
