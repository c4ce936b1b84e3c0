import type { EntityManager } from 'typeorm';
import { queryRows } from '#libs/database';
import { EventType, outboxInsertFrom } from '#libs/messaging';

/** Inspections that joint enforcement actions record from their findings are enforcement's own word, not a follow-up. */
const JOINT_ACTION_INSPECTOR = 'joint-action:%';

/**
 * Fulfils the household's OPEN case follow-up requests that an inspection answers, and announces
 * `case-follow-up.inspected` for exactly those, in one statement (so in the caller's transaction):
 *
 * - with `inspectionId` (recordInspection): that inspection, when its Shanghai date is on or after a request's due date;
 * - without (a request arriving after the inspection): the household's earliest inspection on or after the due date
 *   recorded by the community (not by a joint action's finding).
 *
 * The update's `status = 'OPEN'` condition is re-checked on the locked row, so of two inspections recorded at once
 * only one fulfils a request, and it is announced once. Returns how many requests were fulfilled.
 */
export async function fulfilFollowUpRequests(manager: EntityManager, householdId: string, inspectionId: string | null): Promise<number> {
  const rows = await queryRows<{ case_id: string }>(
    manager,
    `WITH answered AS (
       SELECT r.case_id, i.id, i.result, i.inspected_at
         FROM case_follow_up_request r
         CROSS JOIN LATERAL (
           SELECT i.id, i.result, i.inspected_at FROM inspection i
            WHERE i.household_id = r.household_id
              AND (i.inspected_at AT TIME ZONE 'Asia/Shanghai')::date >= r.due_on
              AND (CASE WHEN $2::uuid IS NULL THEN i.inspector_id NOT LIKE $3 ELSE i.id = $2::uuid END)
            ORDER BY i.inspected_at, i.id LIMIT 1) i
        WHERE r.household_id = $1 AND r.status = 'OPEN'
     ), done AS (
       UPDATE case_follow_up_request r
          SET status = 'DONE', inspection_id = a.id, inspection_result = a.result, inspected_at = a.inspected_at, fulfilled_at = now()
         FROM answered a
        WHERE r.case_id = a.case_id AND r.status = 'OPEN'
       RETURNING r.case_id, r.inspection_id, r.inspection_result, r.inspected_at
     ), announced AS (
       ${outboxInsertFrom(
         '$4',
         `SELECT json_build_object('caseId', case_id, 'inspectionId', inspection_id, 'result', inspection_result,
                                   'inspectedAt', to_char(inspected_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                                   FROM done`,
       )}
     )
     SELECT case_id FROM done`,
    [householdId, inspectionId, JOINT_ACTION_INSPECTOR, EventType.CaseFollowUpInspected],
  );
  return rows.length;
}
