import type { EntityManager } from 'typeorm';
import { execute, queryOne } from '#libs/database';

/**
 * The end every fan-out statement shares: a delivery per ACTIVE endpoint of each message its `messages` CTE wrote
 * (at most one per message and endpoint: webhook_delivery_once), and how many messages and deliveries it made.
 */
export const DELIVER_MESSAGES = `
deliveries AS (
  INSERT INTO webhook_delivery (message_id, endpoint_id, institution_id, next_attempt_at)
  SELECT m.id, e.id, e.institution_id, now()
    FROM messages m JOIN webhook_endpoint e ON e.institution_id = m.institution_id AND e.state = 'ACTIVE'
  ON CONFLICT ON CONSTRAINT webhook_delivery_once DO NOTHING
  RETURNING 1
)
SELECT (SELECT count(*)::int FROM messages) AS messages, (SELECT count(*)::int FROM deliveries) AS deliveries`;

/**
 * Turns the notices a generation has just written into webhook messages, and each message into one delivery per
 * ACTIVE endpoint of the institution, in one statement inside the generation's transaction (so notices and their
 * deliveries commit together, or neither).
 *
 * - Which notices: exactly those the generation added (their ids, $1), addressed to an institution with an active
 *   endpoint. So an endpoint receives the notices generated after it was registered; notices from before are read
 *   through the API. The ids make the statement's size known to the planner, which a month's first notices (about
 *   which the table's statistics know nothing yet) would otherwise send into nested loops.
 * - One message per notice (`notice.created`), or, for an institution that chose the digest, one per institution
 *   and month listing them (`notice.digest`): a later correction adds a further digest with just its new notices.
 * - Once: the notices are the generation's own, new in this transaction, so in no message yet; a notice is in at most
 *   one message (webhook_message_notice's key) and a message goes at most once to an endpoint (webhook_delivery_once).
 * - Payloads are thin: ids, kind and month, never names; the institution fetches the rest with its API key.
 * - Every lookup is by key (notice ids, an endpoint or preference per institution), so the plan holds whatever the
 *   statistics say: a month's first notices are news to them.
 * The institutions' active endpoints are locked (shared) first: an endpoint being disabled meanwhile waits for these
 * deliveries to commit, then stops them too.
 */
const FAN_OUT = `
WITH fresh AS MATERIALIZED (
  SELECT n.id, n.institution_id, n.kind, n.month,
         coalesce((SELECT p.notice_digest FROM webhook_preference p WHERE p.institution_id = n.institution_id), false) AS digest
    FROM notice n
   WHERE n.id = ANY($1::uuid[])
     AND EXISTS (SELECT 1 FROM webhook_endpoint e WHERE e.institution_id = n.institution_id AND e.state = 'ACTIVE')
),
grouped AS MATERIALIZED (
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', '') AS id, institution_id, month, digest,
         array_agg(id ORDER BY id) AS notice_ids, min(kind) AS kind
    FROM fresh
   GROUP BY institution_id, month, digest, CASE WHEN digest THEN NULL ELSE id END
),
messages AS (
  INSERT INTO webhook_message (id, institution_id, type, month, notice_ids, data)
  SELECT id, institution_id, CASE WHEN digest THEN 'notice.digest' ELSE 'notice.created' END, month, notice_ids,
         CASE WHEN digest THEN jsonb_build_object('month', to_char(month, 'YYYY-MM'), 'noticeIds', to_jsonb(notice_ids))
              ELSE jsonb_build_object('noticeId', notice_ids[1], 'kind', kind, 'month', to_char(month, 'YYYY-MM')) END
    FROM grouped
  RETURNING id, institution_id
),
linked AS (
  INSERT INTO webhook_message_notice (notice_id, message_id)
  SELECT unnest(notice_ids), id FROM grouped
),
${DELIVER_MESSAGES}`;

export interface FannedOut {
  messages: number;
  deliveries: number;
}

/**
 * Writes webhook deliveries about `noticeIds` with `write`, once the institutions' active endpoints are locked
 * (shared): an endpoint being disabled meanwhile waits for those deliveries to commit, then stops them too. No
 * notices, nothing to write.
 */
async function deliverAboutNotices(
  manager: EntityManager,
  noticeIds: readonly string[],
  institutionIds: readonly string[],
  write: () => Promise<FannedOut>,
): Promise<FannedOut> {
  if (noticeIds.length === 0) return { messages: 0, deliveries: 0 };
  await execute(manager, `SELECT 1 FROM webhook_endpoint WHERE institution_id = ANY($1::uuid[]) AND state = 'ACTIVE' FOR SHARE`, [
    [...new Set(institutionIds)],
  ]);
  return write();
}

/** Creates the webhook messages and deliveries of the notices just generated (`noticeIds`, for `institutionIds`). */
export function fanOutNotices(manager: EntityManager, noticeIds: readonly string[], institutionIds: readonly string[]): Promise<FannedOut> {
  return deliverAboutNotices(manager, noticeIds, institutionIds, () => queryOne<FannedOut>(manager, FAN_OUT, [noticeIds]));
}

/**
 * Stops the announcements of withdrawn notices that never went out: a `notice.created` delivery no attempt was made
 * for and no dispatcher holds. A digest lists other notices too and goes out anyway (the withdrawal follows it).
 */
const CANCEL_UNSENT = `
UPDATE webhook_delivery d
   SET state = 'CANCELLED', next_attempt_at = NULL, replay_requested = false, last_error = 'cancelled: the notice was withdrawn before it was sent'
  FROM webhook_message_notice l JOIN webhook_message m ON m.id = l.message_id AND m.type = 'notice.created'
 WHERE l.notice_id = ANY($1::uuid[]) AND d.message_id = m.id
   AND d.state = 'PENDING' AND d.first_attempt_at IS NULL AND d.claim_token IS NULL AND NOT d.replay_requested`;

/**
 * Tells the institution's active endpoints that notices were withdrawn (`notice.withdrawn`, one message per notice,
 * digest or not: withdrawals are few and each asks the school to act), but only for notices it may have seen:
 * fetched through the API (state no longer PENDING) or announced by a delivery that was not cancelled. A notice
 * withdrawn before anyone was told of it is simply never told. Thin like the others: id, kind, month and reason.
 */
const ANNOUNCE_WITHDRAWALS = `
WITH seen AS MATERIALIZED (
  SELECT n.id, n.institution_id, n.kind, n.month, n.withdrawal_reason
    FROM notice n
   WHERE n.id = ANY($1::uuid[])
     AND (n.state <> 'PENDING'
          OR EXISTS (SELECT 1 FROM webhook_message_notice l JOIN webhook_delivery d ON d.message_id = l.message_id
                      WHERE l.notice_id = n.id AND d.state <> 'CANCELLED'))
     AND EXISTS (SELECT 1 FROM webhook_endpoint e WHERE e.institution_id = n.institution_id AND e.state = 'ACTIVE')
),
messages AS (
  INSERT INTO webhook_message (id, institution_id, type, month, notice_ids, data)
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), institution_id, 'notice.withdrawn', month, ARRAY[id],
         jsonb_build_object('noticeId', id, 'kind', kind, 'month', to_char(month, 'YYYY-MM'), 'reason', withdrawal_reason)
    FROM seen
  RETURNING id, institution_id
),
${DELIVER_MESSAGES}`;

/**
 * Inside the transaction that withdrew `noticeIds` (for `institutionIds`): cancels their announcements not yet sent
 * and announces the withdrawal of those the institution may have seen. Once: a notice is withdrawn once.
 */
export function announceWithdrawals(
  manager: EntityManager,
  noticeIds: readonly string[],
  institutionIds: readonly string[],
): Promise<FannedOut> {
  return deliverAboutNotices(manager, noticeIds, institutionIds, async () => {
    await execute(manager, CANCEL_UNSENT, [noticeIds]);
    return queryOne<FannedOut>(manager, ANNOUNCE_WITHDRAWALS, [noticeIds]);
  });
}
