// Owns the caller a verified identity-provider token names: user id, roles (through OIDC_ROLE_MAP) and territory.
import type { JWTPayload } from 'jose';
import { isRole, scopeProblem, type Caller, type Role } from '#libs/auth';
import type { GatewayEnvironment } from './gateway-environment.js';
import { TOKEN_ROLES } from './oidc-environment.js';
import { forbid, refuse } from './token-refused.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** User ids the platform gives its own callers: a token naming one would pass for the system, a key or the public. */
const RESERVED_USER_ID = /^(?:system|api-key|open311|enrolment):/i;

/** Who a verified token says is calling; the gateway adds the request id. */
export type TokenCaller = Omit<Caller, 'requestId'>;

type ClaimMapping = Pick<
  GatewayEnvironment,
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
    const role =
      typeof value !== 'string' ? undefined : mapping.OIDC_ROLE_MAP ? mapping.OIDC_ROLE_MAP.get(value) : isRole(value) ? value : undefined;
    if (role === undefined || !TOKEN_ROLES.includes(role)) unknown.push(typeof value === 'string' ? value.slice(0, 40) : typeof value);
    else if (!roles.includes(role)) roles.push(role);
  }
  if (unknown.length > 0) {
    throw forbid(
      'UNKNOWN_ROLE',
      `The token carries roles this platform does not know: ${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ', …' : ''}`,
    );
  }

  const ids: Record<'orgUnitId' | 'householdId' | 'institutionId', string | null> = {
    orgUnitId: null,
    householdId: null,
    institutionId: null,
  };
  for (const [field, claim] of [
    ['orgUnitId', mapping.OIDC_ORG_UNIT_CLAIM],
    ['householdId', mapping.OIDC_HOUSEHOLD_CLAIM],
    ['institutionId', mapping.OIDC_INSTITUTION_CLAIM],
  ] as const) {
    const value = claimAt(payload, claim);
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string' || !UUID.test(value))
      throw forbid('TERRITORY_CLAIM_INVALID', `The token's "${claim}" claim is not a UUID`);
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
