import { execute, type SqlExecutor } from '#libs/database';
import type { InstitutionSnapshot } from '#libs/messaging';

/**
 * Applies `institutions.changed` snapshots to this service's institution_copy, each only when newer than the
 * copy's: redelivered or reordered events are harmless.
 */
export async function applyInstitutionSnapshots(db: SqlExecutor, institutions: readonly InstitutionSnapshot[]): Promise<void> {
  await execute(
    db,
    `INSERT INTO institution_copy (id, kind, name, version)
     SELECT id, kind, name, version FROM jsonb_to_recordset($1::jsonb) AS i(id uuid, kind text, name text, version integer)
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, version = excluded.version, updated_at = now()
      WHERE institution_copy.version < excluded.version`,
    [JSON.stringify(institutions)],
  );
}
