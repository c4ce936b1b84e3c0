import { type Caller, Permission, ROLE_PERMISSIONS, Role, isWithinScope } from '#libs/auth';
import { DomainError } from '#libs/errors';
import type { PartyMemberRow, PartyOrgRow } from './party.models.js';

/**
 * Party scope: an organisation answers to the territory unit it is tied to (a work-unit branch or department
 * committee: its institution's unit); a member to the community they live in. A COMMUNITY_SECRETARY reaches only
 * what answers to their community, a STREET_ADMIN their street's subtree, district-wide roles everything.
 */
export function orgWithinScope(caller: Caller, org: Pick<PartyOrgRow, 'scopePath'>): boolean {
  return isWithinScope(caller, org.scopePath);
}

export function requireOrgWithinScope(caller: Caller, org: Pick<PartyOrgRow, 'scopePath' | 'name'>): void {
  if (!orgWithinScope(caller, org)) throw DomainError.forbidden(`${org.name} is outside your territory`, 'OUT_OF_SCOPE');
}

export function memberWithinScope(caller: Caller, member: Pick<PartyMemberRow, 'scopePath'>): boolean {
  return isWithinScope(caller, member.scopePath ?? []);
}

export function requireMemberWithinScope(caller: Caller, member: Pick<PartyMemberRow, 'scopePath'>): void {
  if (!memberWithinScope(caller, member)) throw DomainError.forbidden('That party member lives outside your territory', 'OUT_OF_SCOPE');
}

/** A caller whose only party reading right comes from being a PARTY_MEMBER: they read their own record only. */
export function readsOwnRecordOnly(caller: Caller): boolean {
  return !caller.roles.some((role) => role !== Role.PARTY_MEMBER && ROLE_PERMISSIONS[role].includes(Permission.PARTY_READ));
}

/**
 * A caller whose party reading comes only from being a branch secretary (单位支部书记, signed in with their member
 * account): they read the members registered with the branches whose secretary they are today, and their own record,
 * not every member of the district.
 */
export function readsOwnBranchesOnly(caller: Caller): boolean {
  const readers = caller.roles.filter((role) => role !== Role.PARTY_MEMBER && ROLE_PERMISSIONS[role].includes(Permission.PARTY_READ));
  return readers.length > 0 && readers.every((role) => role === Role.BRANCH_SECRETARY);
}

/**
 * SQL: the member `m` has an open registration (confirmed or not: the secretary confirms it) with a branch whose
 * secretary today (Asia/Shanghai) is the member account `userParam`.
 */
export const registeredWithBranchOf = (userParam: string) => `EXISTS (
  SELECT 1 FROM branch_registration r
    JOIN party_org_position p ON p.party_org_id = r.branch_id AND p.position = 'SECRETARY'
     AND p.starts_on <= (now() AT TIME ZONE 'Asia/Shanghai')::date
     AND (p.ends_on IS NULL OR p.ends_on >= (now() AT TIME ZONE 'Asia/Shanghai')::date)
    JOIN party_member s ON s.id = p.party_member_id AND s.user_id = ${userParam}
   WHERE r.party_member_id = m.id AND r.ended_at IS NULL)`;

/** May the caller read this member? Their own record always; otherwise party readers within scope. */
export function canReadMember(caller: Caller, member: PartyMemberRow): boolean {
  if (member.userId !== null && member.userId === caller.userId) return true;
  return !readsOwnRecordOnly(caller) && memberWithinScope(caller, member);
}
