import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Permission, hasPermission, isWithinScope, requireWithinScope, type Caller } from '#libs/auth';
import { SqlParams, execute, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, fetchKeysetPagesByGroup, type ConnectionShape, type KeysetQuery, type PageArgs } from '#libs/pagination';
import { PersonalDataAudit } from '#libs/privacy';
import { CONTEST_RULES as C, VOLUNTEER_RULES as R } from './volunteer-enums.js';
import type { CreateVolunteerContestInput, SubmitContestEntryInput, VolunteerContestsArgs } from './quiz-contest.inputs.js';
import { VolunteerContestEntry, type ContestEntryRow, type ContestRow } from './quiz-contest.models.js';
import { cleanText, requireUnitInScope, unitOrRelativesCondition, volunteerIdOf } from './volunteer-sql.js';
import { InstitutionKind } from '../institutions/institution-kind.js';

const CONTEST_COLUMNS = `c.id, c.campaign, c.title, c.theme, c.description, c.org_unit_id AS "orgUnitId", u.name AS "orgUnitName",
  u.path::text[] AS "orgUnitPath", c.entries_close_at AS "entriesCloseAt", c.entries_close_at::text AS "closeKey", c.created_by AS "createdBy",
  c.created_at AS "createdAt", (SELECT count(*)::int FROM volunteer_contest_entry e WHERE e.contest_id = c.id) AS "entryCount",
  coalesce((SELECT json_agg(json_build_object('rank', t.rank, 'tier', t.tier, 'awardCount', t.award_count,
                                              'awarded', (SELECT count(*) FROM volunteer_contest_entry e WHERE e.contest_id = c.id AND e.award_rank = t.rank))
                            ORDER BY t.rank)
              FROM volunteer_contest_tier t WHERE t.contest_id = c.id), '[]'::json) AS tiers`;
const CONTEST_FROM = `volunteer_contest c JOIN org_unit u ON u.id = c.org_unit_id`;

const ENTRY_COLUMNS = `e.id, e.contest_id AS "contestId", ev.user_id AS "submitterUserId", e.title, e.description, e.entrant_name AS "entrantName",
  e.school_id AS "schoolId", e.submitted_at AS "submittedAt", e.submitted_at::text AS "submittedAtKey", e.award_rank::int AS "awardRank",
  et.tier AS award, e.awarded_at AS "awardedAt", e.awarded_at::text AS "awardedAtKey", eu.path::text[] AS "contestPath",
  e.entrant_name_masked_at IS NOT NULL AS "entrantNameErased"`;
const ENTRY_FROM = `volunteer_contest_entry e JOIN volunteer ev ON ev.id = e.volunteer_id JOIN volunteer_contest ec ON ec.id = e.contest_id
  JOIN org_unit eu ON eu.id = ec.org_unit_id LEFT JOIN volunteer_contest_tier et ON et.contest_id = e.contest_id AND et.rank = e.award_rank`;

type EntryRow = ContestEntryRow & { awardedAtKey: string | null };

/**
 * Contests with entries and awards (作品征集比赛, e.g. 中小学生垃圾分类优秀作品征集比赛 for 金色少年): organisers
 * (VOLUNTEER_MANAGE, their territory) create a contest with award tiers; volunteers (students, or guardians for them)
 * submit works until the deadline; organisers award entries after it, each tier at most its count.
 *
 * The entrant is usually a minor, so their name is personal data about a minor: it is shown in clear only to a reader
 * of personal data (PERSONAL_DATA_READ) in the contest's territory and to whoever submitted the entry, masked (张*明) to
 * everyone else, every unmasked read audited; it is never logged, and nothing about entries goes into events or jobs.
 */
@Injectable()
export class VolunteerContestService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: PersonalDataAudit,
  ) {}

  /** Checks title, theme, deadline and tiers (INVALID_TIERS) first; writes the contest and its tiers in one statement. */
  async create(caller: Caller, input: CreateVolunteerContestInput, now = new Date()): Promise<ContestRow> {
    const title = cleanText(input.title, 'title', R.maxTitleLength, 'INVALID_TITLE');
    const theme = cleanText(input.theme, 'theme', C.maxThemeLength, 'INVALID_THEME');
    const description = cleanText(input.description, 'description', R.maxDescriptionLength, 'INVALID_DESCRIPTION', true);
    if (input.entriesCloseAt.getTime() <= now.getTime())
      throw DomainError.badInput('entriesCloseAt must be in the future', 'CLOSES_IN_PAST');
    const tiers = input.tiers;
    if (tiers.length < C.minTiers || tiers.length > C.maxTiers) {
      throw DomainError.badInput(`A contest has ${C.minTiers} to ${C.maxTiers} award tiers`, 'INVALID_TIERS', { tiers: tiers.length });
    }
    const cleaned = tiers.map((tier, index) => {
      const name = cleanText(tier.tier, 'tier', C.maxTierLength, 'INVALID_TIERS');
      if (!Number.isInteger(tier.awardCount) || tier.awardCount < C.minAwardCount || tier.awardCount > C.maxAwardCount) {
        throw DomainError.badInput(`awardCount must be ${C.minAwardCount} to ${C.maxAwardCount}`, 'INVALID_TIERS', {
          tier: name,
          awardCount: tier.awardCount,
        });
      }
      return { rank: index + 1, tier: name, awardCount: tier.awardCount };
    });
    if (new Set(cleaned.map((tier) => tier.tier)).size !== cleaned.length)
      throw DomainError.badInput('Tier names must differ', 'INVALID_TIERS');
    await requireUnitInScope(this.dataSource, caller, input.orgUnitId, 'badInput');
    const { id } = await queryOne<{ id: string }>(
      this.dataSource,
      `WITH contest AS (
         INSERT INTO volunteer_contest (campaign, title, theme, description, org_unit_id, entries_close_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id),
       tier AS (
         INSERT INTO volunteer_contest_tier (contest_id, rank, tier, award_count)
         SELECT contest.id, t.rank, t.tier, t."awardCount" FROM contest, jsonb_to_recordset($8::jsonb) AS t(rank int, tier text, "awardCount" int))
       SELECT id FROM contest`,
      [input.campaign, title, theme, description, input.orgUnitId, input.entriesCloseAt, caller.userId, JSON.stringify(cleaned)],
    );
    return (await this.contestsByIds([id]))[0]!;
  }

  /**
   * The caller (a registered volunteer) submits a work while the contest takes entries (CONTEST_CLOSED from the
   * deadline on, at the server's clock), at most ${C.maxEntriesPerVolunteer} per contest (CONFLICT TOO_MANY_ENTRIES); a
   * school must be an institution of kind SCHOOL (INVALID_SCHOOL). The contest row is locked for the decision.
   */
  async submit(caller: Caller, contestId: string, input: SubmitContestEntryInput, now = new Date()): Promise<EntryRow> {
    const title = cleanText(input.title, 'title', R.maxTitleLength, 'INVALID_TITLE');
    const description = cleanText(input.description, 'description', R.maxDescriptionLength, 'INVALID_DESCRIPTION', true);
    const entrantName = cleanText(input.entrantName, 'entrantName', C.maxEntrantNameLength, 'INVALID_ENTRANT_NAME');
    const id = await this.dataSource.transaction(async (manager) => {
      const volunteerId = await volunteerIdOf(manager, caller);
      const contest = await queryFirst<{ entriesCloseAt: Date }>(
        manager,
        `SELECT entries_close_at AS "entriesCloseAt" FROM volunteer_contest WHERE id = $1 FOR UPDATE`,
        [contestId],
      );
      if (!contest) throw DomainError.notFound('VolunteerContest', contestId);
      if (now.getTime() >= new Date(contest.entriesCloseAt).getTime()) {
        throw DomainError.badInput('The contest no longer takes entries', 'CONTEST_CLOSED', {
          entriesCloseAt: new Date(contest.entriesCloseAt).toISOString(),
        });
      }
      if (input.schoolId) {
        const school = await queryFirst<{ kind: InstitutionKind }>(manager, `SELECT kind FROM institution WHERE id = $1`, [input.schoolId]);
        if (school?.kind !== InstitutionKind.SCHOOL)
          throw DomainError.badInput('schoolId must be a school (学校)', 'INVALID_SCHOOL', { schoolId: input.schoolId });
      }
      const { entries } = await queryOne<{ entries: number }>(
        manager,
        `SELECT count(*)::int AS entries FROM volunteer_contest_entry WHERE contest_id = $1 AND volunteer_id = $2`,
        [contestId, volunteerId],
      );
      if (entries >= C.maxEntriesPerVolunteer) {
        throw DomainError.conflict(`At most ${C.maxEntriesPerVolunteer} entries per contest`, 'TOO_MANY_ENTRIES', {
          max: C.maxEntriesPerVolunteer,
        });
      }
      const { id } = await queryOne<{ id: string }>(
        manager,
        `INSERT INTO volunteer_contest_entry (contest_id, volunteer_id, title, description, entrant_name, school_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [contestId, volunteerId, title, description, entrantName, input.schoolId ?? null],
      );
      return id;
    });
    return (await this.entriesByIds([id]))[0];
  }

  /**
   * Awards an entry a tier, by the tier's name, after the deadline (CONTEST_STILL_OPEN before). The contest row is locked,
   * so awards of one contest queue and each sees the tier's count with the others': a tier given its count of times is
   * CONFLICT AWARD_TIER_FULL; an entry already awarded is CONFLICT ALREADY_AWARDED; an unknown tier UNKNOWN_TIER.
   */
  async award(caller: Caller, entryId: string, tierName: string, now = new Date()): Promise<EntryRow> {
    await this.dataSource.transaction(async (manager) => {
      const entry = await queryFirst<{ contestId: string; awardRank: number | null; entriesCloseAt: Date; path: string[] }>(
        manager,
        `SELECT e.contest_id AS "contestId", e.award_rank AS "awardRank", c.entries_close_at AS "entriesCloseAt", u.path::text[] AS path
           FROM volunteer_contest_entry e JOIN volunteer_contest c ON c.id = e.contest_id JOIN org_unit u ON u.id = c.org_unit_id
          WHERE e.id = $1 FOR UPDATE OF c, e`,
        [entryId],
      );
      if (!entry) throw DomainError.notFound('VolunteerContestEntry', entryId);
      requireWithinScope(caller, entry.path);
      if (now.getTime() < new Date(entry.entriesCloseAt).getTime()) {
        throw DomainError.badInput('Entries are awarded after the contest closes', 'CONTEST_STILL_OPEN', {
          entriesCloseAt: new Date(entry.entriesCloseAt).toISOString(),
        });
      }
      if (entry.awardRank !== null)
        throw DomainError.conflict('The entry has been awarded already', 'ALREADY_AWARDED', { awardRank: entry.awardRank });
      const tier = await queryFirst<{ rank: number; awardCount: number; awarded: number }>(
        manager,
        `SELECT t.rank, t.award_count AS "awardCount",
                (SELECT count(*)::int FROM volunteer_contest_entry e WHERE e.contest_id = t.contest_id AND e.award_rank = t.rank) AS awarded
           FROM volunteer_contest_tier t WHERE t.contest_id = $1 AND t.tier = $2`,
        [entry.contestId, tierName.trim()],
      );
      if (!tier) throw DomainError.badInput('The contest has no such award tier', 'UNKNOWN_TIER', { tier: tierName });
      if (tier.awarded >= tier.awardCount) {
        throw DomainError.conflict(`All ${tier.awardCount} awards of ${tierName} are given`, 'AWARD_TIER_FULL', {
          tier: tierName,
          awardCount: tier.awardCount,
        });
      }
      await execute(manager, `UPDATE volunteer_contest_entry SET award_rank = $2, awarded_by = $3, awarded_at = now() WHERE id = $1`, [
        entryId,
        tier.rank,
        caller.userId,
      ]);
    });
    return (await this.entriesByIds([entryId]))[0];
  }

  async contestsByIds(ids: readonly string[]): Promise<(ContestRow | null)[]> {
    const rows = await queryRows<ContestRow>(
      this.dataSource,
      `SELECT ${CONTEST_COLUMNS} FROM ${CONTEST_FROM} WHERE c.id = ANY($1::uuid[])`,
      [ids],
    );
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  }

  async get(id: string): Promise<ContestRow> {
    const [row] = await this.contestsByIds([id]);
    if (!row) throw DomainError.notFound('VolunteerContest', id);
    return row;
  }

  /** Contests, latest deadline first; no personal data. With `orgUnitId`: of that unit, below it or of its ancestors. */
  async list(args: VolunteerContestsArgs): Promise<ConnectionShape<ContestRow>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (args.orgUnitId) where.push(await unitOrRelativesCondition(this.dataSource, params, args.orgUnitId, 'c'));
    if (args.campaign) where.push(`c.campaign = ${params.add(args.campaign)}`);
    return fetchKeysetPage<ContestRow, ContestRow>(
      this.dataSource,
      args,
      {
        select: CONTEST_COLUMNS,
        from: CONTEST_FROM,
        where,
        params,
        orderBy: ['c.entries_close_at', 'c.id'],
        keyOf: (r) => [r.closeKey, r.id],
        descending: true,
      },
      (rows) => rows,
    );
  }

  /**
   * Every entry of each contest in the order they came (for its organisers; the resolver checks), presented for the
   * caller: the same page of each, one statement for a page of contests.
   */
  entriesOf(caller: Caller, contestIds: readonly string[], args: PageArgs): Promise<ConnectionShape<VolunteerContestEntry>[]> {
    return this.entryPagesByContest(caller, contestIds, args, {
      where: [],
      orderBy: ['e.submitted_at', 'e.id'],
      keyOf: (r) => [r.submittedAtKey, r.id],
    });
  }

  /** The results: awarded entries, highest tier first, then in the order they were awarded. Public, names masked. */
  resultsOf(caller: Caller, contestIds: readonly string[], args: PageArgs): Promise<ConnectionShape<VolunteerContestEntry>[]> {
    return this.entryPagesByContest(caller, contestIds, args, {
      where: ['e.award_rank IS NOT NULL'],
      orderBy: ['e.award_rank', 'e.awarded_at', 'e.id'],
      keyOf: (r) => [r.awardRank, r.awardedAtKey, r.id],
    });
  }

  /** The same page of each contest's entries (those `which.where` keeps, in `which.orderBy`), presented for the caller. */
  private entryPagesByContest(
    caller: Caller,
    contestIds: readonly string[],
    args: PageArgs,
    which: Pick<KeysetQuery<EntryRow>, 'where' | 'orderBy' | 'keyOf'>,
  ): Promise<ConnectionShape<VolunteerContestEntry>[]> {
    const params = new SqlParams();
    return fetchKeysetPagesByGroup<EntryRow, VolunteerContestEntry>(
      this.dataSource,
      args,
      contestIds,
      {
        select: ENTRY_COLUMNS,
        from: ENTRY_FROM,
        groupBy: 'e.contest_id',
        where: [`e.contest_id = ANY(${params.add(contestIds)}::uuid[])`, ...which.where],
        params,
        orderBy: which.orderBy,
        keyOf: which.keyOf,
      },
      (rows) => this.present(caller, rows),
    );
  }

  async entriesByIds(ids: readonly string[]): Promise<EntryRow[]> {
    return queryRows<EntryRow>(this.dataSource, `SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE e.id = ANY($1::uuid[])`, [ids]);
  }

  /**
   * Entries as the caller may see them: the entrant's name in clear for a reader of personal data within the contest's
   * territory and for the entry's submitter, masked for everyone else. The unmasked ones are audited, one insert.
   */
  async present(caller: Caller, rows: readonly EntryRow[]): Promise<VolunteerContestEntry[]> {
    const mayRead = this.audit.mayRead(caller);
    const entries = rows.map((row) =>
      VolunteerContestEntry.from(
        row,
        !row.entrantNameErased && ((mayRead && isWithinScope(caller, row.contestPath)) || row.submitterUserId === caller.userId),
      ),
    );
    await this.audit.recordRead(
      caller,
      'VolunteerContestEntry',
      entries.filter((entry) => !entry.personalDataMasked).map((entry) => entry.id),
    );
    return entries;
  }

  /** May the caller see every entry of this contest? Its organisers only. */
  mayManage(caller: Caller, contest: Pick<ContestRow, 'orgUnitPath'>): boolean {
    return hasPermission(caller, Permission.VOLUNTEER_MANAGE) && isWithinScope(caller, contest.orgUnitPath);
  }
}
