import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { monthStart } from '#libs/calendar';
import { execute, queryFirst, queryOne, type SqlExecutor } from '#libs/database';
import type { RuleSetRow } from '#libs/rule-sets';
import type { NoticeRules } from '../notices/notice-rules.js';
import { DIFFERENCES, DIFFERENCE_COUNTS, REFRESH_DRAFT, type DifferenceCounts } from './disclosure-sql.js';
import { DisclosureAction, DisclosureState } from './disclosure-state.js';

/** The actor the audit log names for what notice generation does to a draft. */
export const GENERATION_ACTOR = 'system:notice-generation';

export interface DraftChange {
  disclosureId: string | null;
  added: number;
  changed: number;
  removed: number;
}

const logger = new Logger('PublicDisclosureDraft');

/**
 * Creates or refreshes a district-month's public disclosure draft, inside notice generation's transaction
 * (NoticeGenerator.generate), with the rules that generation uses.
 *
 * - The month's first generation (`householdIds` null) creates the DRAFT with every disclosable resident.
 * - A correction (`householdIds`: the corrected households) refreshes a DRAFT for those households only. A month
 *   generated before disclosures existed has none, and a correction does not start one with a part of the month.
 * - An APPROVED or PUBLISHED disclosure is never changed: what was approved is what is published. A correction that
 *   would change it is noted (public_disclosure_correction, and a CORRECTION_PENDING event once per household), so
 *   staff see the pending difference; a WITHDRAWN one is left alone.
 * Every step is idempotent: running it again with the same grades changes nothing and logs nothing.
 */
export async function prepareDisclosureDraft(
  manager: EntityManager,
  districtId: string,
  month: string,
  ruleSet: RuleSetRow<NoticeRules>,
  householdIds: string[] | null,
): Promise<DraftChange> {
  const first = monthStart(month);
  let disclosure = await queryFirst<{ id: string; state: DisclosureState }>(
    manager,
    `SELECT id, state FROM public_disclosure WHERE district_id = $1 AND month = $2 FOR UPDATE`,
    [districtId, first],
  );
  const unchanged: DraftChange = { disclosureId: disclosure?.id ?? null, added: 0, changed: 0, removed: 0 };
  let created = false;
  if (!disclosure) {
    if (householdIds !== null) return unchanged;
    disclosure = await queryOne<{ id: string; state: DisclosureState }>(
      manager,
      `INSERT INTO public_disclosure (district_id, month, rule_version, prepared_by) VALUES ($1, $2, $3, $4) RETURNING id, state`,
      [districtId, first, ruleSet.version, GENERATION_ACTOR],
    );
    created = true;
  }
  const rules = JSON.stringify(ruleSet.rules);

  if (disclosure.state === DisclosureState.DRAFT) {
    const change = await queryOne<Omit<DraftChange, 'disclosureId'>>(manager, REFRESH_DRAFT, [
      first,
      districtId,
      rules,
      householdIds,
      disclosure.id,
    ]);
    const result = { disclosureId: disclosure.id, ...change };
    if (created) {
      const counts = await queryOne<{ praise: number; reminder: number }>(
        manager,
        `SELECT count(*) FILTER (WHERE kind = 'PRAISE')::int AS praise, count(*) FILTER (WHERE kind = 'REMINDER')::int AS reminder
           FROM public_disclosure_entry WHERE disclosure_id = $1`,
        [disclosure.id],
      );
      await appendEvent(
        manager,
        disclosure.id,
        DisclosureAction.PREPARED,
        `${counts.praise} praise, ${counts.reminder} reminder entries (notice rules v${ruleSet.version})`,
      );
    } else if (change.added + change.changed + change.removed > 0) {
      await execute(manager, `UPDATE public_disclosure SET refreshed_at = now(), rule_version = $2 WHERE id = $1`, [
        disclosure.id,
        ruleSet.version,
      ]);
      await appendEvent(
        manager,
        disclosure.id,
        DisclosureAction.REFRESHED,
        `corrected grades${householdIds ? ` of ${householdIds.length} households` : ''}: ${change.added} added, ${change.changed} changed, ${change.removed} removed`,
      );
    }
    logger.log(
      `${month} of ${districtId}: draft ${created ? 'prepared' : 'refreshed'} (${change.added} added, ${change.changed} changed, ${change.removed} removed)`,
    );
    return result;
  }

  if (disclosure.state === DisclosureState.WITHDRAWN || householdIds === null) return unchanged;
  // APPROVED or PUBLISHED: note the households whose correction would change it, once each.
  const noted = await queryOne<DifferenceCounts>(
    manager,
    `WITH diff AS (${DIFFERENCES}),
     noted AS (
       INSERT INTO public_disclosure_correction (disclosure_id, household_id) SELECT DISTINCT $5::uuid, household_id FROM diff
       ON CONFLICT DO NOTHING RETURNING household_id
     )
     SELECT ${DIFFERENCE_COUNTS} FROM diff WHERE household_id IN (SELECT household_id FROM noted)`,
    [first, districtId, rules, householdIds, disclosure.id],
  );
  if (noted.households > 0) {
    await appendEvent(
      manager,
      disclosure.id,
      DisclosureAction.CORRECTION_PENDING,
      `grades of ${noted.households} households corrected after approval, not applied: ${noted.added} entries would be added, ${noted.changed} changed, ${noted.removed} removed`,
    );
  }
  return unchanged;
}

export async function appendEvent(
  manager: SqlExecutor,
  disclosureId: string,
  action: DisclosureAction,
  note: string | null,
  actor = GENERATION_ACTOR,
  entryId: string | null = null,
): Promise<void> {
  await execute(manager, `INSERT INTO public_disclosure_event (disclosure_id, entry_id, action, actor, note) VALUES ($1, $2, $3, $4, $5)`, [
    disclosureId,
    entryId,
    action,
    actor,
    note,
  ]);
}
