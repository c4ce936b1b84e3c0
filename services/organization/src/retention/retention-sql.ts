import type { DataSource } from 'typeorm';
import { maskNameSql } from '#libs/privacy';
import { daysBefore, inBatches } from '#libs/retention';
import type { RetentionSettings } from './retention-settings.js';

/**
 * Masks in place (张*明, the way every reader without the right already sees it) a batch of entrants' names of contests
 * whose deadline was before $1 ($2 the batch size, $3 when). The entry, its school and its award stay, so results and
 * counts read as before; `entrant_name_masked_at` marks it done, so a later run (or one at the same time, re-checked
 * under the row lock) skips it.
 */
const MASK_CONTEST_ENTRANTS = `
  WITH due AS (
    SELECT e.id FROM volunteer_contest_entry e JOIN volunteer_contest c ON c.id = e.contest_id
     WHERE c.entries_close_at < $1 AND e.entrant_name_masked_at IS NULL
     ORDER BY e.id LIMIT $2 FOR UPDATE OF e SKIP LOCKED),
  masked AS (
    UPDATE volunteer_contest_entry e SET entrant_name = ${maskNameSql('e.entrant_name')}, entrant_name_masked_at = $3
      FROM due WHERE e.id = due.id AND e.entrant_name_masked_at IS NULL
    RETURNING 1)
  SELECT count(*)::int AS count FROM masked`;

export interface ContestEntrantResult {
  contestsClosedBefore: Date;
  entrantNamesMasked: number;
}

/** Masks the entrants' names of contests closed more than `contestEntrantDays` before `firedAt`. */
export async function maskContestEntrants(
  dataSource: DataSource,
  firedAt: Date,
  settings: RetentionSettings,
): Promise<ContestEntrantResult> {
  const contestsClosedBefore = daysBefore(firedAt, settings.contestEntrantDays);
  const entrantNamesMasked = await inBatches(dataSource, MASK_CONTEST_ENTRANTS, contestsClosedBefore, firedAt);
  return { contestsClosedBefore, entrantNamesMasked };
}
