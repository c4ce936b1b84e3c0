import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Permission, Role, hasPermission, isWithinScope, partyMemberIdOf, type Caller } from '#libs/auth';
import { weekStart } from '#libs/calendar';
import { SqlParams, execute, queryFirst, queryOne, type SqlExecutor } from '#libs/database';
import { DomainError, optionalText } from '#libs/errors';
import { Idempotency } from '#libs/idempotency';
import { fetchKeysetPage, type ConnectionShape, type PageArgs } from '#libs/pagination';
import { Territory } from '#libs/territory';
import { CheckInBranch, CheckInReviewStatus, CheckInVerdict } from './check-in-enums.js';
import type { PhotoCheckInRow } from './check-in.entity.js';
import type { PhotoCheckInsArgs, ReviewPhotoCheckInArgs, SubmitPhotoCheckInInput } from './check-in.inputs.js';
import { MemberCheckInWeek, PhotoCheckIn } from './check-in.models.js';
import { CHECK_IN_RULES, parseWeek, requireSubmittable } from './check-in-rules.js';
import { CitingRecord, UploadService } from '../uploads/upload.service.js';

export const CHECK_IN_COLUMNS = `c.id, c.party_member_id AS "partyMemberId", c.household_id AS "householdId", c.photo_id AS "photoId",
  c.taken_at AS "takenAt", c.taken_at::text AS "takenAtKey", c.week, c.note, c.submitted_at AS "submittedAt",
  c.work_verdict AS "workVerdict", c.work_note AS "workNote", c.work_reviewed_by AS "workReviewedBy", c.work_reviewed_at AS "workReviewedAt",
  c.community_verdict AS "communityVerdict", c.community_note AS "communityNote", c.community_reviewed_by AS "communityReviewedBy",
  c.community_reviewed_at AS "communityReviewedAt", c.review_status AS "reviewStatus"`;

/** Each branch's review columns. Column names come from here only, never from input. */
const REVIEW_COLUMNS: Record<CheckInBranch, { verdict: string; note: string; by: string; at: string }> = {
  [CheckInBranch.WORK]: { verdict: 'work_verdict', note: 'work_note', by: 'work_reviewed_by', at: 'work_reviewed_at' },
  [CheckInBranch.COMMUNITY]: {
    verdict: 'community_verdict',
    note: 'community_note',
    by: 'community_reviewed_by',
    at: 'community_reviewed_at',
  },
};

/** Who reviews for each branch: the work unit's branch secretary, and the secretary of the member's community. */
const REVIEWER_ROLE: Record<CheckInBranch, Role> = {
  [CheckInBranch.WORK]: Role.BRANCH_SECRETARY,
  [CheckInBranch.COMMUNITY]: Role.COMMUNITY_SECRETARY,
};

/** SQL: the household `h` lies in the subtree of unit `unit`. */
export const householdInSubtree = (unit: string) => `h.compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[${unit}::uuid])`;

/**
 * Party members' photo check-ins (党员晒图打卡). A member signs in with their phone login, the token subject
 * `member-<party member id>` (`partyMemberIdOf`, the same login organization knows as the member's account): the id is
 * the one recorded on their resident record (`resident.party_member_id`), which is how a check-in finds the member
 * household.
 */
@Injectable()
export class PhotoCheckInService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
    private readonly idempotency: Idempotency,
    private readonly uploads: UploadService,
  ) {}

  /** Posts a photo for the caller's member household, once per idempotency key and once per photo. */
  async submit(caller: Caller, input: SubmitPhotoCheckInInput, idempotencyKey: string, now = new Date()): Promise<PhotoCheckIn> {
    requireSubmittable(input.takenAt, now);
    const note = normalizeNote(input.note);
    const request = { photoId: input.photoId, takenAt: input.takenAt.toISOString(), note };
    const { id } = await this.idempotency.run(caller, idempotencyKey, 'submitPhotoCheckIn', request, async (manager) => {
      const { partyMemberId, householdId } = await memberHousehold(manager, caller);
      const { found } = await queryOne<{ found: boolean }>(manager, `SELECT EXISTS (SELECT 1 FROM upload WHERE id = $1) AS found`, [
        input.photoId,
      ]);
      if (!found) throw DomainError.badInput('photoId is not an uploaded photo', 'UNKNOWN_PHOTO', { photoId: input.photoId });
      // A concurrent post of the same photo waits for this one and then inserts nothing.
      const inserted = await queryFirst<{ id: string }>(
        manager,
        `INSERT INTO photo_check_in (party_member_id, household_id, photo_id, taken_at, note) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (party_member_id, photo_id) DO NOTHING RETURNING id`,
        [partyMemberId, householdId, input.photoId, input.takenAt, note],
      );
      if (!inserted) {
        const earlier = await queryFirst<{ id: string }>(
          manager,
          `SELECT id FROM photo_check_in WHERE party_member_id = $1 AND photo_id = $2`,
          [partyMemberId, input.photoId],
        );
        throw DomainError.conflict('You have already checked in with this photo', 'DUPLICATE_PHOTO', { checkInId: earlier?.id ?? null });
      }
      // The photo becomes this check-in's evidence: the member's own upload, not evidence of anything else.
      await this.uploads.cite(manager, caller, [input.photoId], { kind: CitingRecord.CHECK_IN, recordId: inserted.id, householdId });
      return { id: inserted.id };
    });
    return this.get(caller, id);
  }

  /**
   * One branch's review. The branch reviews once: the UPDATE only fills an empty review, so of two concurrent reviews
   * the second waits for the first and then finds the review taken (CONFLICT ALREADY_REVIEWED).
   */
  async review(caller: Caller, args: ReviewPhotoCheckInArgs): Promise<PhotoCheckIn> {
    const note = normalizeNote(args.note);
    if (args.verdict === CheckInVerdict.REJECTED && note === null) {
      throw DomainError.badInput('A rejection needs a note telling the member why', 'NOTE_REQUIRED');
    }
    const role = REVIEWER_ROLE[args.branch];
    if (!caller.roles.includes(role)) {
      throw DomainError.forbidden(`Only a ${role} reviews for the ${args.branch} branch`, 'NOT_THIS_BRANCH');
    }
    const row = await this.find(args.id);
    if (args.branch === CheckInBranch.COMMUNITY && !isWithinScope(caller, row.path)) {
      throw DomainError.forbidden("That member household is outside your community's territory", 'OUT_OF_SCOPE');
    }
    if (row.partyMemberId === partyMemberIdOf(caller)) throw DomainError.forbidden('You cannot review your own check-in', 'OWN_CHECK_IN');
    if (args.branch === CheckInBranch.WORK) {
      const post = await this.membersBranchSecretaryPost(caller, row.partyMemberId);
      if (!post) {
        throw DomainError.forbidden(
          "Only the secretary of the member's own work-unit branch reviews for the WORK branch (双重监督)",
          'NOT_MEMBERS_BRANCH_SECRETARY',
        );
      }
      // A secretary signed in with an account of their own (not their member login) is still the member.
      if (post.heldByTheMember) throw DomainError.forbidden('You cannot review your own check-in', 'OWN_CHECK_IN');
    }

    const columns = REVIEW_COLUMNS[args.branch];
    const reviewed = await execute(
      this.dataSource,
      `UPDATE photo_check_in SET ${columns.verdict} = $2, ${columns.note} = $3, ${columns.by} = $4, ${columns.at} = now()
        WHERE id = $1 AND ${columns.verdict} IS NULL`,
      [args.id, args.verdict, note, caller.userId],
    );
    if (reviewed === 0) {
      const earlier = await queryFirst<{ verdict: CheckInVerdict | null; reviewerId: string | null }>(
        this.dataSource,
        `SELECT ${columns.verdict} AS verdict, ${columns.by} AS "reviewerId" FROM photo_check_in WHERE id = $1`,
        [args.id],
      );
      throw DomainError.conflict(`The ${args.branch} branch has already reviewed this check-in`, 'ALREADY_REVIEWED', {
        branch: args.branch,
        verdict: earlier?.verdict ?? null,
        reviewerId: earlier?.reviewerId ?? null,
      });
    }
    return this.get(caller, args.id);
  }

  /** A check-in, for its member, a community secretary of its household's territory, or a branch secretary. */
  async get(caller: Caller, id: string): Promise<PhotoCheckIn> {
    const row = await this.find(id);
    const own = row.partyMemberId === partyMemberIdOf(caller) && hasPermission(caller, Permission.CHECK_IN_SUBMIT);
    if (!own && !(hasPermission(caller, Permission.CHECK_IN_REVIEW) && isWithinScope(caller, row.path))) {
      throw DomainError.forbidden('That check-in is outside your territory', 'OUT_OF_SCOPE');
    }
    return PhotoCheckIn.from(row);
  }

  /** Check-ins of member households in a unit of the caller's territory (default: all of it), newest photo first. */
  async list(caller: Caller, args: PhotoCheckInsArgs): Promise<ConnectionShape<PhotoCheckIn>> {
    const params = new SqlParams();
    const where: string[] = [];
    const unit = args.orgUnitId ?? caller.orgUnitId;
    if (args.orgUnitId) await this.territory.requireInScope(caller, args.orgUnitId);
    if (unit) where.push(householdInSubtree(params.add(unit)));
    if (args.week) where.push(`c.week = ${params.add(parseWeek(args.week))}`);
    if (args.reviewStatus) where.push(`c.review_status = ${params.add(args.reviewStatus)}`);
    if (args.awaitingReviewBy) where.push(`c.${REVIEW_COLUMNS[args.awaitingReviewBy].verdict} IS NULL`);
    return fetchKeysetPage<PhotoCheckInRow, PhotoCheckIn>(
      this.dataSource,
      args,
      {
        select: CHECK_IN_COLUMNS,
        from: 'photo_check_in c JOIN household h ON h.id = c.household_id',
        where,
        params,
        orderBy: ['c.taken_at', 'c.id'],
        keyOf: (row) => [row.takenAtKey, row.id],
        descending: true,
      },
      (rows) => rows.map((row) => PhotoCheckIn.from(row)),
    );
  }

  /** The caller's own week: how many check-ins they posted, how many count, and whether the quota is met. */
  async memberWeek(caller: Caller, week: string | null | undefined, now = new Date()): Promise<MemberCheckInWeek> {
    const monday = week ? parseWeek(week) : weekStart(now);
    const { partyMemberId, householdId } = await memberHousehold(this.dataSource, caller);
    const row = await queryOne<{ submitted: number; counting: number; flagged: boolean }>(
      this.dataSource,
      `SELECT count(*)::int AS submitted, count(*) FILTER (WHERE c.review_status <> $3)::int AS counting,
              EXISTS (SELECT 1 FROM check_in_quota_flag f WHERE f.party_member_id = $1 AND f.week = $2) AS flagged
         FROM photo_check_in c WHERE c.party_member_id = $1 AND c.week = $2`,
      [partyMemberId, monday, CheckInReviewStatus.REJECTED],
    );
    return Object.assign(new MemberCheckInWeek(), {
      labelZh: '党员晒图打卡',
      partyMemberId,
      householdId,
      week: monday,
      submitted: row.submitted,
      counting: row.counting,
      quota: CHECK_IN_RULES.weeklyQuota,
      quotaMet: row.counting >= CHECK_IN_RULES.weeklyQuota,
      flagged: row.flagged,
    });
  }

  /** A member's check-ins of one week, in the order the photos were taken. */
  async listOfMemberWeek(week: MemberCheckInWeek, args: PageArgs): Promise<ConnectionShape<PhotoCheckIn>> {
    const params = new SqlParams();
    return fetchKeysetPage<PhotoCheckInRow, PhotoCheckIn>(
      this.dataSource,
      args,
      {
        select: CHECK_IN_COLUMNS,
        from: 'photo_check_in c',
        where: [`c.party_member_id = ${params.add(week.partyMemberId)}`, `c.week = ${params.add(week.week)}`],
        params,
        orderBy: ['c.taken_at', 'c.id'],
        keyOf: (row) => [row.takenAtKey, row.id],
      },
      (rows) => rows.map((row) => PhotoCheckIn.from(row)),
    );
  }

  /**
   * Is the caller today (Asia/Shanghai) the secretary of the work-unit branch the member has an open WORK_UNIT
   * registration with? Read from the copies organization's `work-unit-branches.changed` keeps.
   */
  /** The caller's secretary post today in the member's own work-unit branch, if they hold one, and whether it is the member's own. */
  private async membersBranchSecretaryPost(caller: Caller, partyMemberId: string): Promise<{ heldByTheMember: boolean } | undefined> {
    return queryFirst<{ heldByTheMember: boolean }>(
      this.dataSource,
      `SELECT s.party_member_id IS NOT DISTINCT FROM $1::uuid AS "heldByTheMember"
         FROM member_work_unit_copy m JOIN work_unit_branch_secretary_copy s ON s.branch_id = m.branch_id
        WHERE m.party_member_id = $1 AND s.user_id = $2
          AND s.starts_on <= (now() AT TIME ZONE 'Asia/Shanghai')::date
          AND (s.ends_on IS NULL OR s.ends_on >= (now() AT TIME ZONE 'Asia/Shanghai')::date)
        LIMIT 1`,
      [partyMemberId, caller.userId],
    );
  }

  private async find(id: string): Promise<PhotoCheckInRow & { path: string[] }> {
    const row = await queryFirst<PhotoCheckInRow & { path: string[] }>(
      this.dataSource,
      `SELECT ${CHECK_IN_COLUMNS}, t.path::text[] AS path
         FROM photo_check_in c JOIN household h ON h.id = c.household_id JOIN territory_unit t ON t.id = h.compound_id
        WHERE c.id = $1`,
      [id],
    );
    if (!row) throw DomainError.notFound('PhotoCheckIn', id);
    return row;
  }
}

/**
 * The caller's party member (from their phone login `member-<id>`) and member household: the household of the resident
 * carrying that party member id. BAD_USER_INPUT (NOT_A_REGISTERED_MEMBER) for any other subject, or when no resident
 * carries it.
 */
export async function memberHousehold(db: SqlExecutor, caller: Caller): Promise<{ partyMemberId: string; householdId: string }> {
  const partyMemberId = partyMemberIdOf(caller);
  const row = partyMemberId
    ? await queryFirst<{ householdId: string }>(db, `SELECT household_id AS "householdId" FROM resident WHERE party_member_id = $1`, [
        partyMemberId,
      ])
    : undefined;
  if (!partyMemberId || !row) {
    throw DomainError.badInput(
      'You are not registered as a party member of any household: ask your community to record your party member id on your resident record',
      'NOT_A_REGISTERED_MEMBER',
    );
  }
  return { partyMemberId, householdId: row.householdId };
}

function normalizeNote(note: string | null | undefined): string | null {
  return optionalText(note, 'note', CHECK_IN_RULES.maxNoteLength, 'NOTE_TOO_LONG');
}
