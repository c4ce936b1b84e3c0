import type { EntityManager } from 'typeorm';
import { execute, queryOne } from '#libs/database';
import { DELIVER_MESSAGES, type FannedOut } from './webhook-fan-out.js';

/**
 * The `messages` CTE of a disclosure's fan-out: one thin message of `type` (id and month) per institution of `source`
 * (a CTE with `institution_id`), once per disclosure, institution and type. $1 disclosure id, $2 its month (first day).
 */
const disclosureMessages = (type: string, source: string) => `messages AS (
  INSERT INTO webhook_message (id, institution_id, type, month, notice_ids, data, disclosure_id)
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), institution_id, '${type}', $2::date, '{}',
         jsonb_build_object('disclosureId', $1::uuid, 'month', to_char($2::date, 'YYYY-MM')), $1
    FROM ${source}
  ON CONFLICT (disclosure_id, institution_id, type) WHERE disclosure_id IS NOT NULL DO NOTHING
  RETURNING id, institution_id
)`;

/**
 * Shares a disclosure being published with every media outlet (an institution of kind MEDIA) the platform knows,
 * inside the publishing transaction: one disclosure_outlet row per outlet (what the outlet may read through the API,
 * and where its acknowledgement goes), and for each outlet with an ACTIVE endpoint one `disclosure.published` message
 * with a delivery per such endpoint. An outlet without an endpoint reads it through the API (`mediaDisclosures`).
 *
 * - Thin: the disclosure's id and month, never its text (the outlet fetches that with its key, so a text is handed
 *   only to a caller the platform has authenticated, and a withdrawn one no longer at all).
 * - Once: a disclosure is published once (its state machine), and the keys (disclosure_outlet's, and one message per
 *   disclosure, outlet and type) make running this again add nothing.
 * The outlets' active endpoints are locked (shared) first, as for notices: an endpoint being disabled meanwhile
 * waits for these deliveries to commit, then stops them too.
 *
 * Parameters: $1 disclosure id, $2 its month (first day).
 */
const SHARE = `
WITH outlets AS (
  INSERT INTO disclosure_outlet (disclosure_id, institution_id)
  SELECT $1, i.id FROM institution_copy i WHERE i.kind = 'MEDIA'
  ON CONFLICT (disclosure_id, institution_id) DO NOTHING
  RETURNING institution_id
),
outlets_with_endpoints AS (
  SELECT o.institution_id FROM outlets o
   WHERE EXISTS (SELECT 1 FROM webhook_endpoint e WHERE e.institution_id = o.institution_id AND e.state = 'ACTIVE')
),
${disclosureMessages('disclosure.published', 'outlets_with_endpoints')},
${DELIVER_MESSAGES}`;

/**
 * Stops announcements of a withdrawn disclosure that never went out: a `disclosure.published` delivery no attempt was
 * made for and no dispatcher holds. $1 disclosure id.
 */
const CANCEL_UNSENT = `
UPDATE webhook_delivery d
   SET state = 'CANCELLED', next_attempt_at = NULL, replay_requested = false, last_error = 'cancelled: the disclosure was withdrawn before it was sent'
  FROM webhook_message m
 WHERE m.disclosure_id = $1 AND m.type = 'disclosure.published' AND d.message_id = m.id
   AND d.state = 'PENDING' AND d.first_attempt_at IS NULL AND d.claim_token IS NULL AND NOT d.replay_requested`;

/**
 * Tells each outlet that may have the disclosure (it read it through the API, or an announcement of it was attempted
 * or is in flight) that it was withdrawn: one `disclosure.withdrawn` message per outlet, a delivery per ACTIVE
 * endpoint. An outlet never told of it is not told of its withdrawal either. Thin: id and month; the staff's reason is
 * not sent (free text, which may say more than the disclosure did). $1 disclosure id, $2 its month (first day).
 */
const ANNOUNCE_WITHDRAWAL = `
WITH seen AS MATERIALIZED (
  SELECT o.institution_id
    FROM disclosure_outlet o
   WHERE o.disclosure_id = $1
     AND (o.first_read_at IS NOT NULL
          OR EXISTS (SELECT 1 FROM webhook_message m JOIN webhook_delivery d ON d.message_id = m.id
                      WHERE m.disclosure_id = $1 AND m.institution_id = o.institution_id AND m.type = 'disclosure.published'
                        AND d.state <> 'CANCELLED'))
     AND EXISTS (SELECT 1 FROM webhook_endpoint e WHERE e.institution_id = o.institution_id AND e.state = 'ACTIVE')
),
${disclosureMessages('disclosure.withdrawn', 'seen')},
${DELIVER_MESSAGES}`;

const LOCK_MEDIA_ENDPOINTS = `
SELECT 1 FROM webhook_endpoint e JOIN institution_copy i ON i.id = e.institution_id
 WHERE i.kind = 'MEDIA' AND e.state = 'ACTIVE' FOR SHARE OF e`;

/** Inside the transaction publishing disclosure `disclosureId` of `month` (YYYY-MM-01): shares it with the media outlets. */
export async function shareWithOutlets(manager: EntityManager, disclosureId: string, month: string): Promise<FannedOut> {
  await execute(manager, LOCK_MEDIA_ENDPOINTS);
  const result = await queryOne<FannedOut>(manager, SHARE, [disclosureId, month]);
  return result;
}

/** Inside the transaction withdrawing disclosure `disclosureId`: cancels what was not sent and tells the outlets that may have it. */
export async function announceDisclosureWithdrawal(manager: EntityManager, disclosureId: string, month: string): Promise<FannedOut> {
  await execute(manager, LOCK_MEDIA_ENDPOINTS);
  await execute(manager, CANCEL_UNSENT, [disclosureId]);
  const result = await queryOne<FannedOut>(manager, ANNOUNCE_WITHDRAWAL, [disclosureId, month]);
  return result;
}
