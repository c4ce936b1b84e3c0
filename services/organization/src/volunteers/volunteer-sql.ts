import type { DataSource, EntityManager } from 'typeorm';
import { requireWithinScope, type Caller } from '#libs/auth';
import { queryFirst, queryOne, type SqlParams } from '#libs/database';
import { DomainError } from '#libs/errors';

/**
 * The condition of the public volunteer lists (activity feed, quizzes, contests) on `orgUnitId`: what is held at that
 * unit, below it, or at one of its ancestors (a district quiz shows in every street). `alias` is the list's table,
 * joined to its unit as `u`. NOT_FOUND for an unknown unit.
 */
export async function unitOrRelativesCondition(
  dataSource: DataSource,
  params: SqlParams,
  orgUnitId: string,
  alias: string,
): Promise<string> {
  const { found } = await queryOne<{ found: boolean }>(dataSource, `SELECT EXISTS (SELECT 1 FROM org_unit WHERE id = $1) AS found`, [
    orgUnitId,
  ]);
  if (!found) throw DomainError.notFound('OrgUnit', orgUnitId);
  const unit = params.add(orgUnitId);
  return `(u.path @> ARRAY[${unit}::uuid] OR ${alias}.org_unit_id = ANY ((SELECT path FROM org_unit WHERE id = ${unit})::uuid[]))`;
}

/**
 * FORBIDDEN unless the unit `orgUnitId` is within the caller's territory. An unknown unit is NOT_FOUND when it narrows a
 * list (`'notFound'`), BAD_USER_INPUT UNKNOWN_ORG_UNIT when it is where a new quiz or contest is held (`'badInput'`).
 */
export async function requireUnitInScope(
  dataSource: DataSource,
  caller: Caller,
  orgUnitId: string,
  unknown: 'notFound' | 'badInput',
): Promise<void> {
  const unit = await queryFirst<{ path: string[] }>(dataSource, `SELECT path::text[] AS path FROM org_unit WHERE id = $1`, [orgUnitId]);
  if (!unit) {
    if (unknown === 'badInput') throw DomainError.badInput('orgUnitId is not a territory unit', 'UNKNOWN_ORG_UNIT', { orgUnitId });
    throw DomainError.notFound('OrgUnit', orgUnitId);
  }
  requireWithinScope(caller, unit.path);
}

/**
 * The conditions of the organisers' volunteer lists (activities, hours) on the unit `u` a row is held at: within the
 * caller's territory and, when `orgUnitId` narrows the list, at or below that unit, which must itself be within the
 * territory (FORBIDDEN otherwise; NOT_FOUND for an unknown unit).
 */
export async function territoryConditions(
  dataSource: DataSource,
  params: SqlParams,
  caller: Caller,
  orgUnitId: string | null | undefined,
): Promise<string[]> {
  const where: string[] = [];
  if (orgUnitId) {
    await requireUnitInScope(dataSource, caller, orgUnitId, 'notFound');
    where.push(`u.path @> ARRAY[${params.add(orgUnitId)}::uuid]`);
  }
  if (caller.orgUnitId) where.push(`u.path @> ARRAY[${params.add(caller.orgUnitId)}::uuid]`);
  return where;
}

/** The caller's volunteer record: activities, quizzes and contests are for registered volunteers only. */
export async function volunteerIdOf(manager: EntityManager, caller: Caller): Promise<string> {
  const row = await queryFirst<{ id: string }>(manager, `SELECT id FROM volunteer WHERE user_id = $1`, [caller.userId]);
  if (!row) throw DomainError.badInput('Register as a volunteer first (registerVolunteer)', 'NOT_A_VOLUNTEER');
  return row.id;
}

/** Trims and collapses spaces; BAD_USER_INPUT `reason` unless 1–max characters remain (0–max when `optional`). */
export function cleanText(value: string | null | undefined, field: string, max: number, reason: string, optional = false): string {
  const text = (value ?? '').trim().replace(/[ \t]+/g, ' ');
  const length = [...text].length;
  if ((!optional && length === 0) || length > max) {
    throw DomainError.badInput(`${field} must be ${optional ? 'at most' : `1 to`} ${max} characters`, reason, { field, max });
  }
  return text;
}

export const TEAM_COLUMNS = `t.id, t.name, t.compound_branch_id AS "compoundBranchId", b.name AS "compoundBranchName",
  t.org_unit_id AS "orgUnitId", (SELECT count(*)::int FROM volunteer tv WHERE tv.team_id = t.id) AS "volunteerCount", t.created_at AS "createdAt"`;
export const TEAM_FROM = `volunteer_team t JOIN party_org b ON b.id = t.compound_branch_id JOIN org_unit tu ON tu.id = t.org_unit_id`;

export const VOLUNTEER_COLUMNS = `v.id, v.user_id AS "userId", v.name, v.phone, v.party_member_id AS "partyMemberId", v.team_id AS "teamId",
  v.registered_at AS "registeredAt"`;

export const ACTIVITY_COLUMNS = `a.id, a.campaign, a.kind, a.title, a.description, a.starts_at AS "startsAt", a.ends_at AS "endsAt",
  a.starts_at::text AS "startsAtKey", a.org_unit_id AS "orgUnitId", u.name AS "orgUnitName", u.path::text[] AS "orgUnitPath", a.place, a.capacity,
  a.team_id AS "teamId", a.status, a.created_by AS "createdBy", a.created_at AS "createdAt", a.published_at AS "publishedAt",
  a.closed_at AS "closedAt", a.days, (a.starts_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "firstDay",
  (SELECT count(*)::int FROM volunteer_sign_up c WHERE c.activity_id = a.id AND c.cancelled_at IS NULL) AS "signUpCount",
  CASE WHEN a.days IS NOT NULL THEN
    (SELECT count(*)::int FROM volunteer_sign_up c WHERE c.activity_id = a.id AND c.cancelled_at IS NULL
        AND (SELECT count(*) FROM volunteer_day_check_in d WHERE d.sign_up_id = c.id) = a.days) END AS "completedCount"`;
export const ACTIVITY_FROM = `volunteer_activity a JOIN org_unit u ON u.id = a.org_unit_id`;

export const SIGN_UP_COLUMNS = `s.id, s.activity_id AS "activityId", s.volunteer_id AS "volunteerId", s.signed_up_at AS "signedUpAt",
  s.signed_up_at::text AS "signedUpAtKey", s.cancelled_at AS "cancelledAt", s.checked_in_at AS "checkedInAt", s.hours::text AS hours,
  s.hours_approved_by AS "hoursApprovedBy", s.hours_approved_at AS "hoursApprovedAt", sa.days AS "activityDays",
  ARRAY(SELECT ((sa.starts_at AT TIME ZONE 'Asia/Shanghai')::date + d.day_number - 1)::text
          FROM volunteer_day_check_in d WHERE d.sign_up_id = s.id ORDER BY d.day_number) AS "checkedInDays"`;
/** Sign-ups with their activity (`sa`), for the daily check-ins of multi-day activities. */
export const SIGN_UP_FROM = `volunteer_sign_up s JOIN volunteer_activity sa ON sa.id = s.activity_id`;
