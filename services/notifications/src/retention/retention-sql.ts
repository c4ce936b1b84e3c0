import type { DataSource, EntityManager } from 'typeorm';
import { addMonths, monthStart, shanghaiMonth } from '#libs/calendar';
import { execute, queryOne } from '#libs/database';
import { htmlEscapeSql } from '#libs/html';
import { maskNameSql } from '#libs/privacy';
import { daysBefore, inBatches } from '#libs/retention';
import type { RetentionSettings } from './retention-settings.js';

/** Where a run draws each line: months before `gradeCopiesBefore` / `noticesBefore`, attempts before `attemptsBefore`. */
export interface RetentionCutoffs {
  gradeCopiesBefore: string;
  noticesBefore: string;
  attemptsBefore: Date;
}

export interface RetentionResult extends RetentionCutoffs {
  gradedHouseholdsDeleted: number;
  gradedResidentsDeleted: number;
  /** Held notices (held_notice) go with the grade copies they were decided from. */
  heldNoticesDeleted: number;
  noticesRedacted: number;
  webhookAttemptsDeleted: number;
  enrolmentContactsErased: number;
  /** Audit rows of API keys (the key-side record of unmasked reads), kept as long as `personal_data_access`. */
  apiKeyAuditEventsDeleted: number;
}

/**
 * The cutoffs for a run at `firedAt`. Months count from the Shanghai month of `firedAt`, which is kept with the `n`
 * months before it: with 6, a run in November 2026 keeps May to November and deletes April and earlier.
 */
export function retentionCutoffs(firedAt: Date, settings: RetentionSettings): RetentionCutoffs {
  const current = shanghaiMonth(firedAt);
  return {
    gradeCopiesBefore: monthStart(addMonths(current, -settings.gradeCopyMonths)),
    noticesBefore: monthStart(addMonths(current, -settings.noticeMonths)),
    attemptsBefore: daysBefore(firedAt, settings.webhookAttemptDays),
  };
}

/**
 * Moves the grade-copy line forward, never back (a late or redelivered run with an older `firedAt` must not reopen
 * months already deleted). Recorded before the rows go, so grade events stop being stored for those months first.
 */
const RECORD_GRADE_COPY_PURGE = `
INSERT INTO grade_copy_purge AS p (id, purged_before, purged_at) VALUES (true, $1::date, $2)
ON CONFLICT (id) DO UPDATE SET purged_before = excluded.purged_before, purged_at = excluded.purged_at
 WHERE p.purged_before < excluded.purged_before`;

// Each statement below (run by libs/retention's inBatches, RETENTION_BATCH_SIZE rows a batch, each committed on its own
// so a run never holds many row locks) takes one batch by index (primary keys begin with the month; the other two have indexes of
// their own, migration 1796000000407) and reports how many rows it changed; $1 is the cutoff, $2 the batch size. The
// batch is collected into an array first (`= ANY(ARRAY(…))`) so the rows are then found by key: joined to the table as
// a subquery instead, the planner hashes it against a scan of the whole table, every batch. The grade copies have
// composite keys, so their rows are taken by physical address (ctid) within the one statement.

/** Deletes a batch of a grade-copy table's rows of months before the cutoff ($1); all three tables' keys begin with the month. */
const deleteGradeCopies = (table: 'graded_resident' | 'graded_household' | 'held_notice') => `
WITH gone AS (
  DELETE FROM ${table}
   WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE month < $1::date ORDER BY month LIMIT $2))
  RETURNING 1
)
SELECT count(*)::int AS count FROM gone`;

const MASKED_NAME = maskNameSql('n.resident_name');

/**
 * Redacts a batch of old notices: the row stays (kind, month, institution, state and dates feed noticeStats), the
 * name becomes its masked form, and so does every occurrence of it in the subject and both texts (the HTML holds it
 * escaped), exactly what staff without PERSONAL_DATA_READ already see (noticeColumns in notice.service.ts). SET reads
 * the row as it was, so each text is masked with the name before it changed. `redacted_at` marks the notice done:
 * a later run, or one running at the same time (re-checked under the row lock), skips it. $3 is when.
 */
const REDACT_NOTICES = `
WITH redacted AS (
  UPDATE notice n
     SET resident_name = ${MASKED_NAME},
         subject = replace(n.subject, n.resident_name, ${MASKED_NAME}),
         text_body = replace(n.text_body, n.resident_name, ${MASKED_NAME}),
         html_body = replace(n.html_body, ${htmlEscapeSql('n.resident_name')}, ${htmlEscapeSql(MASKED_NAME)}),
         redacted_at = $3
   WHERE n.id = ANY(ARRAY(SELECT id FROM notice WHERE month < $1::date AND redacted_at IS NULL ORDER BY month LIMIT $2))
     AND n.redacted_at IS NULL
  RETURNING 1
)
SELECT count(*)::int AS count FROM redacted`;

/** Attempts only: a delivery keeps its state, attempt count, last status and error. */
const DELETE_WEBHOOK_ATTEMPTS = `
WITH gone AS (
  DELETE FROM webhook_attempt
   WHERE id = ANY(ARRAY(SELECT id FROM webhook_attempt WHERE attempted_at < $1 ORDER BY attempted_at LIMIT $2))
  RETURNING 1
)
SELECT count(*)::int AS count FROM gone`;

/**
 * Erases the contact (name, phone) of institution enrolments whose code expired unredeemed before $1: it was kept only
 * to know to whom an open code was handed, and a redeemed or cancelled enrolment loses it at once (institution-enrolment.service.ts).
 */
const ERASE_EXPIRED_ENROLMENT_CONTACTS = `
WITH erased AS (
  UPDATE institution_enrolment SET contact_name = NULL, contact_phone = NULL
   WHERE id = ANY(ARRAY(SELECT id FROM institution_enrolment
                         WHERE expires_at < $1 AND (contact_name IS NOT NULL OR contact_phone IS NOT NULL) LIMIT $2))
  RETURNING 1
)
SELECT count(*)::int AS count FROM erased`;

/** Deletes a batch of API-key audit rows older than $1: the same period as the audit of unmasked reads they accompany. */
const DELETE_API_KEY_AUDIT_EVENTS = `
WITH gone AS (
  DELETE FROM api_key_audit_event WHERE id = ANY(ARRAY(SELECT id FROM api_key_audit_event WHERE occurred_at < $1 ORDER BY occurred_at LIMIT $2))
  RETURNING 1
)
SELECT count(*)::int AS count FROM gone`;

/**
 * Applies the retention periods as they stand at `firedAt`. Idempotent: what is past a line is gone or redacted after
 * the first run, so running again (a redelivered job, the next day's run) finds nothing more to do for it.
 */
export async function applyRetention(dataSource: DataSource, firedAt: Date, settings: RetentionSettings): Promise<RetentionResult> {
  const cutoffs = retentionCutoffs(firedAt, settings);
  await execute(dataSource, RECORD_GRADE_COPY_PURGE, [cutoffs.gradeCopiesBefore, firedAt]);
  const gradedResidentsDeleted = await inBatches(dataSource, deleteGradeCopies('graded_resident'), cutoffs.gradeCopiesBefore);
  const gradedHouseholdsDeleted = await inBatches(dataSource, deleteGradeCopies('graded_household'), cutoffs.gradeCopiesBefore);
  const heldNoticesDeleted = await inBatches(dataSource, deleteGradeCopies('held_notice'), cutoffs.gradeCopiesBefore);
  const noticesRedacted = await inBatches(dataSource, REDACT_NOTICES, cutoffs.noticesBefore, firedAt);
  const webhookAttemptsDeleted = await inBatches(dataSource, DELETE_WEBHOOK_ATTEMPTS, cutoffs.attemptsBefore);
  const enrolmentContactsErased = await inBatches(dataSource, ERASE_EXPIRED_ENROLMENT_CONTACTS, firedAt);
  const auditBefore = daysBefore(firedAt, settings.personalDataAccessDays);
  const apiKeyAuditEventsDeleted = await inBatches(dataSource, DELETE_API_KEY_AUDIT_EVENTS, auditBefore);
  return {
    ...cutoffs,
    gradedHouseholdsDeleted,
    gradedResidentsDeleted,
    heldNoticesDeleted,
    noticesRedacted,
    webhookAttemptsDeleted,
    enrolmentContactsErased,
    apiKeyAuditEventsDeleted,
  };
}

/**
 * Whether `month`'s grade copies were deleted under the retention period. Grade events for such a month are ignored:
 * storing them again would bring back the names, and only part of a month, from which notices must not be made.
 */
export async function gradeCopiesPurged(db: DataSource | EntityManager, month: string): Promise<boolean> {
  const row = await queryOne<{ purged: boolean }>(
    db,
    `SELECT EXISTS (SELECT 1 FROM grade_copy_purge WHERE purged_before > $1::date) AS purged`,
    [monthStart(month)],
  );
  return row.purged;
}
