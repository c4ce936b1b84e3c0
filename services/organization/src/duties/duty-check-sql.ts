import type { DataSource, EntityManager } from 'typeorm';
import { addDays } from '#libs/calendar';
import { execute, queryOne } from '#libs/database';
import { DUTY_RULES_SQL, DutyCadence, DutyPeriodStatus, LIAISON_RULES_SQL, quarterStart, type DutyKind } from './duty-kinds.js';

/**
 * Serialises closing periods with recording logs: recorders take it shared, the check exclusively. So a log either
 * commits before the check counts (and is counted) or after the period row exists (and updates it as a late log).
 */
export const DUTY_CHECK_LOCK = 727_106;

export interface DutyCheckResult {
  /** The Shanghai date that was closed. */
  day: string;
  /** The month closed with it (its last day), or null. */
  month: string | null;
  /** The quarter closed with it (its first day), or null. */
  quarter: string | null;
  /** Periods written by this run (0 on a rerun). */
  periods: number;
  /** Escalations written by this run. */
  escalations: number;
}

/** The Shanghai date that ended last before the job fired: at 00:30 on the 5th, the 4th. */
export function dayJustEnded(firedAtShanghaiDate: string): string {
  return addDays(firedAtShanghaiDate, -1);
}

export function isLastDayOfMonth(day: string): boolean {
  return addDays(day, 1).endsWith('-01');
}

export function isLastDayOfQuarter(day: string): boolean {
  return isLastDayOfMonth(day) && quarterStart(addDays(day, 1)) === addDays(day, 1);
}

/**
 * Closes `day`: every daily obligation of that day; when it is the last day of a month, every monthly obligation of
 * that month; when it is the last day of a quarter, every quarterly one of the quarter. Set-based (three statements
 * per cadence, whatever the number of posts and liaisons), in one transaction, and idempotent: periods are unique per
 * post, duty and start, escalations per period, so a rerun writes nothing. `checkedAt` is the job's clock: it is what
 * `checked_at` and the escalations' `created_at` record.
 */
export async function closeDutyDay(dataSource: DataSource, day: string, checkedAt: Date): Promise<DutyCheckResult> {
  return dataSource.transaction(async (manager) => {
    await execute(manager, `SELECT pg_advisory_xact_lock($1)`, [DUTY_CHECK_LOCK]);
    const result: DutyCheckResult = {
      day,
      month: null,
      quarter: null,
      ...(await closePeriods(manager, DutyCadence.DAILY, day, day, checkedAt)),
    };
    const add = (closed: { periods: number; escalations: number }) => {
      result.periods += closed.periods;
      result.escalations += closed.escalations;
    };
    if (!isLastDayOfMonth(day)) return result;
    result.month = day.slice(0, 7);
    add(await closePeriods(manager, DutyCadence.MONTHLY, `${day.slice(0, 7)}-01`, day, checkedAt));
    if (!isLastDayOfQuarter(day)) return result;
    result.quarter = quarterStart(day);
    add(await closePeriods(manager, DutyCadence.QUARTERLY, quarterStart(day), day, checkedAt));
    return result;
  });
}

/**
 * Closes the periods [start, end] of one cadence, optionally of some duties only: the demo seed closes past months and
 * quarters of the leaders' duties it wrote logs for, without closing other posts' periods it has no logs for. The job
 * closes everything through `closeDutyDay`.
 */
export async function closeDutyPeriods(
  dataSource: DataSource,
  cadence: DutyCadence,
  start: string,
  end: string,
  checkedAt: Date,
  duties: DutyKind[] | null = null,
): Promise<{ periods: number; escalations: number }> {
  return dataSource.transaction(async (manager) => {
    await execute(manager, `SELECT pg_advisory_xact_lock($1)`, [DUTY_CHECK_LOCK]);
    return closePeriods(manager, cadence, start, end, checkedAt, duties);
  });
}

/**
 * One row per obligation of `cadence` for the period [start, end]: the SECRETARY whose post covers the period's last
 * day, or the leader who liaises with a street on it (see DUTY_RULES for why), MET with the number of the post's (the
 * street committee's) logs performed inside the period, MISSED without any; then an escalation to the parent
 * organisation for each MISSED period of it that has none.
 */
async function closePeriods(
  manager: EntityManager,
  cadence: DutyCadence,
  start: string,
  end: string,
  checkedAt: Date,
  duties: DutyKind[] | null = null,
): Promise<{ periods: number; escalations: number }> {
  const { count: liaisonPeriods } = await queryOne<{ count: number }>(
    manager,
    `WITH closed AS (
       INSERT INTO duty_period (party_member_id, leader_id, party_org_id, duty, cadence, period_start, period_end, status, logs_count, checked_at)
       SELECT ld.party_member_id, ll.leader_id, o.id, liaison_rule.duty, liaison_rule.cadence, $1::date, $2::date,
              CASE WHEN count(l.id) > 0 THEN '${DutyPeriodStatus.MET}' ELSE '${DutyPeriodStatus.MISSED}' END, count(l.id)::int, $4
         FROM leader_liaison ll
         JOIN leader ld ON ld.id = ll.leader_id
         JOIN party_org o ON o.org_unit_id = ll.street_id AND o.kind = 'STREET_COMMITTEE'
         JOIN ${LIAISON_RULES_SQL} ON liaison_rule.cadence = $3 AND ($5::text[] IS NULL OR liaison_rule.duty = ANY($5::text[]))
         LEFT JOIN duty_log l ON l.party_org_id = o.id AND l.duty = liaison_rule.duty AND l.performed_on BETWEEN $1::date AND $2::date
        WHERE ll.starts_on <= $2::date AND (ll.ends_on IS NULL OR ll.ends_on >= $2::date)
        GROUP BY ld.party_member_id, ll.leader_id, o.id, liaison_rule.duty, liaison_rule.cadence
       ON CONFLICT (party_org_id, duty, period_start) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS count FROM closed`,
    [start, end, cadence, checkedAt, duties],
  );
  const { count: postPeriods } = await queryOne<{ count: number }>(
    manager,
    `WITH closed AS (
       INSERT INTO duty_period (party_member_id, party_org_id, duty, cadence, period_start, period_end, status, logs_count, checked_at)
       SELECT p.party_member_id, p.party_org_id, duty_rule.duty, duty_rule.cadence, $1::date, $2::date,
              CASE WHEN count(l.id) > 0 THEN '${DutyPeriodStatus.MET}' ELSE '${DutyPeriodStatus.MISSED}' END, count(l.id)::int, $4
         FROM party_org_position p
         JOIN party_org o ON o.id = p.party_org_id
         JOIN ${DUTY_RULES_SQL} ON duty_rule.post_kind = o.kind AND duty_rule.cadence = $3 AND ($5::text[] IS NULL OR duty_rule.duty = ANY($5::text[]))
         LEFT JOIN duty_log l ON l.party_org_id = p.party_org_id AND l.duty = duty_rule.duty AND l.performed_on BETWEEN $1::date AND $2::date
        WHERE p.position = 'SECRETARY' AND p.starts_on <= $2::date AND (p.ends_on IS NULL OR p.ends_on >= $2::date)
        GROUP BY p.party_member_id, p.party_org_id, duty_rule.duty, duty_rule.cadence
       ON CONFLICT (party_org_id, duty, period_start) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS count FROM closed`,
    [start, end, cadence, checkedAt, duties],
  );
  const { count: escalations } = await queryOne<{ count: number }>(
    manager,
    `WITH escalated AS (
       INSERT INTO duty_escalation (duty_period_id, escalated_to_party_org_id, repeated, created_at)
       SELECT d.id, o.parent_id,
              EXISTS (SELECT 1 FROM duty_period prev
                       WHERE prev.party_org_id = d.party_org_id AND prev.duty = d.duty AND prev.period_end = d.period_start - 1
                         AND prev.status = '${DutyPeriodStatus.MISSED}'),
              $3
         FROM duty_period d JOIN party_org o ON o.id = d.party_org_id
        WHERE d.cadence = $2 AND d.period_start = $1::date AND d.status = '${DutyPeriodStatus.MISSED}' AND o.parent_id IS NOT NULL
          AND ($4::text[] IS NULL OR d.duty = ANY($4::text[]))
       ON CONFLICT (duty_period_id) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS count FROM escalated`,
    [start, cadence, checkedAt, duties],
  );
  return { periods: postPeriods + liaisonPeriods, escalations };
}

/**
 * A log recorded after its period was closed: the period counts it and, if it was MISSED, becomes MET (`met_late_at`).
 * Its escalation stays, as the record of what the level above was told, and is marked resolved. Runs in the
 * recording transaction, under the shared DUTY_CHECK_LOCK.
 */
export async function applyLateLog(
  manager: EntityManager,
  partyOrgId: string,
  duty: DutyKind,
  performedOn: string,
  at: Date,
): Promise<void> {
  await execute(
    manager,
    `WITH met AS (
       UPDATE duty_period
          SET logs_count = logs_count + 1, status = '${DutyPeriodStatus.MET}',
              met_late_at = CASE WHEN status = '${DutyPeriodStatus.MISSED}' THEN $4 ELSE met_late_at END
        WHERE party_org_id = $1 AND duty = $2 AND period_start <= $3::date AND period_end >= $3::date
       RETURNING id)
     UPDATE duty_escalation SET resolved_at = $4 WHERE duty_period_id IN (SELECT id FROM met) AND resolved_at IS NULL`,
    [partyOrgId, duty, performedOn, at],
  );
}
