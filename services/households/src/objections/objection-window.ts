import type { EntityManager } from 'typeorm';
import { monthStart } from '#libs/calendar';
import { queryRows } from '#libs/database';
import { EventType, type GradeObjectionStatus, type EventPayload, type Outbox } from '#libs/messaging';

/** Days residents have to object once a district's month is published, for a district that set none. */
export const DEFAULT_OBJECTION_WINDOW_DAYS = 7;

/** The district's window in days, as a SQL expression of a district id expression. */
export const OBJECTION_WINDOW_DAYS_SQL = (districtId: string): string =>
  `coalesce((SELECT days FROM objection_window_setting WHERE district_id = ${districtId}::uuid), ${DEFAULT_OBJECTION_WINDOW_DAYS})`;

/**
 * A month's objection window (从成绩公布起的异议期). It opens when households announces the district's month
 * (`announceMonth`) and closes `days` later: the job `objection-window.close` closes every window whose time has come
 * (its clock is the job's `firedAt`, so tests close a window by firing the job with a later time, never by waiting).
 *
 * Closing is one transaction: the evaluation_month row is updated (so it happens once: a second close finds it closed)
 * and `objection-window.closed` is recorded with every objection of the month and where it stands. Filing an
 * objection reads the same row FOR SHARE, so an objection is either filed before the close (and listed in the event:
 * its household's notices wait for the decision) or refused as too late: none falls between.
 *
 * Returns whether this call closed it.
 */
export async function closeObjectionWindow(manager: EntityManager, outbox: Outbox, districtId: string, month: string): Promise<boolean> {
  const closed = await queryRows<{ closedAt: Date }>(
    manager,
    `UPDATE evaluation_month SET objection_window_closed_at = now()
      WHERE district_id = $1 AND month = $2 AND objection_window_closed_at IS NULL
      RETURNING objection_window_closed_at AS "closedAt"`,
    [districtId, monthStart(month)],
  );
  if (closed.length === 0) return false;
  const rows = await queryRows<{ objectionId: string; householdId: string; status: GradeObjectionStatus; correctedAt: Date | null }>(
    manager,
    `SELECT id AS "objectionId", household_id AS "householdId", status, corrected_at AS "correctedAt"
       FROM grade_objection WHERE district_id = $1 AND month = $2 ORDER BY household_id`,
    [districtId, monthStart(month)],
  );
  // Read as the outbox's event times are read, so a correction's time equals its grade event's occurredAt exactly.
  const objections = rows.map((row) => ({ ...row, correctedAt: row.correctedAt?.toISOString() ?? null }));
  const payload: EventPayload<EventType.ObjectionWindowClosed> = {
    districtId,
    month,
    closedAt: closed[0].closedAt.toISOString(),
    objections,
  };
  await outbox.record(manager, [{ type: EventType.ObjectionWindowClosed, payload }]);
  return true;
}
