import type { EntityManager } from 'typeorm';
import { execute, queryRows } from '#libs/database';

/**
 * Brings the delivery state of the notices in `messageIds` in line with their messages' deliveries, in one
 * statement (notice-state.ts has the states):
 * - an attempt was made → SENT (from PENDING), with sent_at;
 * - a delivery SUCCEEDED (any endpoint) → DELIVERED, with delivered_at, unless already DELIVERED or ACKNOWLEDGED;
 * - every delivery ended and none succeeded (retries used up, endpoint gone or disabled) → FAILED with the last
 *   error, unless the notice has reached the institution already (DELIVERED or ACKNOWLEDGED, also through the API).
 * Only notices whose state or dates change are written. A delivery CANCELLED (its notice was withdrawn before it
 * went out) says nothing about delivery.
 */
const REFRESH_NOTICES = `
WITH facts AS (
  SELECT d.message_id,
         bool_or(d.state = 'SUCCEEDED') AS delivered,
         bool_or(d.state = 'PENDING') AS pending,
         min(d.first_attempt_at) AS sent_at,
         min(d.succeeded_at) AS delivered_at,
         (array_agg(d.last_error ORDER BY d.last_attempt_at DESC NULLS LAST) FILTER (WHERE d.last_error IS NOT NULL))[1] AS last_error
    FROM webhook_delivery d
   WHERE d.message_id = ANY($1::text[]) AND d.state <> 'CANCELLED'
   GROUP BY d.message_id
),
-- Materialized, and the notices then fetched by id = ANY(ARRAY(...)): the planner cannot estimate how many notices a
-- batch of messages has and would otherwise hash-join the whole notice table for every batch.
linked AS MATERIALIZED (
  SELECT l.notice_id, f.* FROM webhook_message_notice l JOIN facts f USING (message_id) WHERE l.message_id = ANY(ARRAY(SELECT message_id FROM facts))
),
next AS MATERIALIZED (
  SELECT n.id,
         CASE WHEN n.state IN ('DELIVERED', 'ACKNOWLEDGED') THEN n.state
              WHEN f.delivered THEN 'DELIVERED'
              WHEN NOT f.pending THEN 'FAILED'
              WHEN f.sent_at IS NOT NULL AND n.state = 'PENDING' THEN 'SENT'
              ELSE n.state END AS state,
         coalesce(n.sent_at, f.sent_at) AS sent_at,
         CASE WHEN f.delivered THEN coalesce(n.delivered_at, f.delivered_at) ELSE n.delivered_at END AS delivered_at,
         f.last_error
    FROM notice n JOIN linked f ON f.notice_id = n.id
   WHERE n.id = ANY(ARRAY(SELECT notice_id FROM linked))
)
UPDATE notice n
   SET state = x.state, sent_at = x.sent_at, delivered_at = x.delivered_at,
       last_error = CASE WHEN x.state = 'FAILED' THEN coalesce(x.last_error, n.last_error, 'not delivered')
                         WHEN x.state = 'DELIVERED' THEN NULL ELSE n.last_error END
  FROM next x
 WHERE n.id = x.id AND n.id = ANY(ARRAY(SELECT id FROM next))
   AND (n.state, n.sent_at, n.delivered_at) IS DISTINCT FROM (x.state, x.sent_at, x.delivered_at)`;

export async function refreshNoticeStates(manager: Pick<EntityManager, 'query'>, messageIds: readonly string[]): Promise<void> {
  if (messageIds.length === 0) return;
  await execute(manager, REFRESH_NOTICES, [[...new Set(messageIds)]]);
}

/**
 * Disables endpoints (410 Gone, or the institution's choice) and stops their pending deliveries, FAILED with
 * `reason`, and any replay not yet sent; the notices concerned are brought up to date. A request already in flight
 * is still recorded when it ends (a success still counts). Returns the messages whose deliveries were stopped.
 */
export async function disableEndpoints(
  manager: Pick<EntityManager, 'query'>,
  endpointIds: readonly string[],
  reason: string,
): Promise<string[]> {
  if (endpointIds.length === 0) return [];
  await execute(
    manager,
    `UPDATE webhook_endpoint SET state = 'DISABLED', disabled_reason = $2, disabled_at = now() WHERE id = ANY($1::uuid[]) AND state = 'ACTIVE'`,
    [endpointIds, reason],
  );
  const stopped = await queryRows<{ messageId: string }>(
    manager,
    `WITH stopped AS (
       UPDATE webhook_delivery
          SET state = CASE WHEN state = 'PENDING' THEN 'FAILED' ELSE state END,
              last_error = CASE WHEN state = 'PENDING' THEN coalesce(last_error || '; ', '') || $2 ELSE last_error END,
              next_attempt_at = NULL, replay_requested = false
        WHERE endpoint_id = ANY($1::uuid[]) AND (state = 'PENDING' OR next_attempt_at IS NOT NULL)
        RETURNING message_id
     ) SELECT DISTINCT message_id AS "messageId" FROM stopped`,
    [endpointIds, `stopped: ${reason}`],
  );
  const messageIds = stopped.map((row) => row.messageId);
  await refreshNoticeStates(manager, messageIds);
  return messageIds;
}
