import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { isWithinScope, type Caller } from '#libs/auth';
import { monthStart, parseMonth, shanghaiDate } from '#libs/calendar';
import { SqlParams, execute, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, fetchKeysetPagesByGroup, type ConnectionShape, type PageArgs } from '#libs/pagination';
import { Territory } from '#libs/territory';
import { NOTICE_RULE_SETS } from '../notices/notice-rules.js';
import { NOTICE_WORDS, dateInWords, monthInWords } from '../notices/notice-sql.js';
import { gradeCopiesPurged } from '../retention/retention-sql.js';
import { announceDisclosureWithdrawal, shareWithOutlets } from '../webhooks/disclosure-fan-out.js';
import { appendEvent } from './disclosure-draft.js';
import { DIFFERENCES, DIFFERENCE_COUNTS, PUBLISH, type DifferenceCounts } from './disclosure-sql.js';
import { DisclosureAction, DisclosureState } from './disclosure-state.js';
import {
  PublicDisclosure,
  PublicDisclosureCounts,
  PublicDisclosureEntry,
  PublicDisclosureEvent,
  PublicDisclosurePendingDifference,
  type DisclosureEntriesArgs,
  type DisclosureEntryRow,
  type DisclosureRow,
  type PublicDisclosuresArgs,
} from './disclosure.models.js';

const COLUMNS = `d.id, d.district_id AS "districtId", to_char(d.month, 'YYYY-MM') AS month, d.state, d.rule_version AS "ruleVersion",
  d.prepared_by AS "preparedBy", d.prepared_at AS "preparedAt", d.refreshed_at AS "refreshedAt",
  d.last_edited_by AS "lastEditedBy", d.last_edited_at AS "lastEditedAt", d.approved_by AS "approvedBy", d.approved_at AS "approvedAt",
  d.approval_note AS "approvalNote", d.published_by AS "publishedBy", d.published_at AS "publishedAt", d.withdrawn_by AS "withdrawnBy",
  d.withdrawn_at AS "withdrawnAt", d.withdrawal_reason AS "withdrawalReason", d.subject, d.text_body AS "textBody", d.html_body AS "htmlBody"`;

const ENTRY_COLUMNS = `e.id, e.disclosure_id AS "disclosureId", e.masked_name AS "maskedName", e.compound_id AS "compoundId", e.place, e.kind,
  e.grade, e.excluded_at AS "excludedAt", e.excluded_by AS "excludedBy", e.exclusion_reason AS "exclusionReason"`;

/** Longest reason or note staff may write. */
export const MAX_NOTE_LENGTH = 500;

/**
 * Public disclosures for staff: reading (district-wide roles see every entry; a scoped role, e.g. a STREET_ADMIN,
 * sees the district's disclosures but only the entries, counts and differences in its own territory, and excludes or
 * includes only those), and the state machine DRAFT → APPROVED → PUBLISHED, or WITHDRAWN. Approving, publishing and
 * withdrawing act on the whole district's list, so they need a caller whose territory is the whole district.
 * Every transition locks the disclosure, checks, writes and logs in one transaction; a refused one writes nothing.
 */
@Injectable()
export class DisclosureService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
  ) {}

  async list(caller: Caller, args: PublicDisclosuresArgs): Promise<ConnectionShape<PublicDisclosure>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (caller.orgUnitId)
      where.push(
        `EXISTS (SELECT 1 FROM territory_unit u WHERE u.id = ${params.add(caller.orgUnitId)}::uuid AND d.district_id = ANY(u.path))`,
      );
    if (args.month) where.push(`d.month = ${params.add(monthStart(parseMonth(args.month)))}::date`);
    if (args.state) where.push(`d.state = ${params.add(args.state)}`);
    return fetchKeysetPage<DisclosureRow, PublicDisclosure>(
      this.dataSource,
      args,
      {
        select: COLUMNS,
        from: 'public_disclosure d',
        where,
        params,
        orderBy: ['d.month', 'd.id'],
        keyOf: (row) => [row.month + '-01', row.id],
        descending: true,
      },
      (rows) => rows.map((row) => PublicDisclosure.from(row)),
    );
  }

  async get(caller: Caller, id: string): Promise<PublicDisclosure> {
    return PublicDisclosure.from(await this.findVisible(this.dataSource.manager, caller, id, false));
  }

  /** The disclosure's entries in the caller's territory: praise first, then by place. */
  /** The same page of entries of each disclosure (in the caller's territory): one statement for a page of disclosures. */
  entriesOf(
    caller: Caller,
    disclosureIds: readonly string[],
    args: DisclosureEntriesArgs,
  ): Promise<ConnectionShape<PublicDisclosureEntry>[]> {
    const params = new SqlParams();
    const where = [`e.disclosure_id = ANY(${params.add(disclosureIds)}::uuid[])`, ...this.entryScope(caller, params)];
    if (args.kind) where.push(`e.kind = ${params.add(args.kind)}`);
    if (args.excluded === true) where.push('e.excluded_at IS NOT NULL');
    if (args.excluded === false) where.push('e.excluded_at IS NULL');
    return fetchKeysetPagesByGroup<DisclosureEntryRow, PublicDisclosureEntry>(
      this.dataSource,
      args,
      disclosureIds,
      {
        select: ENTRY_COLUMNS,
        from: 'public_disclosure_entry e',
        groupBy: 'e.disclosure_id',
        where,
        params,
        orderBy: ['e.kind', 'e.place', 'e.id'],
        keyOf: (row) => [row.kind, row.place, row.id],
      },
      (rows) => rows.map((row) => PublicDisclosureEntry.from(row)),
    );
  }

  async counts(caller: Caller, disclosure: PublicDisclosure): Promise<PublicDisclosureCounts> {
    const params = new SqlParams();
    const where = [`e.disclosure_id = ${params.add(disclosure.id)}::uuid`, ...this.entryScope(caller, params)];
    const row = await queryOne<{ praise: number; reminder: number; included: number; excluded: number }>(
      this.dataSource,
      `SELECT count(*) FILTER (WHERE e.excluded_at IS NULL AND e.kind = 'PRAISE')::int AS praise,
              count(*) FILTER (WHERE e.excluded_at IS NULL AND e.kind = 'REMINDER')::int AS reminder,
              count(*) FILTER (WHERE e.excluded_at IS NULL)::int AS included,
              count(*) FILTER (WHERE e.excluded_at IS NOT NULL)::int AS excluded
         FROM public_disclosure_entry e WHERE ${where.join(' AND ')}`,
      params.values,
    );
    return Object.assign(new PublicDisclosureCounts(), row);
  }

  /** The audit log, oldest first. */
  /** Its audit log, oldest first. */
  /**
   * The disclosure's own events, and those about entries in the caller's territory: an event about another street's
   * entry (who excluded whom, and why) is no more visible than the entry itself.
   */
  eventsOf(caller: Caller, disclosureIds: readonly string[], args: PageArgs): Promise<ConnectionShape<PublicDisclosureEvent>[]> {
    const params = new SqlParams();
    const entryScope = this.entryScope(caller, params);
    // entryScope is written for entries aliased `e`; inside the sub-select that alias names the entry, not the event.
    const visibleEntry =
      entryScope.length === 0
        ? []
        : [`(e.entry_id IS NULL OR e.entry_id IN (SELECT e.id FROM public_disclosure_entry e WHERE ${entryScope.join(' AND ')}))`];
    return fetchKeysetPagesByGroup<PublicDisclosureEvent & { seq: string }, PublicDisclosureEvent>(
      this.dataSource,
      args,
      disclosureIds,
      {
        // Ordered by the column e.seq, not the text alias (which would sort 10 before 9).
        select: `e.seq::text AS seq, e.action, e.actor, e.at, e.note, e.entry_id AS "entryId"`,
        from: 'public_disclosure_event e',
        groupBy: 'e.disclosure_id',
        where: [`e.disclosure_id = ANY(${params.add(disclosureIds)}::uuid[])`, ...visibleEntry],
        params,
        orderBy: ['e.seq'],
        keyOf: (row) => [row.seq],
      },
      (rows) => rows.map(({ seq: _seq, ...row }) => Object.assign(new PublicDisclosureEvent(), row)),
    );
  }

  /**
   * For an approved or published disclosure: how the grades of households corrected since its approval would change
   * it (in the caller's territory), worked out now for those households only; null when no correction would, or when
   * the month's grades are no longer kept.
   */
  async pendingDifference(caller: Caller, disclosure: PublicDisclosure): Promise<PublicDisclosurePendingDifference | null> {
    const { households } = await queryOne<{ households: string[] }>(
      this.dataSource,
      `SELECT coalesce(array_agg(household_id), '{}')::text[] AS households FROM public_disclosure_correction WHERE disclosure_id = $1`,
      [disclosure.id],
    );
    if (households.length === 0) return null;
    // Past the grade-copy retention period the grades to compare with are gone, and compared with nothing every entry
    // would look removed. The disclosure stands as approved; its log still records each CORRECTION_PENDING.
    if (await gradeCopiesPurged(this.dataSource, disclosure.month)) return null;
    const ruleSet = await NOTICE_RULE_SETS.requireInForce(this.dataSource, disclosure.districtId, disclosure.month);
    const params = new SqlParams();
    for (const value of [monthStart(disclosure.month), disclosure.districtId, JSON.stringify(ruleSet.rules), households, disclosure.id])
      params.add(value);
    const scope = caller.orgUnitId
      ? `WHERE compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[${params.add(caller.orgUnitId)}::uuid])`
      : '';
    const row = await queryOne<DifferenceCounts>(
      this.dataSource,
      `WITH diff AS (${DIFFERENCES}) SELECT ${DIFFERENCE_COUNTS} FROM diff ${scope}`,
      params.values,
    );
    if (row.households === 0) return null;
    return Object.assign(new PublicDisclosurePendingDifference(), {
      households: row.households,
      entriesToAdd: row.added,
      entriesToRemove: row.removed,
      entriesChanged: row.changed,
    });
  }

  /** Leaves an entry of a DRAFT out of the disclosure, with a reason. */
  exclude(caller: Caller, entryId: string, reason: string): Promise<PublicDisclosureEntry> {
    const why = requiredText(reason, 'reason');
    return this.editEntry(caller, entryId, true, async (manager) => {
      const row = await queryOne<DisclosureEntryRow>(
        manager,
        `WITH e AS (
           UPDATE public_disclosure_entry SET excluded_at = now(), excluded_by = $2, exclusion_reason = $3, updated_at = now() WHERE id = $1 RETURNING *
         ) SELECT ${ENTRY_COLUMNS} FROM e`,
        [entryId, caller.userId, why],
      );
      return { row, action: DisclosureAction.ENTRY_EXCLUDED, note: why };
    });
  }

  /** Puts an excluded entry of a DRAFT back. */
  include(caller: Caller, entryId: string): Promise<PublicDisclosureEntry> {
    return this.editEntry(caller, entryId, false, async (manager) => {
      const row = await queryOne<DisclosureEntryRow>(
        manager,
        `WITH e AS (
           UPDATE public_disclosure_entry SET excluded_at = NULL, excluded_by = NULL, exclusion_reason = NULL, updated_at = now() WHERE id = $1 RETURNING *
         ) SELECT ${ENTRY_COLUMNS} FROM e`,
        [entryId],
      );
      return { row, action: DisclosureAction.ENTRY_INCLUDED, note: null };
    });
  }

  /**
   * Approves a DRAFT: by someone other than the last person who changed it (four eyes; FORBIDDEN FOUR_EYES), and
   * only with something to disclose. From then on the entries are frozen.
   */
  approve(caller: Caller, id: string, note: string | null): Promise<PublicDisclosure> {
    const approvalNote = optionalText(note, 'note');
    return this.transition(caller, id, async (manager, disclosure) => {
      requireState(disclosure, DisclosureState.DRAFT, 'DISCLOSURE_NOT_DRAFT', 'Only a DRAFT can be approved');
      if (disclosure.lastEditedBy === caller.userId) {
        throw DomainError.forbidden('You changed this draft last: someone else must approve it (four eyes)', 'FOUR_EYES');
      }
      const { included } = await queryOne<{ included: number }>(
        manager,
        `SELECT count(*)::int AS included FROM public_disclosure_entry WHERE disclosure_id = $1 AND excluded_at IS NULL`,
        [id],
      );
      if (included === 0) throw DomainError.conflict('This draft lists nobody: withdraw it instead', 'NOTHING_TO_DISCLOSE');
      await execute(
        manager,
        `UPDATE public_disclosure SET state = 'APPROVED', approved_by = $2, approved_at = now(), approval_note = $3 WHERE id = $1`,
        [id, caller.userId, approvalNote],
      );
      return { action: DisclosureAction.APPROVED, note: approvalNote ?? `${included} entries` };
    });
  }

  /**
   * Publishes an APPROVED disclosure: renders the PUBLIC_DISCLOSURE template with its included entries, keeps the
   * texts, and shares it with the media outlets (disclosure.published to their webhooks).
   */
  publish(caller: Caller, id: string, now = new Date()): Promise<PublicDisclosure> {
    return this.transition(caller, id, async (manager, disclosure) => {
      requireState(disclosure, DisclosureState.APPROVED, 'DISCLOSURE_NOT_APPROVED', 'Only an APPROVED disclosure can be published');
      const published = await queryRows<{ id: string }>(manager, PUBLISH, [
        id,
        caller.userId,
        monthInWords(disclosure.month),
        dateInWords(shanghaiDate(now)),
        NOTICE_WORDS,
      ]);
      if (published.length === 0) throw DomainError.conflict('No PUBLIC_DISCLOSURE template is active', 'NO_ACTIVE_TEMPLATE');
      // In the same transaction: the media outlets get it (and their webhooks are due) exactly when it is published.
      await shareWithOutlets(manager, id, monthStart(disclosure.month));
      return { action: DisclosureAction.PUBLISHED, note: null };
    });
  }

  /**
   * Withdraws a disclosure in any state but WITHDRAWN, with a reason; final. The media outlets that may have a
   * published one are told (disclosure.withdrawn) and can no longer read its text.
   */
  withdraw(caller: Caller, id: string, reason: string): Promise<PublicDisclosure> {
    const why = requiredText(reason, 'reason');
    return this.transition(caller, id, async (manager, disclosure) => {
      if (disclosure.state === DisclosureState.WITHDRAWN) {
        throw DomainError.conflict('This disclosure was withdrawn already', 'DISCLOSURE_WITHDRAWN', { state: disclosure.state });
      }
      await execute(
        manager,
        `UPDATE public_disclosure SET state = 'WITHDRAWN', withdrawn_by = $2, withdrawn_at = now(), withdrawal_reason = $3 WHERE id = $1`,
        [id, caller.userId, why],
      );
      // Only a published disclosure ever reached media outlets.
      if (disclosure.state === DisclosureState.PUBLISHED) await announceDisclosureWithdrawal(manager, id, monthStart(disclosure.month));
      return { action: DisclosureAction.WITHDRAWN, note: why };
    });
  }

  /** Locks a disclosure the caller may act on for the whole district, applies `change`, logs it, returns the result. */
  private async transition(
    caller: Caller,
    id: string,
    change: (manager: EntityManager, disclosure: DisclosureRow) => Promise<{ action: DisclosureAction; note: string | null }>,
  ): Promise<PublicDisclosure> {
    return this.dataSource.transaction(async (manager) => {
      const disclosure = await this.findVisible(manager, caller, id, true);
      if (caller.orgUnitId !== null && caller.orgUnitId !== disclosure.districtId) {
        throw DomainError.forbidden('Approving, publishing and withdrawing a disclosure act on the whole district', 'OUT_OF_SCOPE');
      }
      const { action, note } = await change(manager, disclosure);
      await appendEvent(manager, id, action, note, caller.userId);
      const row = await queryOne<DisclosureRow>(manager, `SELECT ${COLUMNS} FROM public_disclosure d WHERE d.id = $1`, [id]);
      return PublicDisclosure.from(row);
    });
  }

  /**
   * Excludes (`exclude`) or includes an entry of a DRAFT in the caller's territory: locks the disclosure, then the
   * entry, checks, applies `change`, records the caller as the draft's last editor, and logs it.
   */
  private editEntry(
    caller: Caller,
    entryId: string,
    exclude: boolean,
    change: (manager: EntityManager) => Promise<{ row: DisclosureEntryRow; action: DisclosureAction; note: string | null }>,
  ): Promise<PublicDisclosureEntry> {
    return this.dataSource.transaction(async (manager) => {
      const located = await queryFirst<{ disclosureId: string }>(
        manager,
        `SELECT disclosure_id AS "disclosureId" FROM public_disclosure_entry WHERE id = $1`,
        [entryId],
      );
      if (!located) throw DomainError.notFound('PublicDisclosureEntry', entryId);
      // The entry's disclosure: a foreign key, so it exists.
      const disclosure = await queryOne<{ state: DisclosureState }>(
        manager,
        `SELECT state FROM public_disclosure WHERE id = $1 FOR UPDATE`,
        [located.disclosureId],
      );
      const entry = await queryFirst<{ excluded: boolean; compoundPath: string[] | null }>(
        manager,
        `SELECT e.excluded_at IS NOT NULL AS excluded, t.path::text[] AS "compoundPath"
           FROM public_disclosure_entry e LEFT JOIN territory_unit t ON t.id = e.compound_id WHERE e.id = $1 FOR UPDATE OF e`,
        [entryId],
      );
      if (!entry || !isWithinScope(caller, entry.compoundPath ?? [])) throw DomainError.notFound('PublicDisclosureEntry', entryId);
      if (disclosure.state !== DisclosureState.DRAFT) {
        throw DomainError.conflict(
          `Entries can be changed only while the disclosure is a DRAFT; it is ${disclosure.state}`,
          'DISCLOSURE_NOT_DRAFT',
          {
            state: disclosure.state,
          },
        );
      }
      if (entry.excluded === exclude) {
        throw exclude
          ? DomainError.conflict('This entry is excluded already', 'ENTRY_ALREADY_EXCLUDED')
          : DomainError.conflict('This entry is not excluded', 'ENTRY_NOT_EXCLUDED');
      }
      const { row, action, note } = await change(manager);
      await execute(manager, `UPDATE public_disclosure SET last_edited_by = $2, last_edited_at = now() WHERE id = $1`, [
        located.disclosureId,
        caller.userId,
      ]);
      await appendEvent(manager, located.disclosureId, action, note, caller.userId, entryId);
      return PublicDisclosureEntry.from(row);
    });
  }

  /** The disclosure, if its district is (or contains) the caller's territory; NOT_FOUND otherwise. */
  private async findVisible(manager: EntityManager, caller: Caller, id: string, lock: boolean): Promise<DisclosureRow> {
    const row = await queryFirst<DisclosureRow>(
      manager,
      `SELECT ${COLUMNS} FROM public_disclosure d WHERE d.id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    if (!row) throw DomainError.notFound('PublicDisclosure', id);
    if (caller.orgUnitId !== null) {
      const unit = await this.territory.find(caller.orgUnitId);
      if (!unit?.path.includes(row.districtId)) throw DomainError.notFound('PublicDisclosure', id);
    }
    return row;
  }

  private entryScope(caller: Caller, params: SqlParams): string[] {
    return caller.orgUnitId
      ? [`e.compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[${params.add(caller.orgUnitId)}::uuid])`]
      : [];
  }
}

function requireState(disclosure: DisclosureRow, state: DisclosureState, reason: string, message: string): void {
  if (disclosure.state !== state)
    throw DomainError.conflict(`${message}; this one is ${disclosure.state}`, reason, { state: disclosure.state });
}

function requiredText(value: string, field: string): string {
  const text = value.trim();
  if (text.length === 0) throw DomainError.badInput(`${field} must not be empty`, 'MISSING_REASON', { field });
  if (text.length > MAX_NOTE_LENGTH)
    throw DomainError.badInput(`${field} must be at most ${MAX_NOTE_LENGTH} characters`, 'TEXT_TOO_LONG', { field, max: MAX_NOTE_LENGTH });
  return text;
}

function optionalText(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return requiredText(value, field);
}
