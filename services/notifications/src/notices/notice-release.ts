import type { EntityManager } from 'typeorm';
import { monthStart } from '#libs/calendar';
import { queryOne } from '#libs/database';
import { fanOutNotices } from '../webhooks/webhook-fan-out.js';

/**
 * Releases a district-month's notices to their institutions (of `householdIds`, or all): the notices in force not yet
 * released, once households has closed the month's objection window, except those about a household whose
 * objection is undecided, or was corrected and the corrected grade has not arrived here yet (so a notice never leaves
 * on the grade being corrected: the correction withdraws it first, silently, as no one has seen it).
 * `released_at IS NULL` makes each notice leave once, also when two releases race (the second waits on the row and
 * then skips it). Parameters: $1 month, $2 district id, $3 household ids or null.
 */
const RELEASE_NOTICES = `
WITH released AS (
  UPDATE notice n SET released_at = now()
   WHERE n.month = $1::date AND n.district_id = $2::uuid AND n.released_at IS NULL AND n.withdrawn_at IS NULL
     AND ($3::uuid[] IS NULL OR n.household_id = ANY($3::uuid[]))
     AND EXISTS (SELECT 1 FROM objection_window_closed w WHERE w.district_id = n.district_id AND w.month = n.month)
     AND NOT EXISTS (
       SELECT 1 FROM objection_hold o
        WHERE o.month = n.month AND o.household_id = n.household_id
          AND (o.decided_at IS NULL
               OR (o.correction_at IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM graded_household g
                                    WHERE g.month = o.month AND g.household_id = o.household_id AND g.event_at >= o.correction_at))))
  RETURNING n.id, n.institution_id
)
SELECT coalesce(array_agg(id), '{}')::text[] AS "noticeIds", coalesce(array_agg(DISTINCT institution_id), '{}')::text[] AS institutions
  FROM released`;

/**
 * Inside the caller's transaction: releases what may leave (RELEASE_NOTICES) and creates the webhook deliveries of
 * exactly those notices, committed with the release. Returns how many left.
 */
export async function releaseNotices(
  manager: EntityManager,
  districtId: string,
  month: string,
  householdIds: readonly string[] | null,
): Promise<number> {
  const released = await queryOne<{ noticeIds: string[]; institutions: string[] }>(manager, RELEASE_NOTICES, [
    monthStart(month),
    districtId,
    householdIds,
  ]);
  await fanOutNotices(manager, released.noticeIds, released.institutions);
  return released.noticeIds.length;
}
