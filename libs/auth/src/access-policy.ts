import { DomainError } from '#libs/errors';
import { actsForWholeDistrict, hasPermission, type Caller } from './caller.js';
import { Permission } from './roles.js';

/**
 * Access policies: who may call each root field, resolve each entity reference and read each field that carries
 * personal data, and with what reach. Each service declares all of its own in one file (`<service>.policy.ts`);
 * the platform refuses to start when a root field or entity reference has none, guards every root field and
 * reference with it before any resolver runs, and the authorisation matrix test calls every operation as every role
 * and checks the outcome against it.
 *
 * The permission is checked by the platform. The reach says how far the caller's scope goes; the platform checks
 * WHOLE_DISTRICT itself, the others need the record and are checked by the service that loads it (one function
 * per kind of record, e.g. `isWithinScope`), which the matrix proves inside and outside each territory.
 */
export enum Reach {
  /** Everything of the district: only callers acting for the whole district (OUT_OF_SCOPE for others). */
  WHOLE_DISTRICT = 'WHOLE_DISTRICT',
  /** Anything of the district that is not personal: the territory tree, rule sets, templates, published results. */
  DISTRICT = 'DISTRICT',
  /** Records inside the caller's territory (an org unit argument, or the unit the record belongs to). */
  TERRITORY = 'TERRITORY',
  /** The caller's own records: their household, their reports, their party-member record, their uploads. */
  OWN = 'OWN',
  /** An institution calling with its API key: its own notices, webhooks, reports. */
  INSTITUTION = 'INSTITUTION',
}

/** Any signed-in caller, whatever their role. */
export const SIGNED_IN = 'SIGNED_IN' as const;

export interface Grant {
  permission: Permission | typeof SIGNED_IN;
  reach: Reach;
  /** For TERRITORY: the argument naming the unit or record whose territory is checked, when there is one. */
  scopedBy?: string;
}

/** How a field with personal data reads for a caller who may not see it. */
export enum Masking {
  /** Masked the way notices mask (张*明, 138****5678): the model masks; the matrix proves it. */
  PARTIAL = 'PARTIAL',
  /** Null: the platform withholds it. */
  WITHHELD = 'WITHHELD',
}

export interface PersonalDataPolicy {
  /** Permissions whose holders read the field in clear, within the reach of the query that led to it. */
  readers: readonly Permission[];
  masking: Masking;
  /** The person themself (a resident's own household, a member's own record) also reads it in clear. */
  alsoTheirOwn?: boolean;
}

export interface ServicePolicies {
  /** Keyed `Query.field` / `Mutation.field`. */
  operations: Record<string, readonly Grant[]>;
  /** Keyed by entity type name: who may resolve a reference to it (others get null). */
  references: Record<string, readonly Grant[]>;
  /** Keyed `Type.field`. */
  personalData: Record<string, PersonalDataPolicy>;
}

/** The entry of a policy map for `key`, or undefined when the map names none (the maps are plain records). */
export function policyFor<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

export function grant(permission: Permission | typeof SIGNED_IN, reach: Reach, scopedBy?: string): Grant {
  return scopedBy === undefined ? { permission, reach } : { permission, reach, scopedBy };
}

export const wholeDistrict = (permission: Permission): Grant => grant(permission, Reach.WHOLE_DISTRICT);
export const district = (permission: Permission | typeof SIGNED_IN): Grant => grant(permission, Reach.DISTRICT);
export const territory = (permission: Permission, scopedBy?: string): Grant => grant(permission, Reach.TERRITORY, scopedBy);
export const own = (permission: Permission | typeof SIGNED_IN): Grant => grant(permission, Reach.OWN);
export const ofInstitution = (permission: Permission): Grant => grant(permission, Reach.INSTITUTION);

export function personalData(
  readers: readonly Permission[],
  masking: Masking,
  options: { alsoTheirOwn?: boolean } = {},
): PersonalDataPolicy {
  return { readers, masking, ...(options.alsoTheirOwn ? { alsoTheirOwn: true } : {}) };
}

export function hasGrantPermission(caller: Caller, candidate: Grant): boolean {
  return candidate.permission === SIGNED_IN ? caller.roles.length > 0 : hasPermission(caller, candidate.permission);
}

/** The first grant the caller meets (permission and, for WHOLE_DISTRICT, reach), or null. */
export function applicableGrant(caller: Caller, grants: readonly Grant[]): Grant | null {
  return (
    grants.find(
      (candidate) => hasGrantPermission(caller, candidate) && (candidate.reach !== Reach.WHOLE_DISTRICT || actsForWholeDistrict(caller)),
    ) ?? null
  );
}

/** Why the caller may not call a field with these grants: MISSING_PERMISSION, or OUT_OF_SCOPE for a district-wide one. */
export function accessRefusal(caller: Caller, grants: readonly Grant[], field: string): DomainError | null {
  if (applicableGrant(caller, grants)) return null;
  const permitted = grants.filter((candidate) => hasGrantPermission(caller, candidate));
  if (permitted.length > 0)
    return DomainError.forbidden(`${field} covers the whole district; your role acts for a part of it`, 'OUT_OF_SCOPE');
  const needed = [...new Set(grants.map((candidate) => candidate.permission))].join(' or ');
  return DomainError.forbidden(`Your role does not allow ${needed}`, 'MISSING_PERMISSION');
}

/** May the caller read this personal-data field in clear (before any own-record exception the model applies)? */
export function readsInClear(caller: Caller, policy: PersonalDataPolicy): boolean {
  return policy.readers.some((permission) => hasPermission(caller, permission));
}

export function emptyPolicies(): ServicePolicies {
  return { operations: {}, references: {}, personalData: {} };
}
