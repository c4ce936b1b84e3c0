import type { DataSource, QueryRunner } from 'typeorm';
import { daysBefore, inBatches } from './batches.js';
import type { SharedRetentionSettings } from './settings.js';

/**
 * The index the audit's retention finds old rows by (the table's own index begins with the user). Every service has
 * the table, so each creates it in a migration of its own (`addPersonalDataAccessAgeIndex` / `drop…`).
 */
export async function addPersonalDataAccessAgeIndex(runner: QueryRunner): Promise<void> {
  await runner.query(`CREATE INDEX personal_data_access_age ON personal_data_access (accessed_at)`);
}

export async function dropPersonalDataAccessAgeIndex(runner: QueryRunner): Promise<void> {
  await runner.query(`DROP INDEX personal_data_access_age`);
}

// Both take one batch by index ($1 the cutoff, $2 the batch size): personal_data_access_age, idempotency_record_age.
// The batch is collected into an array first so the rows are then found by key, not by hashing a scan of the table.

/** Audit rows of unmasked reads older than the period. */
const DELETE_AUDIT_ROWS = `
WITH gone AS (
  DELETE FROM personal_data_access
   WHERE id = ANY(ARRAY(SELECT id FROM personal_data_access WHERE accessed_at < $1 ORDER BY accessed_at LIMIT $2))
  RETURNING 1
)
SELECT count(*)::int AS count FROM gone`;

/**
 * Idempotency records past the replay window: their stored answers may name people (a registered resident). A retry
 * after that is a new request. A record whose first request is still running is skipped (its row is locked), and
 * deleted by a later run.
 */
const DELETE_IDEMPOTENCY_RECORDS = `
WITH gone AS (
  DELETE FROM idempotency_record
   WHERE ctid = ANY(ARRAY(SELECT ctid FROM idempotency_record WHERE created_at < $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED))
  RETURNING 1
)
SELECT count(*)::int AS count FROM gone`;

export interface SharedRetentionResult {
  auditRowsBefore: Date;
  auditRowsDeleted: number;
  /** Null when the service keeps no idempotency records. */
  idempotencyRecordsBefore: Date | null;
  idempotencyRecordsDeleted: number;
}

/**
 * Deletes what every service keeps of the shared stores past its period: unmasked-read audit rows, and idempotency
 * records when the service has them (`settings.idempotencyDays` set). Idempotent: a second run finds nothing more.
 */
export async function applySharedRetention(
  dataSource: DataSource,
  firedAt: Date,
  settings: SharedRetentionSettings,
): Promise<SharedRetentionResult> {
  const auditRowsBefore = daysBefore(firedAt, settings.personalDataAccessDays);
  const auditRowsDeleted = await inBatches(dataSource, DELETE_AUDIT_ROWS, auditRowsBefore);
  if (settings.idempotencyDays === undefined)
    return { auditRowsBefore, auditRowsDeleted, idempotencyRecordsBefore: null, idempotencyRecordsDeleted: 0 };
  const idempotencyRecordsBefore = daysBefore(firedAt, settings.idempotencyDays);
  const idempotencyRecordsDeleted = await inBatches(dataSource, DELETE_IDEMPOTENCY_RECORDS, idempotencyRecordsBefore);
  return { auditRowsBefore, auditRowsDeleted, idempotencyRecordsBefore, idempotencyRecordsDeleted };
}

/** The shared part of a run's log line: cutoffs and counts, never anyone's data. */
export function describeSharedRetention(result: SharedRetentionResult): string {
  const audit = `audit rows before ${result.auditRowsBefore.toISOString()}: ${result.auditRowsDeleted} deleted`;
  if (!result.idempotencyRecordsBefore) return audit;
  return `${audit}; idempotency records before ${result.idempotencyRecordsBefore.toISOString()}: ${result.idempotencyRecordsDeleted} deleted`;
}
