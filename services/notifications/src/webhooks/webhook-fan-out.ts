import type { EntityManager } from 'typeorm';
import { monthStart } from '#libs/calendar';

/**
 * Turns the notices a generation has just written into webhook messages, and each message into one delivery per
 * ACTIVE endpoint of the institution, in one statement inside the generation's transaction (so notices and their
 * deliveries commit together, or neither).
 *
 * - Which notices: those of the district-month (and households, for a correction) written by this very transaction
 *   (`created_at = now()`, the transaction's start), addressed to an institution with an active endpoint. So an
 *   endpoint receives the notices generated after it was registered; notices from before are read through the API.
 * - One message per notice (`notice.created`), or, for an institution that chose the digest, one per institution
 *   and month listing them (`notice.digest`): a later correction adds a further digest with just its new notices.
 * - Idempotent: a notice is in at most one message (webhook_message_notice's key), and a message is delivered at
 *   most once per endpoint (webhook_delivery_once), so running this again adds nothing.
 * - Payloads are thin: ids, kind and month, never names; the institution fetches the rest with its API key.
 *
 * Parameters: $1 month (first day), $2 district id, $3 household ids (uuid[]) or null for all.
 */
const FAN_OUT = `
WITH fresh AS MATERIALIZED (
  SELECT n.id, n.institution_id, n.kind, n.month, coalesce(p.notice_digest, false) AS digest
    FROM notice n
    LEFT JOIN webhook_preference p ON p.institution_id = n.institution_id
   WHERE n.month = $1::date AND n.district_id = $2::uuid AND ($3::uuid[] IS NULL OR n.household_id = ANY($3::uuid[]))
     AND n.created_at = now()
     AND EXISTS (SELECT 1 FROM webhook_endpoint e WHERE e.institution_id = n.institution_id AND e.state = 'ACTIVE')
     AND NOT EXISTS (SELECT 1 FROM webhook_message_notice m WHERE m.notice_id = n.id)
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
targets AS (
  -- Shared locks: an endpoint being disabled meanwhile waits for these deliveries to commit, then stops them too.
  SELECT e.id, e.institution_id FROM webhook_endpoint e
   WHERE e.state = 'ACTIVE' AND e.institution_id IN (SELECT institution_id FROM grouped)
     FOR SHARE
),
deliveries AS (
  INSERT INTO webhook_delivery (message_id, endpoint_id, institution_id, next_attempt_at)
  SELECT m.id, t.id, t.institution_id, now()
    FROM messages m JOIN targets t ON t.institution_id = m.institution_id
  ON CONFLICT ON CONSTRAINT webhook_delivery_once DO NOTHING
  RETURNING 1
)
SELECT (SELECT count(*)::int FROM messages) AS messages, (SELECT count(*)::int FROM deliveries) AS deliveries`;

export interface FannedOut {
  messages: number;
  deliveries: number;
}

/** Creates the webhook messages and deliveries of the notices just generated; see FAN_OUT. */
export async function fanOutNotices(manager: EntityManager, districtId: string, month: string, householdIds: string[] | null): Promise<FannedOut> {
  const [result]: FannedOut[] = await manager.query(FAN_OUT, [monthStart(month), districtId, householdIds]);
  return result;
}
