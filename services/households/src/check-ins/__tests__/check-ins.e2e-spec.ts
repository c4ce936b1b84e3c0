import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Queue } from 'bullmq';
import { Role, partyMemberLogin } from '#libs/auth';
import { addDays, weekStart } from '#libs/calendar';
import { JobName, QueueName, ServiceName } from '#libs/messaging';
import { errorCodes, platformQueue, reasonOf, waitFor } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';
import { demoCheckInWeeks } from '../../seed/check-ins.seed.js';
import { checkInWeek } from '../check-in-rules.js';

const REVIEW_FIELDS = 'branch labelZh verdict verdictLabelZh note reviewerId reviewedAt';
const CHECK_IN_FIELDS = `id labelZh partyMemberId photoId takenAt week note submittedAt reviewStatus reviewStatusLabelZh countsTowardsQuota
  workReview { ${REVIEW_FIELDS} } communityReview { ${REVIEW_FIELDS} } household { id addressMasked }`;
const SUBMIT = `mutation($input: SubmitPhotoCheckInInput!, $key: String!) {
  submitPhotoCheckIn(input: $input, idempotencyKey: $key) { ${CHECK_IN_FIELDS} } }`;
const REVIEW = `mutation($id: ID!, $branch: CheckInBranch!, $verdict: CheckInVerdict!, $note: String) {
  reviewPhotoCheckIn(id: $id, branch: $branch, verdict: $verdict, note: $note) { ${CHECK_IN_FIELDS} } }`;
const CHECK_IN = `query($id: ID!) { photoCheckIn(id: $id) { ${CHECK_IN_FIELDS} } }`;
const CHECK_INS = `query($org: ID, $week: LocalDate, $status: CheckInReviewStatus, $awaiting: CheckInBranch, $first: Int, $after: String) {
  photoCheckIns(orgUnitId: $org, week: $week, reviewStatus: $status, awaitingReviewBy: $awaiting, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id partyMemberId week reviewStatus household { id } } } } }`;
const MY_WEEK = `query($week: LocalDate) { myPhotoCheckIns(week: $week) {
  labelZh partyMemberId week submitted counting quota quotaMet flagged checkIns { totalCount edges { node { id takenAt reviewStatus } } } } }`;
const FLAGS = `query($org: ID, $week: LocalDate!, $first: Int, $after: String) {
  checkInQuotaFlags(orgUnitId: $org, week: $week, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { labelZh partyMemberId week checkIns quota flaggedAt household { id } } } } }`;

interface HouseholdRow {
  id: string;
  path: string[];
}
/** What a bad submission changes in a good one. */
interface BadSubmission {
  takenAt?: () => Date;
  photoId?: () => string;
  note?: () => string;
  sub?: (member: Member) => string;
}
interface Member {
  id: string;
  /** Their phone login, the token subject `member-<id>`. */
  login: string;
  household: HouseholdRow;
  token: string;
}

const key = (prefix: string) => `${prefix}-${randomUUID()}`;
/** The community (社区) a household lives in: its compound's parent. */
const communityOf = (household: HouseholdRow) => household.path[household.path.length - 2];
/** The work-unit branch every member of these tests is registered with (dual supervision has its own spec). */
const WORK_UNIT_BRANCH = randomUUID();

describe("party members' photo check-ins (党员晒图打卡) through the gateway", () => {
  let platform: TestPlatform;
  let queue: Queue;
  /** Households of each street not used by any test yet; each test takes its own. */
  let poolA: HouseholdRow[];
  let poolB: HouseholdRow[];
  let branchSecretary: string;
  /** Every household of the district, by id. */
  let households: Map<string, HouseholdRow>;

  const db = () => platform.database(ServiceName.Households);
  const count = async (sql: string, params: unknown[] = []): Promise<number> => (await db().query(sql, params))[0].count;
  const checkInCount = () => count(`SELECT count(*)::int AS count FROM photo_check_in`);
  const take = (pool: HouseholdRow[]) => {
    const household = pool.shift();
    if (!household) throw new Error('The test district ran out of households');
    return household;
  };
  /** `n` unused households of street A's community with the most left. */
  const takeNeighbours = (n: number): HouseholdRow[] => {
    const byCommunity = new Map<string, HouseholdRow[]>();
    for (const h of poolA) byCommunity.set(communityOf(h), [...(byCommunity.get(communityOf(h)) ?? []), h]);
    const picked = [...byCommunity.values()].sort((a, b) => b.length - a.length)[0].slice(0, n);
    if (picked.length < n) throw new Error('The test district ran out of households');
    for (const h of picked) poolA.splice(poolA.indexOf(h), 1);
    return picked;
  };
  const secretaryOf = (household: HouseholdRow, sub = 'community-secretary-1') =>
    platform.token([Role.COMMUNITY_SECRETARY], communityOf(household), sub);

  /** A resident of `household` registered as a party member, and their token (`sub` = their phone login `member-<id>`). */
  async function newMember(household: HouseholdRow = take(poolA)): Promise<Member> {
    const id = randomUUID();
    await db().query(
      `INSERT INTO resident (household_id, name, occupation, party_member_id, birth_date) VALUES ($1, '党员测试', 'EMPLOYED', $2, DATE '1985-03-01')`,
      [household.id, id],
    );
    // Registered with the test work-unit branch, whose secretary is branch-secretary-1 (as organization announces it).
    await db().query(`INSERT INTO member_work_unit_copy (party_member_id, branch_id, version) VALUES ($1, $2, 1)`, [id, WORK_UNIT_BRANCH]);
    const login = partyMemberLogin(id);
    return { id, login, household, token: await platform.token([Role.PARTY_MEMBER], communityOf(household), login) };
  }

  /** A photo uploaded by `uploadedBy` (a member posts their own), as POST /uploads leaves it. */
  async function newPhoto(uploadedBy = 'test'): Promise<string> {
    const [{ id }] = await db().query(
      `INSERT INTO upload (content_type, size_bytes, sha256, storage_key, uploaded_by) VALUES ('image/jpeg', 120000, md5(random()::text), $1, $2)
       RETURNING id`,
      [`test/${randomUUID()}.jpg`, uploadedBy],
    );
    return id;
  }

  async function submit(member: Member, takenAt: Date, note: string | null = '厨余垃圾已沥水破袋'): Promise<any> {
    const response: any = await platform.query(member.token, SUBMIT, {
      input: { photoId: await newPhoto(member.login), takenAt: takenAt.toISOString(), note },
      key: key('check-in'),
    });
    expect(response.errors).toBeUndefined();
    return response.data.submitPhotoCheckIn;
  }

  const review = (token: string, id: string, branch: 'WORK' | 'COMMUNITY', verdict: 'APPROVED' | 'REJECTED', note: string | null = null) =>
    platform.query(token, REVIEW, { id, branch, verdict, note });

  /** Times inside the current week (Asia/Shanghai) and not in the future, as many as asked, oldest first. */
  function timesThisWeek(n: number): Date[] {
    const now = Date.now();
    const monday = Date.parse(`${weekStart()}T00:00:00+08:00`);
    return Array.from({ length: n }, (_, i) => new Date(monday + Math.floor(((now - monday) * (i + 1)) / (n + 1))));
  }

  beforeAll(async () => {
    platform = await startPlatform();
    const [streetA, streetB] = platform.plan.streets.map((street) => street.id);
    const all: HouseholdRow[] = await db().query(
      `SELECT h.id, t.path::text[] AS path FROM household h JOIN territory_unit t ON t.id = h.compound_id ORDER BY t.path, h.id`,
    );
    households = new Map(all.map((h) => [h.id, h]));
    poolA = all.filter((h) => h.path.includes(streetA));
    poolB = all.filter((h) => h.path.includes(streetB));
    branchSecretary = await platform.token([Role.BRANCH_SECRETARY], null, 'branch-secretary-1');
    await db().query(`INSERT INTO work_unit_branch_copy (id, version) VALUES ($1, 1)`, [WORK_UNIT_BRANCH]);
    await db().query(
      `INSERT INTO work_unit_branch_secretary_copy (branch_id, user_id, starts_on) VALUES ($1, 'branch-secretary-1', DATE '2020-01-01')`,
      [WORK_UNIT_BRANCH],
    );
    queue = platformQueue(platform, QueueName.HouseholdsJobs);
  });

  // One hook per resource: each is released even when another fails to.
  afterAll(() => queue.close());
  afterAll(() => platform.stop());

  describe('submitting', () => {
    it("records a photo for the member's household, in the week the photo was taken", async () => {
      const member = await newMember();
      const takenAt = new Date(Date.now() - 60_000);
      const photoId = await newPhoto(member.login);
      const response: any = await platform.query(member.token, SUBMIT, {
        input: { photoId, takenAt: takenAt.toISOString(), note: '今天分类很认真' },
        key: key('c'),
      });
      expect(response.errors).toBeUndefined();
      expect(response.data.submitPhotoCheckIn).toMatchObject({
        labelZh: '党员晒图打卡',
        partyMemberId: member.id,
        photoId,
        takenAt: takenAt.toISOString(),
        week: checkInWeek(takenAt),
        note: '今天分类很认真',
        reviewStatus: 'PENDING',
        reviewStatusLabelZh: '待审核',
        countsTowardsQuota: true,
        workReview: null,
        communityReview: null,
        // The member's token covers their community: they see their household, its room masked.
        household: { id: member.household.id, addressMasked: true },
      });
    });

    it('records a retry with the same idempotency key once, and refuses the key for a different check-in', async () => {
      const member = await newMember();
      const input = { photoId: await newPhoto(member.login), takenAt: new Date(Date.now() - 120_000).toISOString(), note: null };
      const idempotencyKey = key('retry');
      const first: any = await platform.query(member.token, SUBMIT, { input, key: idempotencyKey });
      const retry: any = await platform.query(member.token, SUBMIT, { input, key: idempotencyKey });
      expect(first.errors).toBeUndefined();
      expect(retry.errors).toBeUndefined();
      expect(retry.data.submitPhotoCheckIn.id).toBe(first.data.submitPhotoCheckIn.id);
      expect(await count(`SELECT count(*)::int AS count FROM photo_check_in WHERE party_member_id = $1`, [member.id])).toBe(1);

      const reused = await platform.query(member.token, SUBMIT, {
        input: { ...input, photoId: await newPhoto(member.login) },
        key: idempotencyKey,
      });
      expect(errorCodes(reused)).toEqual(['CONFLICT']);
      expect(reasonOf(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await count(`SELECT count(*)::int AS count FROM photo_check_in WHERE party_member_id = $1`, [member.id])).toBe(1);
    });

    it('refuses the same photo twice from one member, even under a new key', async () => {
      const member = await newMember();
      const input = { photoId: await newPhoto(member.login), takenAt: new Date(Date.now() - 60_000).toISOString() };
      const first: any = await platform.query(member.token, SUBMIT, { input, key: key('photo') });
      expect(first.errors).toBeUndefined();
      const again = await platform.query(member.token, SUBMIT, { input, key: key('photo') });
      expect(errorCodes(again)).toEqual(['CONFLICT']);
      expect(again.errors![0].extensions).toMatchObject({
        reason: 'DUPLICATE_PHOTO',
        details: { checkInId: first.data.submitPhotoCheckIn.id },
      });
      expect(await count(`SELECT count(*)::int AS count FROM photo_check_in WHERE party_member_id = $1`, [member.id])).toBe(1);
    });

    const badSubmissions: [string, BadSubmission, string][] = [
      ['a photo taken in the future', { takenAt: () => new Date(Date.now() + 3600_000) }, 'FUTURE_DATE'],
      ['a photo older than 8 days', { takenAt: () => new Date(Date.now() - 9 * 86400_000) }, 'TOO_OLD'],
      ['a photo that was never uploaded', { photoId: () => randomUUID() }, 'UNKNOWN_PHOTO'],
      ['a note longer than 500 characters', { note: () => '拍'.repeat(501) }, 'NOTE_TOO_LONG'],
      ['a party member no resident is registered as', { sub: () => partyMemberLogin(randomUUID()) }, 'NOT_A_REGISTERED_MEMBER'],
      ['a token whose sub is not a party member login', { sub: () => 'member-without-id' }, 'NOT_A_REGISTERED_MEMBER'],
      ["the member's bare id, which is no login", { sub: (member) => member.id }, 'NOT_A_REGISTERED_MEMBER'],
    ];
    it.each(badSubmissions)('refuses %s and writes nothing', async (_case, change, reason) => {
      const member = await newMember();
      const token = change.sub
        ? await platform.token([Role.PARTY_MEMBER], communityOf(member.household), change.sub(member))
        : member.token;
      const idempotencyKey = key('bad');
      const before = await checkInCount();
      const response = await platform.query(token, SUBMIT, {
        input: {
          photoId: change.photoId?.() ?? (await newPhoto(change.sub ? undefined : member.login)),
          takenAt: (change.takenAt?.() ?? new Date(Date.now() - 60_000)).toISOString(),
          note: change.note?.() ?? null,
        },
        key: idempotencyKey,
      });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(reasonOf(response)).toBe(reason);
      expect(await checkInCount()).toBe(before);
      expect(await count(`SELECT count(*)::int AS count FROM idempotency_record WHERE key = $1`, [idempotencyKey])).toBe(0);
    });

    it("refuses another member's photo (FORBIDDEN NOT_YOUR_PHOTO) and writes nothing", async () => {
      const [member, other] = [await newMember(), await newMember()];
      const before = await checkInCount();
      const response = await platform.query(member.token, SUBMIT, {
        input: { photoId: await newPhoto(other.login), takenAt: new Date(Date.now() - 60_000).toISOString() },
        key: key('theirs'),
      });
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
      expect(reasonOf(response)).toBe('NOT_YOUR_PHOTO');
      expect(await checkInCount()).toBe(before);
    });

    it('is for party members only', async () => {
      const household = take(poolA);
      const response = await platform.query(await secretaryOf(household), SUBMIT, {
        input: { photoId: await newPhoto(), takenAt: new Date().toISOString() },
        key: key('secretary'),
      });
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    });
  });

  describe('reviewing (单位支部审核, 社区支部审核)', () => {
    it('takes one review from each branch: the community secretary of the household and a branch secretary', async () => {
      const member = await newMember();
      const checkIn = await submit(member, new Date(Date.now() - 60_000));

      const byCommunity: any = await review(await secretaryOf(member.household), checkIn.id, 'COMMUNITY', 'APPROVED');
      expect(byCommunity.errors).toBeUndefined();
      expect(byCommunity.data.reviewPhotoCheckIn).toMatchObject({
        reviewStatus: 'PARTLY_REVIEWED',
        countsTowardsQuota: true,
        workReview: null,
        communityReview: {
          branch: 'COMMUNITY',
          labelZh: '社区支部审核',
          verdict: 'APPROVED',
          verdictLabelZh: '审核通过',
          note: null,
          reviewerId: 'community-secretary-1',
        },
      });

      const byWorkUnit: any = await review(branchSecretary, checkIn.id, 'WORK', 'APPROVED', '做得好');
      expect(byWorkUnit.errors).toBeUndefined();
      expect(byWorkUnit.data.reviewPhotoCheckIn).toMatchObject({
        reviewStatus: 'APPROVED',
        reviewStatusLabelZh: '双方支部审核通过',
        workReview: { branch: 'WORK', labelZh: '单位支部审核', verdict: 'APPROVED', note: '做得好', reviewerId: 'branch-secretary-1' },
        communityReview: { verdict: 'APPROVED' },
        // A branch secretary reaches members wherever they live, and reads no personal data.
        household: { id: member.household.id, addressMasked: true },
      });

      // A second review by a branch that has reviewed changes nothing, whoever sends it.
      const again = await review(
        await secretaryOf(member.household, 'community-secretary-2'),
        checkIn.id,
        'COMMUNITY',
        'REJECTED',
        '重新审核',
      );
      expect(errorCodes(again)).toEqual(['CONFLICT']);
      expect(again.errors![0].extensions).toMatchObject({
        reason: 'ALREADY_REVIEWED',
        details: { branch: 'COMMUNITY', verdict: 'APPROVED', reviewerId: 'community-secretary-1' },
      });
      const now: any = await platform.query(member.token, CHECK_IN, { id: checkIn.id });
      expect(now.data.photoCheckIn).toMatchObject({
        reviewStatus: 'APPROVED',
        communityReview: { verdict: 'APPROVED', reviewerId: 'community-secretary-1' },
      });
    });

    it('lets only one of two simultaneous reviews by the same branch through', async () => {
      const member = await newMember();
      const checkIn = await submit(member, new Date(Date.now() - 60_000));
      // Two sessions of the member's branch secretary, one approving and one rejecting.
      const responses = await Promise.all([
        review(branchSecretary, checkIn.id, 'WORK', 'APPROVED'),
        review(branchSecretary, checkIn.id, 'WORK', 'REJECTED', '照片与厨余垃圾无关'),
      ]);
      const succeeded = responses.filter((r) => !r.errors);
      const refused = responses.filter((r) => r.errors);
      expect(succeeded).toHaveLength(1);
      expect(refused.map(reasonOf)).toEqual(['ALREADY_REVIEWED']);
      const winner = (succeeded[0].data as any).reviewPhotoCheckIn.workReview;
      const [stored] = await db().query(`SELECT work_verdict AS verdict, work_reviewed_by AS "by" FROM photo_check_in WHERE id = $1`, [
        checkIn.id,
      ]);
      expect(stored).toEqual({ verdict: winner.verdict, by: winner.reviewerId });
    });

    it('needs a note to reject, and a rejected check-in no longer counts', async () => {
      const member = await newMember();
      const checkIn = await submit(member, new Date(Date.now() - 60_000));
      const secretary = await secretaryOf(member.household);
      for (const note of [null, '   ']) {
        const response = await review(secretary, checkIn.id, 'COMMUNITY', 'REJECTED', note);
        expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
        expect(reasonOf(response)).toBe('NOTE_REQUIRED');
      }
      const [untouched] = await db().query(`SELECT community_verdict FROM photo_check_in WHERE id = $1`, [checkIn.id]);
      expect(untouched.community_verdict).toBeNull();

      const rejected: any = await review(secretary, checkIn.id, 'COMMUNITY', 'REJECTED', '照片模糊，看不清分类情况');
      expect(rejected.errors).toBeUndefined();
      expect(rejected.data.reviewPhotoCheckIn).toMatchObject({
        reviewStatus: 'REJECTED',
        countsTowardsQuota: false,
        communityReview: { verdict: 'REJECTED', verdictLabelZh: '审核不通过', note: '照片模糊，看不清分类情况' },
      });
      // The work-unit branch may still give its own view; the rejection stands.
      const approved: any = await review(branchSecretary, checkIn.id, 'WORK', 'APPROVED');
      expect(approved.data.reviewPhotoCheckIn).toMatchObject({ reviewStatus: 'REJECTED', countsTowardsQuota: false });
    });

    it('keeps reviewers to their branch and territory', async () => {
      const member = await newMember();
      const checkIn = await submit(member, new Date(Date.now() - 60_000));
      const elsewhere = take(poolB);
      const cases: [string, Promise<string>, 'WORK' | 'COMMUNITY', string][] = [
        ['the secretary of another community', secretaryOf(elsewhere), 'COMMUNITY', 'OUT_OF_SCOPE'],
        ['a community secretary for the work-unit branch', secretaryOf(member.household), 'WORK', 'NOT_THIS_BRANCH'],
        ['a branch secretary for the community branch', Promise.resolve(branchSecretary), 'COMMUNITY', 'NOT_THIS_BRANCH'],
        ['the member', Promise.resolve(member.token), 'COMMUNITY', 'MISSING_PERMISSION'],
        ['a street administrator', platform.token([Role.STREET_ADMIN], platform.plan.streets[0].id), 'COMMUNITY', 'MISSING_PERMISSION'],
        [
          'a secretary reviewing their own check-in',
          platform.token([Role.COMMUNITY_SECRETARY, Role.PARTY_MEMBER], communityOf(member.household), member.login),
          'COMMUNITY',
          'OWN_CHECK_IN',
        ],
      ];
      for (const [who, token, branch, reason] of cases) {
        const response = await review(await token, checkIn.id, branch, 'APPROVED');
        expect({ who, codes: errorCodes(response), reason: reasonOf(response) }).toEqual({ who, codes: ['FORBIDDEN'], reason });
      }
      const [stored] = await db().query(`SELECT review_status FROM photo_check_in WHERE id = $1`, [checkIn.id]);
      expect(stored.review_status).toBe('PENDING');

      const unknown = await review(branchSecretary, randomUUID(), 'WORK', 'APPROVED');
      expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
      // Nor can the other community's secretary read it.
      expect(errorCodes(await platform.query(await secretaryOf(elsewhere), CHECK_IN, { id: checkIn.id }))).toEqual(['FORBIDDEN']);
    });

    it("lists a community's check-ins for its secretary, and those awaiting a branch's review", async () => {
      const [here, next] = takeNeighbours(2);
      const member = await newMember(here);
      const neighbour = await newMember(next);
      const outsider = await newMember(take(poolB));
      const [t1, t2] = timesThisWeek(2);
      const mine = await submit(member, t1);
      const theirs = await submit(neighbour, t2);
      const far = await submit(outsider, t2);
      const secretary = await secretaryOf(here);
      expect((await review(secretary, theirs.id, 'COMMUNITY', 'APPROVED')).errors).toBeUndefined();

      const week = weekStart();
      const listed: any = await platform.query(secretary, CHECK_INS, { week, first: 500 });
      expect(listed.errors).toBeUndefined();
      const ids = listed.data.photoCheckIns.edges.map((e: any) => e.node.id);
      expect(ids).toEqual(expect.arrayContaining([mine.id, theirs.id]));
      expect(ids).not.toContain(far.id);
      // Newest photo first.
      expect(ids.indexOf(theirs.id)).toBeLessThan(ids.indexOf(mine.id));

      const awaiting: any = await platform.query(secretary, CHECK_INS, { org: communityOf(here), week, awaiting: 'COMMUNITY', first: 500 });
      const awaitingIds = awaiting.data.photoCheckIns.edges.map((e: any) => e.node.id);
      expect(awaitingIds).toContain(mine.id);
      expect(awaitingIds).not.toContain(theirs.id);
      const partly: any = await platform.query(secretary, CHECK_INS, { week, status: 'PARTLY_REVIEWED', first: 500 });
      expect(partly.data.photoCheckIns.edges.map((e: any) => e.node.id)).toContain(theirs.id);

      // Pages follow each other without gaps or repeats.
      const first: any = await platform.query(secretary, CHECK_INS, { week, first: 1 });
      const second: any = await platform.query(secretary, CHECK_INS, {
        week,
        first: 1,
        after: first.data.photoCheckIns.pageInfo.endCursor,
      });
      expect([...first.data.photoCheckIns.edges, ...second.data.photoCheckIns.edges].map((e: any) => e.node.id)).toEqual(ids.slice(0, 2));

      // A branch secretary sees members of the whole district.
      const district: any = await platform.query(branchSecretary, CHECK_INS, { week, first: 500 });
      expect(district.data.photoCheckIns.edges.map((e: any) => e.node.id)).toEqual(expect.arrayContaining([mine.id, theirs.id, far.id]));

      const foreign = await platform.query(await secretaryOf(outsider.household), CHECK_INS, { org: communityOf(here), week });
      expect(errorCodes(foreign)).toEqual(['FORBIDDEN']);
      const notMonday = await platform.query(secretary, CHECK_INS, { week: addDays(week, 1) });
      expect(reasonOf(notMonday)).toBe('NOT_A_MONDAY');
      expect(errorCodes(await platform.query(member.token, CHECK_INS, { week }))).toEqual(['FORBIDDEN']);
    });
  });

  describe("a member's week (myPhotoCheckIns)", () => {
    it('counts the check-ins no branch rejected against the quota of 3', async () => {
      const member = await newMember();
      const times = timesThisWeek(3);
      const week = weekStart();
      const checkIns = [await submit(member, times[0]), await submit(member, times[1])];

      const two: any = await platform.query(member.token, MY_WEEK, {});
      expect(two.errors).toBeUndefined();
      expect(two.data.myPhotoCheckIns).toMatchObject({
        labelZh: '党员晒图打卡',
        partyMemberId: member.id,
        week,
        submitted: 2,
        counting: 2,
        quota: 3,
        quotaMet: false,
        flagged: false,
      });

      checkIns.push(await submit(member, times[2]));
      const three: any = await platform.query(member.token, MY_WEEK, { week });
      expect(three.data.myPhotoCheckIns).toMatchObject({ submitted: 3, counting: 3, quotaMet: true });
      expect(three.data.myPhotoCheckIns.checkIns.edges.map((e: any) => e.node.id)).toEqual(checkIns.map((c) => c.id));

      expect((await review(branchSecretary, checkIns[1].id, 'WORK', 'REJECTED', '不是本户的厨余垃圾')).errors).toBeUndefined();
      const rejected: any = await platform.query(member.token, MY_WEEK, { week });
      expect(rejected.data.myPhotoCheckIns).toMatchObject({ submitted: 3, counting: 2, quotaMet: false });
    });

    it('takes weeks as Mondays, and only for registered members', async () => {
      const member = await newMember();
      const tuesday = await platform.query(member.token, MY_WEEK, { week: addDays(weekStart(), 1) });
      expect(errorCodes(tuesday)).toEqual(['BAD_USER_INPUT']);
      expect(reasonOf(tuesday)).toBe('NOT_A_MONDAY');
      const stranger = await platform.query(
        await platform.token([Role.PARTY_MEMBER], communityOf(member.household), partyMemberLogin(randomUUID())),
        MY_WEEK,
        {},
      );
      expect(reasonOf(stranger)).toBe('NOT_A_REGISTERED_MEMBER');
    });
  });

  describe('the weekly quota job', () => {
    it('is scheduled for Mondays at 01:00 in Shanghai', async () => {
      const scheduler = await waitFor('the check-in quota schedule', () => queue.getJobScheduler('check-in-quota'));
      expect(scheduler).toMatchObject({ name: JobName.CheckInQuotaWeekly, pattern: '0 1 * * 1', tz: 'Asia/Shanghai' });
    });

    it('flags every member under quota in the week that ended, those with no check-ins too, once however often it runs', async () => {
      // A week long before the demo's, so only what this test arranges is in it.
      const week = addDays(weekStart(), -7 * 30);
      const [none, two, three, threeOneRejected, fourOneRejected] = await Promise.all(takeNeighbours(5).map((h) => newMember(h)));
      const checkInsOf = async (member: Member, n: number): Promise<string[]> => {
        const ids: string[] = [];
        for (let i = 0; i < n; i++) {
          // Recorded as the member's phone did during that week (submissions that old are refused today).
          const [{ id }] = await db().query(
            `INSERT INTO photo_check_in (party_member_id, household_id, photo_id, taken_at) VALUES ($1, $2, $3, $4) RETURNING id`,
            [member.id, member.household.id, await newPhoto(), `${addDays(week, i)}T20:30:00+08:00`],
          );
          ids.push(id);
        }
        return ids;
      };
      await checkInsOf(two, 2);
      const [approved] = await checkInsOf(three, 3);
      expect((await review(branchSecretary, approved, 'WORK', 'APPROVED')).errors).toBeUndefined();
      const [rejectedByCommunity] = await checkInsOf(threeOneRejected, 3);
      expect(
        (await review(await secretaryOf(threeOneRejected.household), rejectedByCommunity, 'COMMUNITY', 'REJECTED', '照片模糊')).errors,
      ).toBeUndefined();
      const [rejectedByWorkUnit] = await checkInsOf(fourOneRejected, 4);
      expect((await review(branchSecretary, rejectedByWorkUnit, 'WORK', 'REJECTED', '照片重复')).errors).toBeUndefined();
      const members = await count(`SELECT count(*)::int AS count FROM resident WHERE party_member_id IS NOT NULL`);
      const flagsOfWeek = () =>
        db().query(
          `SELECT party_member_id AS "memberId", check_ins AS "checkIns", quota, flagged_by AS "flaggedBy" FROM check_in_quota_flag WHERE week = $1`,
          [week],
        );

      // As the scheduler fires it: on the Monday after the week, at 01:00 in Shanghai.
      const firedAt = `${addDays(week, 7)}T01:00:00+08:00`;
      const first = await queue.add(JobName.CheckInQuotaWeekly, { firedAt });
      const flags: any[] = await waitFor("the week's quota flags", async () => {
        const rows = await flagsOfWeek();
        return rows.length > 0 ? rows : null;
      });
      const byMember = new Map(flags.map((f) => [f.memberId, f]));
      // Everyone but the two who met the quota: the demo's members posted nothing that week.
      expect(flags).toHaveLength(members - 2);
      expect(byMember.get(none.id)).toEqual({ memberId: none.id, checkIns: 0, quota: 3, flaggedBy: `job:${first.id}` });
      expect(byMember.get(two.id)).toMatchObject({ checkIns: 2 });
      expect(byMember.get(threeOneRejected.id)).toMatchObject({ checkIns: 2 });
      expect(byMember.has(three.id)).toBe(false);
      expect(byMember.has(fourOneRejected.id)).toBe(false);

      const second = await queue.add(JobName.CheckInQuotaWeekly, { firedAt: `${addDays(week, 7)}T09:30:00+08:00` });
      await waitFor('the second run to finish', async () => (await second.getState()) === 'completed');
      const after = await flagsOfWeek();
      expect(after).toHaveLength(members - 2);
      expect(new Set(after.map((f: any) => f.flaggedBy))).toEqual(new Set([`job:${first.id}`]));

      // The community secretary sees the community's flags, fewest check-ins first; other communities' do not.
      const secretary = await secretaryOf(none.household);
      const listed: any = await platform.query(secretary, FLAGS, { week, first: 500 });
      expect(listed.errors).toBeUndefined();
      const nodes = listed.data.checkInQuotaFlags.edges.map((e: any) => e.node);
      expect(nodes.find((n: any) => n.partyMemberId === none.id)).toMatchObject({
        labelZh: '晒图打卡未达标',
        week,
        checkIns: 0,
        quota: 3,
        household: { id: none.household.id },
      });
      expect(nodes.map((n: any) => n.partyMemberId)).toEqual(expect.arrayContaining([two.id, threeOneRejected.id]));
      expect(nodes.map((n: any) => n.partyMemberId)).not.toContain(three.id);
      expect(new Set(nodes.map((n: any) => communityOf(households.get(n.household.id)!)))).toEqual(new Set([communityOf(none.household)]));
      const counts = nodes.map((n: any) => n.checkIns);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      const page: any = await platform.query(secretary, FLAGS, { week, first: 1 });
      const next: any = await platform.query(secretary, FLAGS, { week, first: 1, after: page.data.checkInQuotaFlags.pageInfo.endCursor });
      expect([...page.data.checkInQuotaFlags.edges, ...next.data.checkInQuotaFlags.edges].map((e: any) => e.node.partyMemberId)).toEqual(
        nodes.slice(0, 2).map((n: any) => n.partyMemberId),
      );

      const elsewhere = await secretaryOf(take(poolB));
      expect(errorCodes(await platform.query(elsewhere, FLAGS, { org: communityOf(none.household), week }))).toEqual(['FORBIDDEN']);
      const district: any = await platform.query(branchSecretary, FLAGS, { week, first: 500 });
      expect(district.data.checkInQuotaFlags.totalCount).toBe(members - 2);
      expect(reasonOf(await platform.query(secretary, FLAGS, { week: addDays(week, 3) }))).toBe('NOT_A_MONDAY');

      // The member sees the flag on their week.
      const mine: any = await platform.query(none.token, MY_WEEK, { week });
      expect(mine.data.myPhotoCheckIns).toMatchObject({ submitted: 0, counting: 0, quotaMet: false, flagged: true });
    });
  });

  describe('the demo district', () => {
    it('gives party members check-ins over the last four weeks, most reviewed by both branches, and flags the weeks under quota', async () => {
      const weeks = demoCheckInWeeks();
      const rows: { week: string; checkIns: number; reviewedByBoth: number; flags: number }[] = await db().query(
        `SELECT w AS week,
                (SELECT count(*)::int FROM photo_check_in c WHERE c.week = w::date AND c.photo_id IN (SELECT id FROM upload WHERE storage_key LIKE 'demo/%')) AS "checkIns",
                (SELECT count(*)::int FROM photo_check_in c WHERE c.week = w::date AND c.work_verdict IS NOT NULL AND c.community_verdict IS NOT NULL) AS "reviewedByBoth",
                (SELECT count(*)::int FROM check_in_quota_flag f WHERE f.week = w::date AND f.flagged_by = 'demo-seed') AS flags
           FROM unnest($1::text[]) AS w`,
        [weeks],
      );
      for (const row of rows) {
        expect(row.checkIns).toBeGreaterThan(0);
        expect(row.reviewedByBoth / row.checkIns).toBeGreaterThan(0.5);
        expect(row.flags).toBeGreaterThan(0);
      }
      const listed: any = await platform.query(branchSecretary, CHECK_INS, { week: weeks[3], first: 1 });
      expect(listed.data.photoCheckIns.totalCount).toBe(rows[3].checkIns);
    });
  });
});
