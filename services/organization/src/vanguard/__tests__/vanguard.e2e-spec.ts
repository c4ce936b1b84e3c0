import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Role, partyMemberLogin } from '#libs/auth';
import type { DatabaseLogger } from '#libs/database';
import { EventType, JobName, QueueName, ServiceName, type QueuedEvent } from '#libs/messaging';
import { errorCodes, reasonOf, waitFor } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';

const PART_FIELDS =
  'part labelZh points maximum applicable explanationZh gradeStatus grade gradeLabelZh weeks weeksQuotaMet due met hours fullAtHours';
const INDEX = `query($member: ID!, $month: String!) { vanguardIndex(memberId: $member, month: $month) {
  labelZh memberId memberName month formulaVersion score parts { ${PART_FIELDS} } } }`;
const YEAR = `query($member: ID!, $year: Int!) { vanguardIndexYear(memberId: $member, year: $year) { labelZh memberId year score months } }`;
const RANKING = `query($month: String!, $org: ID!, $first: Int, $after: String) { vanguardRanking(month: $month, partyOrgId: $org, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { memberId memberName score formulaVersion } } } }`;
const ASSESSMENT = `query($year: Int!, $org: ID, $institution: ID, $first: Int, $members: Int = 500) {
  unitAnnualAssessment(year: $year, partyOrgId: $org, institutionId: $institution, first: $first) {
    totalCount edges { node { labelZh unitType unitTypeLabelZh unitId unitKind unitKindLabelZh name year membersCounted averageIndex shareAtLeast80
      members(first: $members) { edges { node { memberId memberName score months } } } } } } }`;
const ASSESSMENT_MEMBERS = `query($year: Int!, $org: ID!, $first: Int, $members: Int, $after: String) {
  unitAnnualAssessment(year: $year, partyOrgId: $org, first: $first) {
    edges { node { unitId name membersCounted
      members(first: $members, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { memberId score } } } } } } }`;
const COMPUTE = `mutation($month: String!) { computeVanguardIndex(month: $month) { month formulaVersion members changed } }`;
const FORMULAS = `query { vanguardFormulas { labelZh version effectiveFrom description parts { part labelZh maximum }
  qualifiedPoints basicallyQualifiedPoints unqualifiedPoints volunteerFullAtHours } }`;
const CREATE_FORMULA = `mutation($input: CreateVanguardFormulaInput!) { createVanguardFormula(input: $input) { version effectiveFrom parts { part maximum } } }`;

/** March 2026: Mondays 2, 9, 16, 23 and 30, so five ISO weeks. April 2026: Mondays 6, 13, 20, 27, four weeks. */
const MARCH = '2026-03';
const APRIL = '2026-04';
const MARCH_WEEKS = ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30'];
const APRIL_WEEKS = ['2026-04-06', '2026-04-13', '2026-04-20', '2026-04-27'];

interface TestMember {
  id: string;
  name: string;
  userId: string;
}

const creditCode = () => `91${Array.from({ length: 16 }, () => randomInt(10)).join('')}`;
const byPart = (parts: any[]) => Object.fromEntries(parts.map((p) => [p.part, p]));

describe('the vanguard index (锋领指数) through the gateway', () => {
  let platform: TestPlatform;
  let householdsJobs: Queue;
  let organizationEvents: Queue;
  let admin: string;
  let communityA: string;
  let communityB: string;
  /** The department committee and its two work-unit branches (department, sector unit): only this test's members. */
  let departmentCommittee: string;
  let communityBranchA: string;
  let communityBranchB: string;
  let department: string;
  let sectorUnit: string;
  let m1: TestMember;
  let m2: TestMember;
  let m3: TestMember;
  let m4: TestMember;
  let m1Household: string;

  const org = () => platform.database(ServiceName.Organization);
  const households = () => platform.database(ServiceName.Households);
  const secretaryOf = (community: string) => platform.token([Role.COMMUNITY_SECRETARY], community, `secretary-${community}`);

  /** A party organisation: the existing one of a unit when the kind allows only one, a new one otherwise. */
  async function partyOrg(
    kind: string,
    parentId: string | null,
    tie: { orgUnitId?: string; institutionId?: string },
    name: string,
  ): Promise<string> {
    const [existing] = await org().query(
      `SELECT id FROM party_org WHERE kind = $1 AND kind IN ('DISTRICT_COMMITTEE', 'STREET_COMMITTEE', 'COMMUNITY_COMMITTEE') AND org_unit_id = $2`,
      [kind, tie.orgUnitId ?? null],
    );
    if (existing) return existing.id;
    const id = randomUUID();
    await org().query(
      `INSERT INTO party_org (id, kind, name, parent_id, path, org_unit_id, institution_id)
       SELECT $1, $2, $3, $4::uuid, coalesce((SELECT path FROM party_org WHERE id = $4::uuid), '{}') || $1::uuid, $5, $6`,
      [id, kind, name, parentId, tie.orgUnitId ?? null, tie.institutionId ?? null],
    );
    return id;
  }

  async function institution(kind: string, name: string, parentId: string | null = null): Promise<string> {
    const [{ id }] = await org().query(
      `INSERT INTO institution (kind, name, credit_code, org_unit_id, parent_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [kind, `${name}-${randomUUID().slice(0, 8)}`, creditCode(), platform.plan.district.id, parentId],
    );
    return id;
  }

  async function member(name: string, community: string, institutionId: string | null): Promise<TestMember> {
    const id = randomUUID();
    const userId = `member-${id}`;
    await org().query(
      `INSERT INTO party_member (id, name, user_id, institution_id, community_id, commitment_signed_at) VALUES ($1, $2, $3, $4, $5, now())`,
      [id, name, userId, institutionId, community],
    );
    return { id, name, userId };
  }

  async function register(memberId: string, branchId: string, kind: 'WORK_UNIT' | 'COMMUNITY', confirmed = true): Promise<void> {
    await org().query(
      `INSERT INTO branch_registration (party_member_id, branch_id, kind, registered_by, confirmed_at, confirmed_by)
       VALUES ($1, $2, $3, 'test', CASE WHEN $4 THEN now() END, CASE WHEN $4 THEN 'branch-secretary' END)`,
      [memberId, branchId, kind, confirmed],
    );
  }

  async function grade(memberId: string, month: string, status: 'GRADED' | 'NO_EVIDENCE', value: string | null): Promise<void> {
    await org().query(
      `INSERT INTO member_household_grade (party_member_id, month, household_id, status, grade, event_at) VALUES ($1, $2, $3, $4, $5, now())`,
      [memberId, `${month}-01`, randomUUID(), status, value],
    );
  }

  /** Check-in weeks as households' summary would leave them, for members whose weeks the test does not send through households. */
  async function checkInWeeks(memberId: string, weeks: string[], met: boolean): Promise<void> {
    await org().query(
      `INSERT INTO member_check_in_week (party_member_id, week, household_id, submitted, approved_by_both, quota, quota_met, event_at)
       SELECT $1, w::date, $3, 3, CASE WHEN $4 THEN 3 ELSE 0 END, 3, $4, now() FROM unnest($2::text[]) AS w`,
      [memberId, weeks, randomUUID(), met],
    );
  }

  const duty = (memberId: string, month: string, due: number, met: number) =>
    org().query(`INSERT INTO vanguard_test_duty VALUES ($1, $2, $3, $4)`, [memberId, `${month}-01`, due, met]);
  const volunteering = (memberId: string, month: string, hours: number) =>
    org().query(`INSERT INTO vanguard_test_hours VALUES ($1, $2, $3)`, [memberId, `${month}-01`, hours]);

  /** A photo check-in of m1's household in households, taken on `day` evening, with the branches' verdicts. */
  async function photoCheckIn(
    day: string,
    work: 'APPROVED' | 'REJECTED' | null,
    community: 'APPROVED' | 'REJECTED' | null,
  ): Promise<string> {
    const [{ id: photo }] = await households().query(
      `INSERT INTO upload (content_type, size_bytes, sha256, storage_key, uploaded_by) VALUES ('image/jpeg', 1000, md5(random()::text), $1, 'test') RETURNING id`,
      [`test/${randomUUID()}.jpg`],
    );
    const [{ id }] = await households().query(
      `INSERT INTO photo_check_in (party_member_id, household_id, photo_id, taken_at, work_verdict, work_note, work_reviewed_by, work_reviewed_at,
                                   community_verdict, community_note, community_reviewed_by, community_reviewed_at)
       VALUES ($1, $2, $3, $4, $5::text, CASE WHEN $5::text = 'REJECTED' THEN '照片模糊' END, CASE WHEN $5::text IS NOT NULL THEN 'branch-secretary' END,
               CASE WHEN $5::text IS NOT NULL THEN now() END,
               $6::text, CASE WHEN $6::text = 'REJECTED' THEN '照片模糊' END, CASE WHEN $6::text IS NOT NULL THEN 'community-secretary' END,
               CASE WHEN $6::text IS NOT NULL THEN now() END)
       RETURNING id`,
      [m1.id, m1Household, photo, `${day}T20:00:00+08:00`, work, community],
    );
    return id;
  }

  /** Fires the weekly quota job as the scheduler would on `monday` at 01:00 and waits for organization's copy of `week`. */
  async function fireWeeklyJob(monday: string, until: () => Promise<boolean>): Promise<void> {
    await householdsJobs.add(JobName.CheckInQuotaWeekly, { firedAt: `${monday}T01:00:00+08:00` });
    await waitFor('the check-in summaries to reach organization', async () => ((await until()) ? true : null), 30_000);
  }

  const index = async (token: string, memberId: string, month: string) => {
    const response: any = await platform.query(token, INDEX, { member: memberId, month });
    expect(response.errors).toBeUndefined();
    return response.data.vanguardIndex;
  };

  beforeAll(async () => {
    // organization runs in this process so the test can count the SQL it runs.
    platform = await startPlatform({ inProcess: ServiceName.Organization });
    admin = await platform.token([Role.DISTRICT_ADMIN]);
    const connection = { connection: { url: platform.env.REDIS_URL }, prefix: platform.env.QUEUE_PREFIX };
    householdsJobs = new Queue(QueueName.HouseholdsJobs, connection);
    organizationEvents = new Queue(QueueName.OrganizationEvents, connection);
    const [streetA, streetB] = platform.plan.streets;
    communityA = platform.plan.communities.find((c) => c.parentId === streetA.id)!.id;
    communityB = platform.plan.communities.find((c) => c.parentId === streetB.id)!.id;

    // Duty compliance and volunteer hours are read through two views (duties' and volunteers' migrations); the test
    // adds its own rows to them and puts them back afterwards.
    for (const [view, table, columns] of [
      ['member_duty_compliance', 'vanguard_test_duty', 'party_member_id uuid, month date, due int, met int'],
      ['member_volunteer_hours', 'vanguard_test_hours', 'party_member_id uuid, month date, hours numeric'],
    ]) {
      await org().query(`DROP TABLE IF EXISTS ${table} CASCADE`);
      await org().query(`CREATE TABLE ${table} (${columns})`);
      await org().query(`ALTER VIEW ${view} RENAME TO ${view}_before_test`);
      await org().query(`CREATE VIEW ${view} AS SELECT * FROM ${view}_before_test UNION ALL SELECT * FROM ${table}`);
    }

    const district = await partyOrg('DISTRICT_COMMITTEE', null, { orgUnitId: platform.plan.district.id }, '中共鄞州区委');
    const streetCommitteeA = await partyOrg('STREET_COMMITTEE', district, { orgUnitId: streetA.id }, `${streetA.name}党委`);
    const streetCommitteeB = await partyOrg('STREET_COMMITTEE', district, { orgUnitId: streetB.id }, `${streetB.name}党委`);
    const committeeA = await partyOrg('COMMUNITY_COMMITTEE', streetCommitteeA, { orgUnitId: communityA }, '测试社区A党委');
    const committeeB = await partyOrg('COMMUNITY_COMMITTEE', streetCommitteeB, { orgUnitId: communityB }, '测试社区B党委');
    communityBranchA = await partyOrg(
      'COMMUNITY_BRANCH',
      committeeA,
      { orgUnitId: communityA },
      `锋领测试支部A-${randomUUID().slice(0, 6)}`,
    );
    communityBranchB = await partyOrg(
      'COMMUNITY_BRANCH',
      committeeB,
      { orgUnitId: communityB },
      `锋领测试支部B-${randomUUID().slice(0, 6)}`,
    );
    department = await institution('DEPARTMENT', '锋领测试局');
    sectorUnit = await institution('SCHOOL', '锋领测试学校', department);
    departmentCommittee = await partyOrg(
      'DEPARTMENT_COMMITTEE',
      district,
      { institutionId: department },
      `锋领测试局党委-${randomUUID().slice(0, 6)}`,
    );
    const departmentBranch = await partyOrg('WORK_UNIT_BRANCH', departmentCommittee, { institutionId: department }, '机关支部');
    const schoolBranch = await partyOrg('WORK_UNIT_BRANCH', departmentCommittee, { institutionId: sectorUnit }, '学校支部');

    m1 = await member('王晓明', communityA, department);
    m2 = await member('李红', communityA, sectorUnit);
    m3 = await member('张建国', communityA, sectorUnit);
    m4 = await member('赵丽华', communityB, null);
    await register(m1.id, departmentBranch, 'WORK_UNIT');
    await register(m2.id, schoolBranch, 'WORK_UNIT');
    await register(m3.id, schoolBranch, 'WORK_UNIT');
    // Registered, but the branch has not confirmed: not one of the department's members.
    await register(m4.id, schoolBranch, 'WORK_UNIT', false);
    for (const m of [m1, m2, m3]) await register(m.id, communityBranchA, 'COMMUNITY');
    await register(m4.id, communityBranchB, 'COMMUNITY');

    // m1's household in households, where m1 posts photos.
    const [household] = await households().query(
      `SELECT h.id FROM household h JOIN territory_unit t ON t.id = h.compound_id WHERE t.path @> ARRAY[$1::uuid] ORDER BY h.id LIMIT 1`,
      [communityA],
    );
    m1Household = household.id;
    await households().query(
      `INSERT INTO resident (household_id, name, occupation, party_member_id, birth_date) VALUES ($1, $2, 'EMPLOYED', $3, DATE '1980-03-01')`,
      [m1Household, m1.name, m1.id],
    );
  });

  afterAll(async () => {
    for (const [view, table] of [
      ['member_duty_compliance', 'vanguard_test_duty'],
      ['member_volunteer_hours', 'vanguard_test_hours'],
    ]) {
      await org()
        .query(`DROP VIEW IF EXISTS ${view}`)
        .catch(() => undefined);
      await org()
        .query(`ALTER VIEW IF EXISTS ${view}_before_test RENAME TO ${view}`)
        .catch(() => undefined);
      await org()
        .query(`DROP TABLE IF EXISTS ${table}`)
        .catch(() => undefined);
    }
    await householdsJobs.close();
    await organizationEvents.close();
    await platform.stop();
  });

  it('documents formula version 1: four parts over 100 points', async () => {
    const response: any = await platform.query(admin, FORMULAS);
    expect(response.errors).toBeUndefined();
    const [v1] = response.data.vanguardFormulas;
    expect(v1).toMatchObject({
      labelZh: '锋领指数计算公式',
      version: 1,
      qualifiedPoints: 30,
      basicallyQualifiedPoints: 18,
      unqualifiedPoints: 0,
      volunteerFullAtHours: 4,
      parts: [
        { part: 'HOUSEHOLD_GRADE', maximum: 30 },
        { part: 'CHECK_INS', maximum: 30 },
        { part: 'DUTIES', maximum: 20 },
        { part: 'VOLUNTEER_HOURS', maximum: 20 },
      ],
    });
  });

  it("brings a member's photo check-ins from households, counting only weeks whose quota both branches approved", async () => {
    // Week of 2 March: three check-ins approved by both branches.
    for (const day of ['2026-03-02', '2026-03-03', '2026-03-04']) await photoCheckIn(day, 'APPROVED', 'APPROVED');
    // Week of 9 March: three approved by both, one rejected.
    for (const day of ['2026-03-09', '2026-03-10', '2026-03-11']) await photoCheckIn(day, 'APPROVED', 'APPROVED');
    await photoCheckIn('2026-03-12', 'APPROVED', 'REJECTED');
    // Week of 16 March: three that count, but the community branch has not reviewed one yet.
    for (const day of ['2026-03-16', '2026-03-17']) await photoCheckIn(day, 'APPROVED', 'APPROVED');
    await photoCheckIn('2026-03-18', 'APPROVED', null);

    // Monday 6 April: the week of 30 March ended; it and the four weeks before it (all of March's) are sent.
    const weeksOf = () =>
      org().query(
        `SELECT to_char(week, 'YYYY-MM-DD') AS week, household_id AS "householdId", submitted, approved_by_both AS "approvedByBoth", quota, quota_met AS "quotaMet"
         FROM member_check_in_week WHERE party_member_id = $1 ORDER BY week`,
        [m1.id],
      );
    const [{ members }] = await households().query(
      `SELECT count(DISTINCT party_member_id)::int AS members FROM resident WHERE party_member_id IS NOT NULL`,
    );
    const copiedOf = async (): Promise<number> =>
      (await org().query(`SELECT count(*)::int AS copied FROM member_check_in_week WHERE week = '2026-03-30'`))[0].copied;
    await fireWeeklyJob('2026-04-06', async () => (await weeksOf()).length === 5 && (await copiedOf()) === members);
    expect(await weeksOf()).toEqual([
      { week: '2026-03-02', householdId: m1Household, submitted: 3, approvedByBoth: 3, quota: 3, quotaMet: true },
      { week: '2026-03-09', householdId: m1Household, submitted: 4, approvedByBoth: 3, quota: 3, quotaMet: true },
      { week: '2026-03-16', householdId: m1Household, submitted: 3, approvedByBoth: 2, quota: 3, quotaMet: false },
      // Members who posted nothing are sent too.
      { week: '2026-03-23', householdId: m1Household, submitted: 0, approvedByBoth: 0, quota: 3, quotaMet: false },
      { week: '2026-03-30', householdId: m1Household, submitted: 0, approvedByBoth: 0, quota: 3, quotaMet: false },
    ]);
    // Every party member of households is in the summaries, zeros included.
    expect(members).toBeGreaterThan(1);
    expect(await copiedOf()).toBe(members);
    // One event per week here (at most 500 members an event), for the five weeks, sent through households' outbox.
    const events: { week: string; members: number }[] = await households().query(
      `SELECT payload->>'week' AS week, json_array_length(payload->'members') AS members FROM outbox_event WHERE type = $1 ORDER BY 1`,
      [EventType.PartyMemberCheckInsSummarised],
    );
    expect(events).toEqual(MARCH_WEEKS.map((week) => ({ week, members })));
  });

  it('computes every part of a month against the hand-computed values, scaling when duties do not apply', async () => {
    // m1: 合格 30; check-ins 2 of 5 weeks → 12; duties 15 of 20 → 15; 3 volunteer hours → 15. 72 of 100.
    await grade(m1.id, MARCH, 'GRADED', 'QUALIFIED');
    await duty(m1.id, MARCH, 20, 15);
    await volunteering(m1.id, MARCH, 3);
    // m2: 基本合格 18; no check-ins → 0; no duties (not applicable); 6 hours → 20 (capped). 38 of 80 → 47.5.
    await grade(m2.id, MARCH, 'GRADED', 'BASICALLY_QUALIFIED');
    await volunteering(m2.id, MARCH, 6);
    // m3: no evidence → 0; all 5 weeks → 30; duties 30 of 30 → 20; 4 hours → 20. 70 of 100.
    await grade(m3.id, MARCH, 'NO_EVIDENCE', null);
    await checkInWeeks(m3.id, MARCH_WEEKS, true);
    await duty(m3.id, MARCH, 30, 30);
    await volunteering(m3.id, MARCH, 4);
    // m4: 不合格 0; 1 of 5 weeks → 6; no duties; 2 hours → 10. 16 of 80 → 20.
    await grade(m4.id, MARCH, 'GRADED', 'UNQUALIFIED');
    await checkInWeeks(m4.id, MARCH_WEEKS.slice(0, 1), true);
    await volunteering(m4.id, MARCH, 2);

    const computed: any = await platform.query(admin, COMPUTE, { month: MARCH });
    expect(computed.errors).toBeUndefined();
    expect(computed.data.computeVanguardIndex).toMatchObject({ month: MARCH, formulaVersion: 1 });
    expect(computed.data.computeVanguardIndex.members).toBeGreaterThanOrEqual(4);

    const one = await index(admin, m1.id, MARCH);
    expect(one).toMatchObject({ labelZh: '锋领指数', memberId: m1.id, month: MARCH, formulaVersion: 1, score: 72 });
    // A district administrator does not read personal data: the name is masked.
    expect(one.memberName).toBe('王*明');
    expect(byPart(one.parts)).toEqual({
      HOUSEHOLD_GRADE: expect.objectContaining({
        labelZh: '家庭垃圾分类评定',
        points: 30,
        maximum: 30,
        applicable: true,
        gradeStatus: 'GRADED',
        grade: 'QUALIFIED',
        gradeLabelZh: '合格',
        explanationZh: '家庭本月垃圾分类评定为“合格”，得30分（满分30分）。',
      }),
      CHECK_INS: expect.objectContaining({
        points: 12,
        maximum: 30,
        applicable: true,
        weeks: 5,
        weeksQuotaMet: 2,
        explanationZh: '本月共5周，其中2周晒图打卡经单位支部和社区支部双方审核通过并达到每周要求次数，得12分（满分30分）。',
      }),
      DUTIES: expect.objectContaining({
        points: 15,
        maximum: 20,
        applicable: true,
        due: 20,
        met: 15,
        explanationZh: '本月应履职20次，已履职15次，得15分（满分20分）。',
      }),
      VOLUNTEER_HOURS: expect.objectContaining({
        points: 15,
        maximum: 20,
        applicable: true,
        hours: 3,
        fullAtHours: 4,
        explanationZh: '本月志愿服务3小时（满4小时得满分），得15分（满分20分）。',
      }),
    });
    expect(one.parts.map((p: any) => p.part)).toEqual(['HOUSEHOLD_GRADE', 'CHECK_INS', 'DUTIES', 'VOLUNTEER_HOURS']);

    const two = await index(admin, m2.id, MARCH);
    expect(two.score).toBe(47.5);
    expect(byPart(two.parts)).toMatchObject({
      HOUSEHOLD_GRADE: { points: 18, grade: 'BASICALLY_QUALIFIED' },
      CHECK_INS: { points: 0, weeksQuotaMet: 0 },
      DUTIES: { points: 0, applicable: false, explanationZh: '本月无履职任务，本项不计分，总分按其余各项折算为百分制。' },
      VOLUNTEER_HOURS: { points: 20, hours: 6 },
    });

    const three = await index(admin, m3.id, MARCH);
    expect(three.score).toBe(70);
    expect(byPart(three.parts)).toMatchObject({
      HOUSEHOLD_GRADE: {
        points: 0,
        gradeStatus: 'NO_EVIDENCE',
        grade: null,
        explanationZh: '家庭本月无检查记录，未能评定（无评定依据），得0分（满分30分）。',
      },
      CHECK_INS: { points: 30, weeksQuotaMet: 5 },
      DUTIES: { points: 20, applicable: true },
      VOLUNTEER_HOURS: { points: 20 },
    });
    expect((await index(admin, m4.id, MARCH)).score).toBe(20);

    // Computing again changes nothing.
    const again: any = await platform.query(admin, COMPUTE, { month: MARCH });
    expect(again.data.computeVanguardIndex.changed).toBe(0);
  });

  it('counts a late review: the summary sent again next Monday recomputes the month already computed', async () => {
    const [pending] = await households().query(
      `SELECT id FROM photo_check_in WHERE party_member_id = $1 AND community_verdict IS NULL AND review_status <> 'REJECTED'`,
      [m1.id],
    );
    await households().query(
      `UPDATE photo_check_in SET community_verdict = 'APPROVED', community_reviewed_by = 'community-secretary', community_reviewed_at = now() WHERE id = $1`,
      [pending.id],
    );
    // Monday 13 April still re-sends the week of 16 March (four weeks before the week that ended).
    await fireWeeklyJob('2026-04-13', async () => {
      const [row] = await org().query(`SELECT quota_met FROM member_check_in_week WHERE party_member_id = $1 AND week = '2026-03-16'`, [
        m1.id,
      ]);
      return row.quota_met;
    });
    // 3 of 5 weeks → 18: 30 + 18 + 15 + 15 = 78.
    const late = await waitFor('the recomputed index', async () => {
      const value = await index(admin, m1.id, MARCH);
      return value.score === 78 ? value : null;
    });
    expect(byPart(late.parts).CHECK_INS).toMatchObject({ points: 18, weeksQuotaMet: 3 });
  });

  it('computes a month when households announces the monthly evaluation completed', async () => {
    // April: m1 合格 30, no check-ins, no duties, 4 hours → 50 of 80 = 62.5; m3 合格 30, 4 of 4 weeks 30, duties 10/10, 4 hours → 100;
    // m2 and m4 nothing → 0.
    await grade(m1.id, APRIL, 'GRADED', 'QUALIFIED');
    await volunteering(m1.id, APRIL, 4);
    await grade(m3.id, APRIL, 'GRADED', 'QUALIFIED');
    await checkInWeeks(m3.id, APRIL_WEEKS, true);
    await duty(m3.id, APRIL, 10, 10);
    await volunteering(m3.id, APRIL, 4);
    const event: QueuedEvent = {
      id: randomUUID(),
      type: EventType.MonthlyEvaluationCompleted,
      source: ServiceName.Households,
      occurredAt: new Date().toISOString(),
      payloadJson: JSON.stringify({
        month: APRIL,
        districtId: platform.plan.district.id,
        runId: randomUUID(),
        households: 0,
        graded: 0,
        noEvidence: 0,
        grades: { QUALIFIED: 0, BASICALLY_QUALIFIED: 0, UNQUALIFIED: 0 },
      }),
    };
    await organizationEvents.add(EventType.MonthlyEvaluationCompleted, event, { jobId: event.id });
    const april = await waitFor("April's index", async () => {
      const [{ count }] = await org().query(`SELECT count(*)::int AS count FROM vanguard_index_month WHERE month = '2026-04-01'`);
      return count >= 4 ? true : null;
    });
    expect(april).toBe(true);
    expect((await index(admin, m1.id, APRIL)).score).toBe(62.5);
    expect((await index(admin, m3.id, APRIL)).score).toBe(100);
    expect(await index(admin, m2.id, APRIL)).toMatchObject({
      score: 0,
      parts: expect.arrayContaining([expect.objectContaining({ part: 'HOUSEHOLD_GRADE', gradeStatus: 'NO_RECORD' })]),
    });
  });

  it("averages a member's months over the year", async () => {
    const year = async (memberId: string) => {
      const response: any = await platform.query(admin, YEAR, { member: memberId, year: 2026 });
      expect(response.errors).toBeUndefined();
      return response.data.vanguardIndexYear;
    };
    // (78 + 62.5) / 2 = 70.25 → 70.3; (47.5 + 0) / 2 = 23.75 → 23.8; (70 + 100) / 2 = 85; (20 + 0) / 2 = 10.
    expect(await year(m1.id)).toEqual({ labelZh: '年度锋领指数', memberId: m1.id, year: 2026, score: 70.3, months: 2 });
    expect((await year(m2.id)).score).toBe(23.8);
    expect((await year(m3.id)).score).toBe(85);
    expect((await year(m4.id)).score).toBe(10);
    const none: any = await platform.query(admin, YEAR, { member: m1.id, year: 2025 });
    expect(none.data.vanguardIndexYear).toBeNull();
  });

  it("rolls members' yearly index up to their party organisations and work units", async () => {
    const response: any = await platform.query(admin, ASSESSMENT, { year: 2026, org: departmentCommittee, first: 10 });
    expect(response.errors).toBeUndefined();
    const units = response.data.unitAnnualAssessment.edges.map((e: any) => e.node);
    // The committee first, over both branches: m1, m2, m3 (m4's registration is unconfirmed).
    expect(units[0]).toMatchObject({
      labelZh: '单位年度考核',
      unitType: 'PARTY_ORG',
      unitTypeLabelZh: '党组织',
      unitId: departmentCommittee,
      unitKind: 'DEPARTMENT_COMMITTEE',
      unitKindLabelZh: '机关职能部门党委',
      year: 2026,
      membersCounted: 3,
      // (70.3 + 23.8 + 85) / 3 = 59.7; one of three at 80 or more.
      averageIndex: 59.7,
      shareAtLeast80: 0.3333,
    });
    expect(units[0].members.edges.map((e: any) => [e.node.memberId, e.node.score])).toEqual([
      [m3.id, 85],
      [m1.id, 70.3],
      [m2.id, 23.8],
    ]);
    const branches = Object.fromEntries(units.slice(1).map((u: any) => [u.name, u]));
    // (23.8 + 85) / 2 = 54.4
    expect(branches['学校支部']).toMatchObject({
      unitKind: 'WORK_UNIT_BRANCH',
      unitKindLabelZh: '单位支部',
      membersCounted: 2,
      averageIndex: 54.4,
      shareAtLeast80: 0.5,
    });
    expect(branches['机关支部']).toMatchObject({ membersCounted: 1, averageIndex: 70.3, shareAtLeast80: 0 });

    const byInstitution: any = await platform.query(admin, ASSESSMENT, { year: 2026, institution: department });
    const [dept, school] = byInstitution.data.unitAnnualAssessment.edges.map((e: any) => e.node);
    // The department rolls up its sector unit: the same three members.
    expect(dept).toMatchObject({
      unitType: 'WORK_UNIT',
      unitTypeLabelZh: '工作单位',
      unitId: department,
      unitKind: 'DEPARTMENT',
      membersCounted: 3,
      averageIndex: 59.7,
    });
    expect(school).toMatchObject({ unitId: sectorUnit, unitKind: 'SCHOOL', membersCounted: 2, averageIndex: 54.4, shareAtLeast80: 0.5 });

    const both = await platform.query(admin, ASSESSMENT, { year: 2026, org: departmentCommittee, institution: department });
    expect(reasonOf(both)).toBe('ONE_UNIT_ONLY');
  });

  it("reads the members of a whole page of units with the same number of queries as a page of three, each unit's own members", async () => {
    /** The SQL statements organization runs to answer the query (the outbox relay's polls meanwhile left out). */
    const statementsOf = async (variables: Record<string, unknown>) => {
      const logger = platform.inProcessApp!.get(DataSource).logger as DatabaseLogger;
      const statements: string[] = [];
      const stop = logger.observe((sql) => {
        if (/party_org|party_member|institution|vanguard_index|personal_data_access/.test(sql)) statements.push(sql);
      });
      let response: any;
      try {
        response = await platform.query(admin, ASSESSMENT_MEMBERS, { year: 2026, ...variables });
      } finally {
        stop();
      }
      expect(response.errors).toBeUndefined();
      return { units: response.data.unitAnnualAssessment.edges.map((e: any) => e.node), statements };
    };
    const membersOf = (unit: any) => unit.members.edges.map((e: any) => [e.node.memberId, e.node.score]);

    // The department committee and its two branches.
    const small = await statementsOf({ org: departmentCommittee, first: 10, members: 500 });
    expect(small.units).toHaveLength(3);
    const byName = Object.fromEntries(small.units.map((u: any) => [u.name, u]));
    expect(membersOf(small.units[0])).toEqual([
      [m3.id, 85],
      [m1.id, 70.3],
      [m2.id, 23.8],
    ]);
    expect(membersOf(byName['学校支部'])).toEqual([
      [m3.id, 85],
      [m2.id, 23.8],
    ]);
    expect(membersOf(byName['机关支部'])).toEqual([[m1.id, 70.3]]);
    for (const unit of small.units) expect(unit.members.totalCount).toBe(unit.membersCounted);

    // The district committee's first 50 organisations, the demo members of March and April among them.
    const [{ id: districtCommittee }] = await org().query(`SELECT id FROM party_org WHERE kind = 'DISTRICT_COMMITTEE'`);
    const large = await statementsOf({ org: districtCommittee, first: 50, members: 500 });
    expect(large.units).toHaveLength(50);
    expect(large.units.filter((u: any) => u.membersCounted > 1).length).toBeGreaterThan(5);
    for (const unit of large.units) {
      expect(unit.members.totalCount).toBe(unit.membersCounted);
      const scores = membersOf(unit).map(([, score]: [string, number]) => score);
      expect(scores).toHaveLength(Math.min(unit.membersCounted, 500));
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
    // Each unit's members in the batch are the ones it has asked about alone (a page of one unit, itself).
    for (const unit of large.units.filter((u: any) => u.membersCounted > 0)) {
      const alone = await statementsOf({ org: unit.unitId, first: 1, members: 500 });
      expect([alone.units[0].unitId, membersOf(alone.units[0])]).toEqual([unit.unitId, membersOf(unit)]);
    }

    // 3 units or 50, the same four statements: the committee's scope check, the units, their members, their members' counts.
    expect({ units: large.units.length, statements: large.statements.length }).toEqual({ units: 50, statements: small.statements.length });
    expect(large.statements).toHaveLength(4);

    // Pages of members continue after the cursor in every unit: after m1 (70.3), the committee and 学校支部 have m2 left.
    const firstPage = await statementsOf({ org: departmentCommittee, first: 10, members: 2 });
    const pageOf = (unit: any) => ({
      name: unit.name,
      members: membersOf(unit),
      hasNextPage: unit.members.pageInfo.hasNextPage,
      total: unit.members.totalCount,
    });
    expect(firstPage.units.map(pageOf)).toEqual([
      {
        name: small.units[0].name,
        members: [
          [m3.id, 85],
          [m1.id, 70.3],
        ],
        hasNextPage: true,
        total: 3,
      },
      ...small.units.slice(1).map((u: any) => ({ name: u.name, members: membersOf(u), hasNextPage: false, total: u.membersCounted })),
    ]);
    const afterM1 = await statementsOf({
      org: departmentCommittee,
      first: 10,
      members: 2,
      after: firstPage.units[0].members.pageInfo.endCursor,
    });
    expect(
      Object.fromEntries(afterM1.units.map((u: any) => [u.unitId, { ...pageOf(u), hasPreviousPage: u.members.pageInfo.hasPreviousPage }])),
    ).toEqual({
      [departmentCommittee]: { name: small.units[0].name, members: [[m2.id, 23.8]], hasNextPage: false, hasPreviousPage: true, total: 3 },
      [byName['学校支部'].unitId]: { name: '学校支部', members: [[m2.id, 23.8]], hasNextPage: false, hasPreviousPage: true, total: 2 },
      [byName['机关支部'].unitId]: { name: '机关支部', members: [], hasNextPage: false, hasPreviousPage: true, total: 1 },
    });
  });

  it('answers the lists nested under a page (children, secretaries, sector units, liaisons) with one statement each, however long the page', async () => {
    const NESTED = `query($first: Int) {
      partyOrgs(first: $first) { edges { node { id children(first: 5) { totalCount edges { node { id } } } secretaries(first: 5) { totalCount edges { node { id } } } } } }
      institutions(first: $first) { edges { node { id subordinates(first: 5) { totalCount edges { node { id } } } } } }
      orgUnits(first: $first) { edges { node { id liaisons(first: 5) { totalCount edges { node { id } } } } } } }`;
    const nestedLists: Record<string, RegExp> = {
      children: /\bo\.parent_id = /,
      secretaries: /FROM party_org_position\b[\s\S]*'SECRETARY'/,
      subordinates: /\bi\.parent_id = /,
      liaisons: /FROM leader_liaison\b/,
    };
    const statementsOf = async (first: number) => {
      const logger = platform.inProcessApp!.get(DataSource).logger as DatabaseLogger;
      const counts: Record<string, number> = Object.fromEntries(Object.keys(nestedLists).map((name) => [name, 0]));
      const stop = logger.observe((sql) => {
        for (const [name, pattern] of Object.entries(nestedLists)) if (pattern.test(sql)) counts[name] += 1;
      });
      let response: any;
      try {
        response = await platform.query(admin, NESTED, { first });
      } finally {
        stop();
      }
      expect(response.errors).toBeUndefined();
      const parents = ['partyOrgs', 'institutions', 'orgUnits'].map((field) => response.data[field].edges.length);
      return { counts, parents };
    };
    const one = await statementsOf(1);
    const page = await statementsOf(50);
    expect(one.parents).toEqual([1, 1, 1]);
    for (const parents of page.parents) expect(parents).toBeGreaterThan(1);
    // One page of rows and one count per nested list, for one parent as for fifty.
    expect(page.counts).toEqual({ children: 2, secretaries: 2, subordinates: 2, liaisons: 2 });
    expect(page.counts).toEqual(one.counts);
  });

  it('ranks the members of a branch or committee by their score of the month, page by page', async () => {
    const first: any = await platform.query(admin, RANKING, { month: MARCH, org: departmentCommittee, first: 2 });
    expect(first.errors).toBeUndefined();
    const next: any = await platform.query(admin, RANKING, {
      month: MARCH,
      org: departmentCommittee,
      first: 2,
      after: first.data.vanguardRanking.pageInfo.endCursor,
    });
    const ranked = [...first.data.vanguardRanking.edges, ...next.data.vanguardRanking.edges].map((e: any) => [
      e.node.memberId,
      e.node.score,
    ]);
    expect(ranked).toEqual([
      [m1.id, 78],
      [m3.id, 70],
      [m2.id, 47.5],
    ]);
    expect(first.data.vanguardRanking).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    expect(next.data.vanguardRanking.pageInfo.hasNextPage).toBe(false);
  });

  it('keeps a community secretary to the members of their community, with names, and a party member to their own index', async () => {
    const secretaryA = await secretaryOf(communityA);
    const ranking: any = await platform.query(secretaryA, RANKING, { month: MARCH, org: communityBranchA, first: 50 });
    expect(ranking.errors).toBeUndefined();
    // The secretary reads personal data: names in full.
    expect(ranking.data.vanguardRanking.edges.map((e: any) => e.node.memberName)).toEqual(['王晓明', '张建国', '李红']);
    expect(errorCodes(await platform.query(secretaryA, INDEX, { member: m4.id, month: MARCH }))).toEqual(['FORBIDDEN']);
    expect(reasonOf(await platform.query(secretaryA, RANKING, { month: MARCH, org: communityBranchB }))).toBe('OUT_OF_SCOPE');

    // Over the whole district, the secretary's roll-up counts only their community's members.
    const [{ id: districtCommittee }] = await org().query(`SELECT id FROM party_org WHERE kind = 'DISTRICT_COMMITTEE'`);
    // 500 units with 50 members each: 500 × 500 would be over the gateway's cost limit (QUERY_TOO_COSTLY).
    const mine: any = await platform.query(secretaryA, ASSESSMENT, { year: 2026, org: districtCommittee, first: 500, members: 50 });
    expect(mine.errors).toBeUndefined();
    const seen = new Set(mine.data.unitAnnualAssessment.edges.flatMap((e: any) => e.node.members.edges.map((m: any) => m.node.memberId)));
    expect(seen.has(m1.id) && seen.has(m3.id)).toBe(true);
    expect(seen.has(m4.id)).toBe(false);
    const secretaryB = await secretaryOf(communityB);
    const theirs: any = await platform.query(secretaryB, ASSESSMENT, { year: 2026, org: departmentCommittee });
    expect(theirs.data.unitAnnualAssessment.edges[0].node).toMatchObject({ membersCounted: 0, averageIndex: null, shareAtLeast80: null });

    // Reading names in full is recorded.
    const [{ reads }] = await org().query(
      `SELECT count(*)::int AS reads FROM personal_data_access WHERE user_id = $1 AND entity = 'PartyMember' AND entity_ids @> ARRAY[$2::uuid]`,
      [`secretary-${communityA}`, m1.id],
    );
    expect(reads).toBeGreaterThan(0);

    const own = await platform.token([Role.PARTY_MEMBER], communityA, m1.userId);
    expect((await index(own, m1.id, MARCH)).score).toBe(78);
    expect(reasonOf(await platform.query(own, INDEX, { member: m2.id, month: MARCH }))).toBe('OWN_INDEX_ONLY');
    // The phone login member-<id> is the member's own (as households' check-ins know them); a bare member id is no login.
    const byLogin = await platform.token([Role.PARTY_MEMBER], communityA, partyMemberLogin(m2.id));
    expect((await index(byLogin, m2.id, MARCH)).score).toBe(47.5);
    const bareId = await platform.token([Role.PARTY_MEMBER], communityA, m2.id);
    expect(reasonOf(await platform.query(bareId, INDEX, { member: m2.id, month: MARCH }))).toBe('OWN_INDEX_ONLY');
    expect(reasonOf(await platform.query(own, RANKING, { month: MARCH, org: communityBranchA }))).toBe('OWN_INDEX_ONLY');
    const resident = await platform.token([Role.RESIDENT], communityA, 'resident-1', m1Household);
    expect(reasonOf(await platform.query(resident, INDEX, { member: m1.id, month: MARCH }))).toBe('MISSING_PERMISSION');
  });

  it('applies a new formula version from its month on, leaving earlier months as they were', async () => {
    const v2Input = {
      effectiveFrom: '2099-01',
      description: '加大家庭评定权重',
      householdGradeMaximum: 40,
      qualifiedPoints: 40,
      basicallyQualifiedPoints: 20,
      unqualifiedPoints: 0,
      checkInsMaximum: 20,
      dutiesMaximum: 20,
      volunteerHoursMaximum: 20,
      volunteerFullAtHours: 2,
    };
    const street = await platform.token([Role.STREET_ADMIN], platform.plan.streets[0].id);
    expect(reasonOf(await platform.query(street, CREATE_FORMULA, { input: v2Input }))).toBe('MISSING_PERMISSION');
    for (const [input, reason] of [
      [{ ...v2Input, effectiveFrom: '2026-01' }, 'NOT_A_FUTURE_MONTH'],
      [{ ...v2Input, effectiveFrom: '2099-13' }, 'INVALID_MONTH'],
      [{ ...v2Input, checkInsMaximum: 10 }, 'MAXIMA_NOT_100'],
      [{ ...v2Input, qualifiedPoints: 45 }, 'INVALID_WEIGHT'],
      [{ ...v2Input, volunteerFullAtHours: 0 }, 'INVALID_WEIGHT'],
    ] as const) {
      const response = await platform.query(admin, CREATE_FORMULA, { input });
      expect({ reason: reasonOf(response), codes: errorCodes(response) }).toEqual({ reason, codes: ['BAD_USER_INPUT'] });
    }
    const created: any = await platform.query(admin, CREATE_FORMULA, { input: v2Input });
    expect(created.errors).toBeUndefined();
    expect(created.data.createVanguardFormula).toMatchObject({
      version: 2,
      effectiveFrom: '2099-01',
      parts: [{ part: 'HOUSEHOLD_GRADE', maximum: 40 }, {}, {}, {}],
    });
    expect(reasonOf(await platform.query(admin, CREATE_FORMULA, { input: v2Input }))).toBe('FORMULA_MONTH_TAKEN');

    // March keeps version 1 and its scores, even when computed again.
    const again: any = await platform.query(admin, COMPUTE, { month: MARCH });
    expect(again.data.computeVanguardIndex).toMatchObject({ formulaVersion: 1, changed: 0 });
    expect(await index(admin, m1.id, MARCH)).toMatchObject({ formulaVersion: 1, score: 78 });

    // January 2099: m1 合格 40 (of 40), no check-ins 0 (of 20), no duties, 1 hour → 10 (of 20): 50 of 80 = 62.5.
    await grade(m1.id, '2099-01', 'GRADED', 'QUALIFIED');
    await volunteering(m1.id, '2099-01', 1);
    const later: any = await platform.query(admin, COMPUTE, { month: '2099-01' });
    expect(later.data.computeVanguardIndex.formulaVersion).toBe(2);
    const v2 = await index(admin, m1.id, '2099-01');
    expect(v2).toMatchObject({ formulaVersion: 2, score: 62.5 });
    expect(byPart(v2.parts)).toMatchObject({
      HOUSEHOLD_GRADE: { points: 40, maximum: 40 },
      VOLUNTEER_HOURS: { points: 10, fullAtHours: 2 },
    });
  });
  it('sends a week of many members in events of at most 500 members', async () => {
    // 600 more party members in households, for a week long before the others'.
    await households().query(
      `INSERT INTO resident (household_id, name, occupation, party_member_id, birth_date)
       SELECT $1, '党员' || n, 'EMPLOYED', gen_random_uuid(), DATE '1980-03-01' FROM generate_series(1, 600) AS n`,
      [m1Household],
    );
    const [{ members }] = await households().query(
      `SELECT count(DISTINCT party_member_id)::int AS members FROM resident WHERE party_member_id IS NOT NULL`,
    );
    const eventsOf = (week: string): Promise<{ members: number }[]> =>
      households().query(
        `SELECT json_array_length(payload->'members') AS members FROM outbox_event WHERE type = $1 AND payload->>'week' = $2`,
        [EventType.PartyMemberCheckInsSummarised, week],
      );
    await fireWeeklyJob('2025-01-06', async () => {
      const [{ copied }] = await org().query(`SELECT count(*)::int AS copied FROM member_check_in_week WHERE week = '2024-12-30'`);
      return copied === members;
    });
    const events = await eventsOf('2024-12-30');
    expect(events).toHaveLength(Math.ceil(members / 500));
    expect(events.every((e) => e.members <= 500)).toBe(true);
    expect(events.reduce((sum, e) => sum + e.members, 0)).toBe(members);
  });
});
