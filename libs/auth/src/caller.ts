import { DomainError } from '#libs/errors';
import { DISTRICT_WIDE_ROLES, Permission, ROLE_PERMISSIONS, Role } from './roles.js';

/** Who is calling, as the gateway established it and every subgraph receives it. */
export interface Caller {
  userId: string;
  roles: Role[];
  /** Root of the territory the caller may see; null means the whole district. */
  orgUnitId: string | null;
  /** For a RESIDENT: the one household they may see. Null for everyone else. */
  householdId: string | null;
  /**
   * For an INSTITUTION calling with its API key: the institution. For a PROPERTY_MANAGER: their property company, from
   * the token's `institutionId` claim. Null for everyone else.
   */
  institutionId: string | null;
  /** Correlates log lines of one request across the gateway, subgraphs and jobs. */
  requestId: string;
}

export function hasPermission(caller: Caller, permission: Permission): boolean {
  return caller.roles.some((role) => ROLE_PERMISSIONS[role].includes(permission));
}

export function requirePermission(caller: Caller, permission: Permission): void {
  if (!hasPermission(caller, permission)) {
    throw DomainError.forbidden(`Your role does not allow ${permission}`, 'MISSING_PERMISSION');
  }
}

/**
 * True when the caller acts for the whole district: no org unit and a district-wide role. A caller without an org
 * unit and without such a role (an institution's API key, the anonymous Open311 caller) reaches no territory at all.
 */
export function actsForWholeDistrict(caller: Caller): boolean {
  return caller.orgUnitId === null && caller.roles.some((role) => DISTRICT_WIDE_ROLES.includes(role));
}

/** True when a unit whose ancestor path (root first, itself last) is `path` lies inside the caller's territory. */
export function isWithinScope(caller: Caller, path: readonly string[]): boolean {
  if (caller.orgUnitId === null) return actsForWholeDistrict(caller);
  return path.includes(caller.orgUnitId);
}

export function requireWithinScope(caller: Caller, path: readonly string[]): void {
  if (!isWithinScope(caller, path)) {
    throw DomainError.forbidden('That org unit is outside your territory', 'OUT_OF_SCOPE');
  }
}

/**
 * A caller with a scoped role but no org unit would see everything, and a resident without a household would see
 * nothing that is theirs: such tokens are refused. So is a token claiming to be an institution, which only an API key
 * makes (the gateway then names the institution).
 */
export function scopeProblem(
  roles: readonly Role[],
  orgUnitId: string | null,
  householdId: string | null = null,
  institutionId: string | null = null,
): string | null {
  if (roles.includes(Role.INSTITUTION)) return 'role INSTITUTION comes only with an institution API key, never in a token';
  if (roles.includes(Role.RESIDENT) && householdId === null) return 'role RESIDENT needs a householdId';
  // A property manager reaches their company's compounds, never a territory: the company alone, and it alone.
  if (roles.includes(Role.PROPERTY_MANAGER)) {
    if (institutionId === null) return 'role PROPERTY_MANAGER needs an institutionId (their property company)';
    if (roles.length > 1) return 'role PROPERTY_MANAGER comes alone';
    if (orgUnitId !== null || householdId !== null) return 'role PROPERTY_MANAGER carries no orgUnitId or householdId';
    return null;
  }
  if (institutionId !== null) return 'only role PROPERTY_MANAGER carries an institutionId';
  // An operator runs the platform, not a territory: the role alone and no org unit, so it never reaches residents' data.
  if (roles.includes(Role.OPERATOR)) {
    if (roles.length > 1) return 'role OPERATOR comes alone';
    if (orgUnitId !== null || householdId !== null) return 'role OPERATOR carries no orgUnitId or householdId';
    return null;
  }
  if (orgUnitId !== null) return null;
  const scoped = roles.filter((role) => !DISTRICT_WIDE_ROLES.includes(role));
  return scoped.length > 0 ? `roles ${scoped.join(', ')} need an orgUnitId` : null;
}

/**
 * May the caller see this household? A resident sees only their own; everyone else sees households whose compound
 * (with ancestor path `compoundPath`) lies inside their territory.
 */
export function canSeeHousehold(caller: Caller, householdId: string, compoundPath: readonly string[]): boolean {
  if (caller.householdId !== null) return caller.householdId === householdId;
  return isWithinScope(caller, compoundPath);
}

/** The property company a PROPERTY_MANAGER acts for; null for every other caller (an institution's API key included). */
export function propertyCompanyOf(caller: Caller): string | null {
  return caller.roles.includes(Role.PROPERTY_MANAGER) ? caller.institutionId : null;
}

/** The caller for work the platform does on its own (scheduled cycles): district-wide, named for the logs. */
export function systemCaller(name: string, requestId: string): Caller {
  return { userId: `system:${name}`, roles: [Role.DISTRICT_ADMIN], orgUnitId: null, householdId: null, institutionId: null, requestId };
}
