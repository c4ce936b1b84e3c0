import type { EntityManager } from 'typeorm';
import { execute, queryFirst, queryOne } from '#libs/database';

/**
 * The vanguard index of one month for every party member (or for `$2` members only), as one statement over the whole
 * district, written into vanguard_index_month (an upsert that writes only rows whose content changes).
 *
 * The formula version is the one in force for the month (latest effective_from ≤ month); its weights are read from
 * vanguard_formula, so a new version changes numbers, never this statement. Parts (docs/organization.md, "The vanguard index"):
 * - HOUSEHOLD_GRADE: the points of the household's grade (member_household_grade); no evidence or no grade: 0.
 * - CHECK_INS: maximum × (weeks with the quota met by check-ins approved by both branches) / (the month's ISO weeks,
 *   i.e. weeks whose Monday is in the month); a week without a summary counts as not met.
 * - DUTIES: maximum × met / due from member_duty_compliance; not applicable when nothing was due.
 * - VOLUNTEER_HOURS: maximum × min(hours / fullAtHours, 1) from member_volunteer_hours.
 * score = round(100 × Σ points of applicable parts / Σ their maxima, 1).
 *
 * Parameters: $1 month (first day), $2 member ids (uuid[]) or null for everyone.
 */
export const COMPUTE_VANGUARD_MONTH = `
WITH formula AS (
  SELECT version, weights AS w FROM vanguard_formula WHERE effective_from <= $1::date ORDER BY effective_from DESC LIMIT 1
),
weeks AS (
  SELECT generate_series(date_trunc('week', $1::date + 6)::date, ($1::date + interval '1 month' - interval '1 day')::date, interval '7 days')::date AS week
),
members AS (SELECT id FROM party_member WHERE $2::uuid[] IS NULL OR id = ANY($2::uuid[])),
check_ins AS (
  SELECT party_member_id, count(*) FILTER (WHERE quota_met)::int AS weeks_met
    FROM member_check_in_week WHERE week IN (SELECT week FROM weeks) GROUP BY party_member_id
),
duties AS (
  SELECT party_member_id, sum(due)::int AS due, sum(met)::int AS met FROM member_duty_compliance WHERE month = $1::date GROUP BY party_member_id
),
volunteering AS (
  SELECT party_member_id, sum(hours)::numeric AS hours FROM member_volunteer_hours WHERE month = $1::date GROUP BY party_member_id
),
inputs AS (
  SELECT m.id AS party_member_id, f.version, f.w,
         coalesce(g.status, 'NO_RECORD') AS grade_status, g.grade,
         (SELECT count(*)::int FROM weeks) AS weeks, coalesce(c.weeks_met, 0) AS weeks_met,
         coalesce(d.due, 0) AS due, least(coalesce(d.met, 0), coalesce(d.due, 0)) AS met,
         coalesce(v.hours, 0) AS hours,
         (f.w->'householdGrade'->>'maximum')::numeric AS grade_max, (f.w->'checkIns'->>'maximum')::numeric AS check_in_max,
         (f.w->'duties'->>'maximum')::numeric AS duty_max, (f.w->'volunteerHours'->>'maximum')::numeric AS volunteer_max,
         (f.w->'volunteerHours'->>'fullAtHours')::numeric AS full_at_hours
    FROM members m CROSS JOIN formula f
    LEFT JOIN member_household_grade g ON g.party_member_id = m.id AND g.month = $1::date
    LEFT JOIN check_ins c ON c.party_member_id = m.id
    LEFT JOIN duties d ON d.party_member_id = m.id
    LEFT JOIN volunteering v ON v.party_member_id = m.id
),
scored AS (
  SELECT i.*,
         CASE WHEN grade_status = 'GRADED' THEN coalesce((w->'householdGrade'->'points'->>grade)::numeric, 0) ELSE 0 END AS grade_points,
         check_in_max * weeks_met / weeks AS check_in_points,
         CASE WHEN due > 0 THEN duty_max * met / due END AS duty_points,
         volunteer_max * least(hours / full_at_hours, 1) AS volunteer_points
    FROM inputs i
),
computed AS (
  SELECT party_member_id, version,
         round(100 * (grade_points + check_in_points + coalesce(duty_points, 0) + volunteer_points)
                    / (grade_max + check_in_max + CASE WHEN duty_points IS NULL THEN 0 ELSE duty_max END + volunteer_max), 1) AS score,
         jsonb_build_array(
           jsonb_build_object('part', 'HOUSEHOLD_GRADE', 'points', round(grade_points, 2), 'maximum', grade_max, 'applicable', true,
                              'inputs', jsonb_build_object('gradeStatus', grade_status, 'grade', grade)),
           jsonb_build_object('part', 'CHECK_INS', 'points', round(check_in_points, 2), 'maximum', check_in_max, 'applicable', true,
                              'inputs', jsonb_build_object('weeks', weeks, 'weeksQuotaMet', weeks_met)),
           jsonb_build_object('part', 'DUTIES', 'points', round(coalesce(duty_points, 0), 2), 'maximum', duty_max, 'applicable', duty_points IS NOT NULL,
                              'inputs', jsonb_build_object('due', due, 'met', met)),
           jsonb_build_object('part', 'VOLUNTEER_HOURS', 'points', round(volunteer_points, 2), 'maximum', volunteer_max, 'applicable', true,
                              'inputs', jsonb_build_object('hours', hours, 'fullAtHours', full_at_hours))
         ) AS parts
    FROM scored
),
written AS (
  INSERT INTO vanguard_index_month AS v (party_member_id, month, formula_version, score, parts)
  SELECT party_member_id, $1::date, version, score, parts FROM computed
  ON CONFLICT (party_member_id, month) DO UPDATE
     SET formula_version = excluded.formula_version, score = excluded.score, parts = excluded.parts, computed_at = now()
   WHERE (v.formula_version, v.score, v.parts) IS DISTINCT FROM (excluded.formula_version, excluded.score, excluded.parts)
  RETURNING 1
)
SELECT (SELECT count(*) FROM computed)::int AS members, (SELECT count(*) FROM written)::int AS changed`;

/**
 * Computes (or recomputes) a month's index; `memberIds` limits it to those members. Must run inside a transaction:
 * it holds the month's lock (see lockMonth) until commit.
 */
export async function computeVanguardMonth(
  manager: EntityManager,
  monthStart: string,
  memberIds: readonly string[] | null = null,
): Promise<{ members: number; changed: number }> {
  await lockMonth(manager, monthStart);
  return queryOne<{ members: number; changed: number }>(manager, COMPUTE_VANGUARD_MONTH, [monthStart, memberIds]);
}

/**
 * After an input of some members changed (a late grade, a late review), recomputes their index for the months
 * already computed among `monthStarts`; months not computed yet are left to the monthly run. Runs inside the
 * transaction that changed the input, after the change.
 */
export async function recomputeComputedMonths(
  manager: EntityManager,
  monthStarts: readonly string[],
  memberIds: readonly string[],
): Promise<void> {
  if (memberIds.length === 0) return;
  for (const month of [...new Set(monthStarts)].sort()) {
    await lockMonth(manager, month);
    const computed = await queryFirst<{ month: string }>(
      manager,
      `SELECT month::text AS month FROM vanguard_index_month WHERE month = $1::date LIMIT 1`,
      [month],
    );
    if (computed) await computeVanguardMonth(manager, month, memberIds);
  }
}

/**
 * Computations of one month run one at a time (a transaction-scoped advisory lock). Each statement then reads
 * inputs committed by the computations before it, so two events changing a member's inputs at once cannot leave the
 * score of whichever computed first; and a computation that sees "not computed yet" cannot miss a whole-month run.
 */
async function lockMonth(manager: EntityManager, monthStart: string): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('The vanguard index is computed inside a transaction');
  await execute(manager, `SELECT pg_advisory_xact_lock(hashtext('vanguard_index_month'), hashtext($1))`, [monthStart]);
}
