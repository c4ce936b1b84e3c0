import { execute, queryFirst, type SqlExecutor } from '#libs/database';
import type { HouseholdSnapshot } from '#libs/messaging';

/** One household as enforcement's copy holds it. */
export interface CopiedHousehold {
  id: string;
  compoundId: string;
  floatingPopulation: boolean;
  removed: boolean;
  /** Ancestor ids of the compound, from the territory copy; null while that copy does not know the compound yet. */
  compoundPath: string[] | null;
}

/**
 * Writes household snapshots into household_copy, each only when its version is newer than the copy's: redelivered or
 * reordered events change nothing, and a removal (kept as `removed`) is never undone by an older snapshot. Within one
 * batch the newest snapshot of a household wins (ON CONFLICT may touch a row only once per statement).
 */
export async function applyHouseholdSnapshots(db: SqlExecutor, households: readonly HouseholdSnapshot[]): Promise<void> {
  if (households.length === 0) return;
  await execute(
    db,
    `INSERT INTO household_copy (id, compound_id, floating_population, removed, version)
     SELECT DISTINCT ON (id) id, "compoundId", "floatingPopulation", removed, version
       FROM jsonb_to_recordset($1::jsonb) AS h(id uuid, "compoundId" uuid, "floatingPopulation" boolean, removed boolean, version bigint)
      ORDER BY id, version DESC
     ON CONFLICT (id) DO UPDATE
        SET compound_id = excluded.compound_id, floating_population = excluded.floating_population, removed = excluded.removed,
            version = excluded.version, updated_at = now()
      WHERE household_copy.version < excluded.version`,
    [JSON.stringify(households)],
  );
}

/** The household as the copy holds it (removed ones included, so callers can tell), with its compound's path. */
export async function findCopiedHousehold(db: SqlExecutor, id: string): Promise<CopiedHousehold | null> {
  const row = await queryFirst<CopiedHousehold>(
    db,
    `SELECT h.id, h.compound_id AS "compoundId", h.floating_population AS "floatingPopulation", h.removed, t.path::text[] AS "compoundPath"
       FROM household_copy h LEFT JOIN territory_unit t ON t.id = h.compound_id
      WHERE h.id = $1`,
    [id],
  );
  return row ?? null;
}
