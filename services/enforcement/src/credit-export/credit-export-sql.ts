import { execute, queryFirst, queryRows, type SqlExecutor } from '#libs/database';
import { CreditExportState } from './credit-export.models.js';

/** Which external system a case's record goes to: floating-population households → POINTS (流动人口积分制), everyone else → CREDIT. */
export const SYSTEM_OF_CASE = `CASE WHEN c.target_kind = 'HOUSEHOLD' AND c.floating_population THEN 'POINTS' ELSE 'CREDIT' END`;

/**
 * The minimised payload of an export (no names, phones or addresses): export id, case, subject (kind and id only),
 * article, amount, decision date. `x` is a row with `id` (the export id) and the case's columns under `c.`.
 */
const recordPayload = (exportId: string, reason: string) => `jsonb_build_object(
  'exportId', ${exportId}, 'kind', 'RECORD', 'system', ${SYSTEM_OF_CASE}, 'caseId', c.id,
  'subject', jsonb_build_object(
    'kind', CASE WHEN c.target_kind = 'HOUSEHOLD' THEN 'HOUSEHOLD' ELSE 'LEGAL_ENTITY' END,
    'targetKind', c.target_kind, 'id', coalesce(c.household_id, c.institution_id), 'floatingPopulation', c.floating_population),
  'article', c.article_code, 'amountCny', c.fine_amount, 'decisionDate', c.penalty_decided_on::text,
  'appealDeadline', c.appeal_deadline::text, 'finalBecause', ${reason})`;

/**
 * Set-based: one RECORD per case whose penalty became final by `$1` (the job's clock): PENALISED with the appeal
 * window over (the Shanghai date of the clock, `$2`, is after the last day of the window), or UPHELD on appeal by
 * then. The unique index on (case_id) WHERE kind = 'RECORD' makes a rerun write nothing; the cases are locked so an
 * appeal racing the scan either commits first (the case is no longer PENALISED) or waits and is then refused.
 */
export async function createDueRecords(db: SqlExecutor, firedAt: Date, firedOn: string): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    db,
    `WITH due AS (
       SELECT c.*, gen_random_uuid() AS export_id,
              CASE WHEN c.state = 'UPHELD' THEN 'APPEAL_UPHELD' ELSE 'APPEAL_WINDOW_ENDED' END AS reason
         FROM enforcement_case c
        WHERE ((c.state = 'PENALISED' AND c.appeal_deadline < $2::date) OR (c.state = 'UPHELD' AND c.appeal_decided_at <= $1))
          AND NOT EXISTS (SELECT 1 FROM credit_export e WHERE e.case_id = c.id AND e.kind = 'RECORD')
        FOR UPDATE OF c
     )
     INSERT INTO credit_export (id, case_id, kind, system, payload, next_attempt_at)
     SELECT c.export_id, c.id, 'RECORD', ${SYSTEM_OF_CASE}, ${recordPayload('c.export_id', 'c.reason')}, $1
       FROM due c
     ON CONFLICT (case_id) WHERE kind = 'RECORD' DO NOTHING
     RETURNING id`,
    [firedAt, firedOn],
  );
  return rows.length;
}

/**
 * When a penalty is overturned or revoked (inside the caller's transaction, the case row locked): a record nobody
 * has tried to send yet is cancelled; one that was sent, or may have been, gets a RETRACTION (dispatched only after
 * the record itself has left PENDING, so the receiver never sees the retraction first). Returns what it did.
 */
export async function retractIfExported(db: SqlExecutor, caseId: string, reason: string): Promise<'NONE' | 'CANCELLED' | 'RETRACTION'> {
  const record = await queryFirst<{ id: string; state: CreditExportState; attempts: number }>(
    db,
    `SELECT id, state, attempts FROM credit_export WHERE case_id = $1 AND kind = 'RECORD' FOR UPDATE`,
    [caseId],
  );
  if (!record) return 'NONE';
  if (record.state === CreditExportState.PENDING && record.attempts === 0) {
    const cancelled = await execute(
      db,
      `UPDATE credit_export SET state = 'CANCELLED', last_error = $2
        WHERE id = $1 AND state = 'PENDING' AND attempts = 0 AND (claimed_until IS NULL OR claimed_until < now())`,
      [record.id, `cancelled before delivery: ${reason}`],
    );
    if (cancelled === 1) return 'CANCELLED';
  }
  await execute(
    db,
    `WITH x AS (SELECT gen_random_uuid() AS id)
     INSERT INTO credit_export (id, case_id, kind, system, retracts_id, payload, next_attempt_at)
     SELECT x.id, r.case_id, 'RETRACTION', r.system, r.id,
            jsonb_build_object('exportId', x.id, 'kind', 'RETRACTION', 'system', r.system, 'caseId', r.case_id,
                               'retractsExportId', r.id, 'subject', r.payload->'subject', 'article', r.payload->'article',
                               'reason', $2::text, 'retractedOn', to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')),
            now()
       FROM credit_export r, x
      WHERE r.id = $1
     ON CONFLICT (retracts_id) WHERE kind = 'RETRACTION' DO NOTHING`,
    [record.id, reason],
  );
  return 'RETRACTION';
}
