import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { Role } from '#libs/auth';
import type { DatabaseLogger } from '#libs/database';
import { ServiceName } from '#libs/messaging';
import { errorCodes, reasonOf } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';
import { HouseholdClaimService } from '../household-claim.service.js';

const CLAIM_FIELDS = `id labelZh claimantId claimantType tier month status claimedBy claimedAt endedAt releasedBy releaseReason upgradedMonth
  visitsThisMonth visitsRequired household { id address addressMasked }`;
const CLAIM = `mutation($h: ID!, $key: String!) { claimHousehold(householdId: $h, idempotencyKey: $key) { ${CLAIM_FIELDS} } }`;
const ASSIGN = `mutation($h: ID!, $who: String!, $type: ClaimantType!) {
  assignHouseholdClaim(householdId: $h, claimantId: $who, claimantType: $type) { ${CLAIM_FIELDS} } }`;
const RELEASE = `mutation($id: ID!, $reason: String!) { releaseHouseholdClaim(claimId: $id, reason: $reason) { ${CLAIM_FIELDS} } }`;
const CLAIM_BY_ID = `query($id: ID!) { householdClaim(id: $id) { ${CLAIM_FIELDS} } }`;
const CLAIMS = `query($org: ID, $status: ClaimStatus, $mine: Boolean, $first: Int, $after: String) {
  householdClaims(orgUnitId: $org, status: $status, mine: $mine, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${CLAIM_FIELDS} } } } }`;
const VISIT = `mutation($input: RecordFollowUpVisitInput!, $key: String!) {
  recordFollowUpVisit(input: $input, idempotencyKey: $key) { id labelZh claimId visitedAt outcome outcomeLabelZh note recordedBy } }`;
const VISITS = `query($claim: ID!) { followUpVisits(claimId: $claim) { totalCount edges { node { id visitedAt outcome note } } } }`;
const PLANS = `{ outreachPlans { tier labelZh visitsPerMonth actions description version updatedBy } }`;
const UPDATE_PLAN = `mutation($input: UpdateOutreachPlanInput!) {
  updateOutreachPlan(input: $input) { tier visitsPerMonth actions description version updatedBy } }`;
const UPGRADES = `query($org: ID!, $month: String!, $first: Int, $after: String) {
  householdUpgrades(orgUnitId: $org, month: $month, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { labelZh month claimed claimantType household { id } claim { id status upgradedMonth claimantId } } } } }`;
const COUNT = `query($org: ID!, $from: String!, $to: String!) {
  upgradeCount(orgUnitId: $org, fromMonth: $from, toMonth: $to) {
    fromMonth toMonth households upgrades claimed claimedByPartyMembers claimedByVolunteers } }`;

type Grade = 'QUALIFIED' | 'BASICALLY_QUALIFIED' | 'UNQUALIFIED' | 'NO_EVIDENCE';
interface HouseholdRow {
  id: string;
  path: string[];
}

const key = (prefix: string) => `${prefix}-${randomUUID()}`;

describe('tiered management (分档管理) through the gateway', () => {
  let platform: TestPlatform;
  let ruleSetId: string;
  let streetA: string;
  let streetB: string;
  /** Households of street A not used by any test yet; each test takes its own. */
  let poolA: HouseholdRow[];
  let poolB: HouseholdRow[];

  const db = () => platform.database(ServiceName.Households);
  const take = (pool: HouseholdRow[]) => {
    const household = pool.shift();
    if (!household) throw new Error('The test district ran out of households');
    return household;
  };
  /** The community (社区) a household lives in: its compound's parent. */
  const communityOf = (household: HouseholdRow) => household.path[household.path.length - 2];

  /** Arranges a monthly grade as the evaluation would write it. */
  async function grade(householdId: string, month: string, value: Grade): Promise<void> {
    await db().query(
      `INSERT INTO monthly_grade (month, household_id, status, grade, inspection_count, reasons, rule_set_id, rule_version, run_id)
       VALUES ($1::date, $2, $3, $4, $5, '[]', $6, 1, $7)`,
      [
        `${month}-01`,
        householdId,
        value === 'NO_EVIDENCE' ? 'NO_EVIDENCE' : 'GRADED',
        value === 'NO_EVIDENCE' ? null : value,
        value === 'NO_EVIDENCE' ? 0 : 2,
        ruleSetId,
        randomUUID(),
      ],
    );
  }

  const count = async (sql: string, params: unknown[] = []): Promise<number> => (await db().query(sql, params))[0].count;
  const claimCount = () => count(`SELECT count(*)::int AS count FROM household_claim`);
  const visitCount = () => count(`SELECT count(*)::int AS count FROM follow_up_visit`);

  const member = (sub: string, orgUnitId = streetA) => platform.token([Role.PARTY_MEMBER], orgUnitId, sub);
  const volunteer = (sub: string, orgUnitId = streetA) => platform.token([Role.VOLUNTEER], orgUnitId, sub);
  const secretaryOf = (household: HouseholdRow, sub = 'secretary-1') =>
    platform.token([Role.COMMUNITY_SECRETARY], communityOf(household), sub);

  async function claimAs(token: string, householdId: string): Promise<any> {
    const response: any = await platform.query(token, CLAIM, { h: householdId, key: key('claim') });
    expect(response.errors).toBeUndefined();
    return response.data.claimHousehold;
  }

  async function visit(token: string, claimId: string, visitedAt: Date, outcome = 'EXPLAINED', idempotencyKey = key('visit')) {
    return platform.query(token, VISIT, {
      input: { claimId, visitedAt: visitedAt.toISOString(), outcome, note: '讲解了厨余垃圾分类' },
      key: idempotencyKey,
    });
  }

  beforeAll(async () => {
    // households runs in this process so the test can count its SQL and call closeClaimsOfUpgradedHouseholds.
    platform = await startPlatform({ inProcess: ServiceName.Households, households: 400 });
    [streetA, streetB] = platform.plan.streets.map((street) => street.id);
    [{ id: ruleSetId }] = await db().query(`SELECT id FROM grading_rule_set WHERE version = 1 AND district_id IS NULL`);
    // The demo grades its last two months; these tests arrange every grade themselves.
    await db().query(`DELETE FROM monthly_grade`);
    const households: HouseholdRow[] = await db().query(
      `SELECT h.id, t.path::text[] AS path FROM household h JOIN territory_unit t ON t.id = h.compound_id ORDER BY t.path, h.id`,
    );
    poolA = households.filter((h) => h.path.includes(streetA));
    poolB = households.filter((h) => h.path.includes(streetB));
  });

  afterAll(() => platform.stop());

  describe('outreach plans (帮扶方案)', () => {
    it('come with a plan per lower tier that party members can read', async () => {
      const response: any = await platform.query(await member('member-plans'), PLANS);
      expect(response.errors).toBeUndefined();
      expect(response.data.outreachPlans).toEqual([
        expect.objectContaining({
          tier: 'UNQUALIFIED',
          labelZh: '不合格户帮扶方案',
          visitsPerMonth: 4,
          version: 1,
          updatedBy: 'migration',
        }),
        expect.objectContaining({ tier: 'BASICALLY_QUALIFIED', labelZh: '基本合格户帮扶方案', visitsPerMonth: 2, version: 1 }),
      ]);
      expect(response.data.outreachPlans[0].actions).toEqual(['入户讲解分类知识', '桶边陪同投放', '两周内复查']);
    });

    it('are changed by a district administrator, version by version', async () => {
      const admin = await platform.token([Role.DISTRICT_ADMIN], null, 'district-admin-1');
      const input = {
        tier: 'BASICALLY_QUALIFIED',
        visitsPerMonth: 3,
        actions: [' 入户提醒 ', '桶边督导'],
        description: '基本合格户每月回访3次。',
        expectedVersion: 1,
      };
      const response: any = await platform.query(admin, UPDATE_PLAN, { input });
      expect(response.errors).toBeUndefined();
      expect(response.data.updateOutreachPlan).toEqual({
        tier: 'BASICALLY_QUALIFIED',
        visitsPerMonth: 3,
        actions: ['入户提醒', '桶边督导'],
        description: '基本合格户每月回访3次。',
        version: 2,
        updatedBy: 'district-admin-1',
      });

      const stale = await platform.query(admin, UPDATE_PLAN, { input: { ...input, visitsPerMonth: 5 } });
      expect(errorCodes(stale)).toEqual(['CONFLICT']);
      expect(reasonOf(stale)).toBe('STALE_VERSION');
      const plans: any = await platform.query(admin, PLANS);
      expect(plans.data.outreachPlans[1]).toMatchObject({ visitsPerMonth: 3, version: 2 });
    });

    it.each([
      ['no visits', { visitsPerMonth: 0 }, 'INVALID_VISITS_PER_MONTH'],
      ['no actions', { actions: [] }, 'INVALID_ACTIONS'],
      ['a blank action', { actions: ['入户讲解', '  '] }, 'INVALID_ACTIONS'],
      ['an empty description', { description: ' ' }, 'INVALID_DESCRIPTION'],
    ])('refuse %s and keep the plan as it was', async (_case, change, reason) => {
      const admin = await platform.token([Role.DISTRICT_ADMIN]);
      const before: any = await platform.query(admin, PLANS);
      const response = await platform.query(admin, UPDATE_PLAN, {
        input: { tier: 'UNQUALIFIED', visitsPerMonth: 6, actions: ['入户讲解'], description: '不合格户', ...change },
      });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(reasonOf(response)).toBe(reason);
      expect(((await platform.query(admin, PLANS)) as any).data).toEqual(before.data);
    });

    it('may be changed only by roles that manage them', async () => {
      const input = { tier: 'UNQUALIFIED', visitsPerMonth: 1, actions: ['入户讲解'], description: '不合格户' };
      for (const token of [await platform.token([Role.STREET_ADMIN], streetA), await member('member-plans')]) {
        expect(errorCodes(await platform.query(token, UPDATE_PLAN, { input }))).toEqual(['FORBIDDEN']);
      }
      expect(
        errorCodes(await platform.query(await platform.token([Role.RESIDENT], communityOf(poolA[0]), 'resident-1', poolA[0].id), PLANS)),
      ).toEqual(['FORBIDDEN']);
    });
  });

  describe('claims (认领)', () => {
    it('lets a party member claim an unqualified household (党员认领) and a volunteer a basically qualified one (骨干包干)', async () => {
      const [unqualified, basic] = [take(poolA), take(poolA)];
      await grade(unqualified.id, '2026-01', 'QUALIFIED');
      await grade(unqualified.id, '2026-02', 'UNQUALIFIED');
      await grade(basic.id, '2026-02', 'BASICALLY_QUALIFIED');

      const byMember = await claimAs(await member('member-1'), unqualified.id);
      expect(byMember).toMatchObject({
        labelZh: '党员认领',
        claimantId: 'member-1',
        claimantType: 'PARTY_MEMBER',
        claimedBy: 'member-1',
        tier: 'UNQUALIFIED',
        month: '2026-02',
        status: 'ACTIVE',
        endedAt: null,
        visitsThisMonth: 0,
        visitsRequired: 4,
        // Party members do not read personal data: the room is masked.
        household: { id: unqualified.id, addressMasked: true },
      });
      expect(byMember.household.address).toMatch(/\*\*\*室$/);

      const byVolunteer = await claimAs(await volunteer('volunteer-1'), basic.id);
      expect(byVolunteer).toMatchObject({
        labelZh: '骨干包干',
        claimantType: 'VOLUNTEER',
        tier: 'BASICALLY_QUALIFIED',
        month: '2026-02',
        visitsRequired: 3,
      });

      const mine: any = await platform.query(await member('member-1'), CLAIMS, { mine: true });
      expect(mine.data.householdClaims.edges.map((e: any) => e.node.id)).toEqual([byMember.id]);

      const household: any = await platform.query(
        await secretaryOf(unqualified),
        `query($id: ID!) { household(id: $id) { activeClaim { id claimantType } } }`,
        { id: unqualified.id },
      );
      expect(household.data.household.activeClaim).toEqual({ id: byMember.id, claimantType: 'PARTY_MEMBER' });
    });

    it.each<[string, Grade[]]>([
      ['qualified in its latest month', ['UNQUALIFIED', 'QUALIFIED']],
      ['without evidence in its latest month', ['UNQUALIFIED', 'NO_EVIDENCE']],
      ['never graded', []],
    ])('refuses a household %s and writes nothing', async (_case, grades) => {
      const household = take(poolA);
      for (const [i, value] of grades.entries()) await grade(household.id, `2026-0${i + 1}`, value);
      const before = await claimCount();
      const idempotencyKey = key('claim');
      const response = await platform.query(await member('member-1'), CLAIM, { h: household.id, key: idempotencyKey });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(reasonOf(response)).toBe('NOT_IN_A_CLAIMABLE_TIER');
      expect(await claimCount()).toBe(before);
      expect(await count(`SELECT count(*)::int AS count FROM idempotency_record WHERE key = $1`, [idempotencyKey])).toBe(0);
    });

    it('keeps one active claim per household', async () => {
      const household = take(poolA);
      await grade(household.id, '2026-02', 'UNQUALIFIED');
      const first = await claimAs(await member('member-2'), household.id);
      const second = await platform.query(await volunteer('volunteer-2'), CLAIM, { h: household.id, key: key('claim') });
      expect(errorCodes(second)).toEqual(['CONFLICT']);
      expect(second.errors![0].extensions).toMatchObject({
        reason: 'ALREADY_CLAIMED',
        details: { claimId: first.id, claimantType: 'PARTY_MEMBER' },
      });
    });

    it('lets exactly one of several concurrent claims win', async () => {
      const household = take(poolA);
      await grade(household.id, '2026-02', 'UNQUALIFIED');
      const tokens: string[] = [];
      for (let i = 0; i < 6; i++) tokens.push(await (i % 2 ? volunteer(`racer-${i}`) : member(`racer-${i}`)));
      const responses = await Promise.all(tokens.map((token) => platform.query(token, CLAIM, { h: household.id, key: key('race') })));
      const winners = responses.filter((r) => !r.errors);
      expect(winners).toHaveLength(1);
      const winner = (winners[0].data as any).claimHousehold;
      for (const loser of responses.filter((r) => r.errors)) {
        expect(errorCodes(loser)).toEqual(['CONFLICT']);
        expect(loser.errors![0].extensions).toMatchObject({ reason: 'ALREADY_CLAIMED', details: { claimId: winner.id } });
      }
      expect(await count(`SELECT count(*)::int AS count FROM household_claim WHERE household_id = $1`, [household.id])).toBe(1);
    });

    it('answers a retried claim with the same claim, also while the first is still running', async () => {
      const [household, other] = [take(poolA), take(poolA)];
      await grade(household.id, '2026-02', 'UNQUALIFIED');
      await grade(other.id, '2026-02', 'UNQUALIFIED');
      const token = await member('member-retry');
      const idempotencyKey = key('claim');
      const responses: any[] = await Promise.all([1, 2].map(() => platform.query(token, CLAIM, { h: household.id, key: idempotencyKey })));
      const retry: any = await platform.query(token, CLAIM, { h: household.id, key: idempotencyKey });
      for (const response of [...responses, retry]) expect(response.errors).toBeUndefined();
      expect(new Set([...responses, retry].map((r) => r.data.claimHousehold.id)).size).toBe(1);
      expect(await count(`SELECT count(*)::int AS count FROM household_claim WHERE household_id = $1`, [household.id])).toBe(1);

      const reused = await platform.query(token, CLAIM, { h: other.id, key: idempotencyKey });
      expect(errorCodes(reused)).toEqual(['CONFLICT']);
      expect(reasonOf(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await count(`SELECT count(*)::int AS count FROM household_claim WHERE household_id = $1`, [other.id])).toBe(0);
    });

    it('lets a community secretary assign a claim, and keeps secretaries from claiming and claimants from assigning', async () => {
      const household = take(poolA);
      await grade(household.id, '2026-02', 'UNQUALIFIED');
      const secretary = await secretaryOf(household);
      const assigned: any = await platform.query(secretary, ASSIGN, { h: household.id, who: 'volunteer-7', type: 'VOLUNTEER' });
      expect(assigned.errors).toBeUndefined();
      expect(assigned.data.assignHouseholdClaim).toMatchObject({
        claimantId: 'volunteer-7',
        claimantType: 'VOLUNTEER',
        claimedBy: 'secretary-1',
        status: 'ACTIVE',
        // A secretary reads exact addresses.
        household: { id: household.id, addressMasked: false },
      });
      // The volunteer it was assigned to records visits under it.
      const visited = await visit(await volunteer('volunteer-7'), assigned.data.assignHouseholdClaim.id, new Date());
      expect(visited.errors).toBeUndefined();

      const other = take(poolA);
      await grade(other.id, '2026-02', 'UNQUALIFIED');
      const before = await claimCount();
      const bySecretary = await platform.query(await secretaryOf(other), CLAIM, { h: other.id, key: key('claim') });
      expect(errorCodes(bySecretary)).toEqual(['FORBIDDEN']);
      expect(reasonOf(bySecretary)).toBe('NOT_A_CLAIMANT');
      const byMember = await platform.query(await member('member-3'), ASSIGN, { h: other.id, who: 'member-4', type: 'PARTY_MEMBER' });
      expect(errorCodes(byMember)).toEqual(['FORBIDDEN']);
      expect(reasonOf(byMember)).toBe('SECRETARY_ONLY');
      const blank = await platform.query(await secretaryOf(other), ASSIGN, { h: other.id, who: '  ', type: 'PARTY_MEMBER' });
      expect(reasonOf(blank)).toBe('INVALID_CLAIMANT');
      const inspector = await platform.query(await platform.token([Role.INSPECTOR], streetA), CLAIM, { h: other.id, key: key('claim') });
      expect(errorCodes(inspector)).toEqual(['FORBIDDEN']);
      expect(await claimCount()).toBe(before);
    });

    it('is released by its claimant or a secretary, after which the household can be claimed again', async () => {
      const household = take(poolA);
      await grade(household.id, '2026-02', 'UNQUALIFIED');
      const claimant = await member('member-5');
      const claim = await claimAs(claimant, household.id);

      const byOther = await platform.query(await member('member-6'), RELEASE, { id: claim.id, reason: '想换一户' });
      expect(errorCodes(byOther)).toEqual(['FORBIDDEN']);
      expect(reasonOf(byOther)).toBe('NOT_YOUR_CLAIM');
      expect(reasonOf(await platform.query(claimant, RELEASE, { id: claim.id, reason: ' ' }))).toBe('INVALID_REASON');

      const released: any = await platform.query(claimant, RELEASE, { id: claim.id, reason: '工作调动，无法继续入户' });
      expect(released.errors).toBeUndefined();
      expect(released.data.releaseHouseholdClaim).toMatchObject({
        status: 'RELEASED',
        releasedBy: 'member-5',
        releaseReason: '工作调动，无法继续入户',
      });
      expect(released.data.releaseHouseholdClaim.endedAt).not.toBeNull();

      const again = await platform.query(claimant, RELEASE, { id: claim.id, reason: '重复' });
      expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
      expect(reasonOf(again)).toBe('CLAIM_NOT_ACTIVE');
      const visitsBefore = await visitCount();
      const late = await visit(claimant, claim.id, new Date());
      expect(errorCodes(late)).toEqual(['BAD_USER_INPUT']);
      expect(reasonOf(late)).toBe('CLAIM_NOT_ACTIVE');
      expect(await visitCount()).toBe(visitsBefore);

      const next = await claimAs(await member('member-6'), household.id);
      const bySecretary: any = await platform.query(await secretaryOf(household), RELEASE, { id: next.id, reason: '社区统一调整认领' });
      expect(bySecretary.data.releaseHouseholdClaim).toMatchObject({ status: 'RELEASED', releasedBy: 'secretary-1' });
    });

    it('keeps households of another street out of reach', async () => {
      const [mine, theirs] = [take(poolA), take(poolB)];
      await grade(mine.id, '2026-02', 'UNQUALIFIED');
      await grade(theirs.id, '2026-02', 'UNQUALIFIED');
      const before = await claimCount();
      const response = await platform.query(await member('member-1'), CLAIM, { h: theirs.id, key: key('claim') });
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
      expect(reasonOf(response)).toBe('OUT_OF_SCOPE');
      expect(await claimCount()).toBe(before);

      const claimB = await claimAs(await member('member-b', streetB), theirs.id);
      const streetAdmin = await platform.token([Role.STREET_ADMIN], streetA);
      expect(errorCodes(await platform.query(streetAdmin, CLAIM_BY_ID, { id: claimB.id }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await visit(await member('member-1'), claimB.id, new Date()))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await platform.query(streetAdmin, CLAIMS, { org: streetB }))).toEqual(['FORBIDDEN']);
      const listed: any = await platform.query(streetAdmin, CLAIMS, { first: 500 });
      expect(listed.data.householdClaims.edges.some((e: any) => e.node.id === claimB.id)).toBe(false);
      expect(listed.data.householdClaims.totalCount).toBeGreaterThan(0);
    });
  });

  describe('follow-up visits (入户回访)', () => {
    it("counts this month's visits against the plan of the claim's tier", async () => {
      const household = take(poolA);
      await grade(household.id, '2026-02', 'UNQUALIFIED');
      const claimant = await member('member-visits');
      const claim = await claimAs(claimant, household.id);
      // Arranged: the claim was made 40 days ago, so a visit can fall in an earlier month.
      await db().query(`UPDATE household_claim SET claimed_at = now() - interval '40 days' WHERE id = $1`, [claim.id]);
      const day = 24 * 3600_000;

      const early = await visit(claimant, claim.id, new Date(Date.now() - 35 * day), 'NOT_HOME');
      expect(early.errors).toBeUndefined();
      const explained: any = await visit(claimant, claim.id, new Date(Date.now() - 1000), 'EXPLAINED');
      expect(explained.data.recordFollowUpVisit).toMatchObject({
        labelZh: '入户回访',
        claimId: claim.id,
        outcome: 'EXPLAINED',
        outcomeLabelZh: '已上门讲解',
        note: '讲解了厨余垃圾分类',
        recordedBy: 'member-visits',
      });
      // A community secretary may record visits under someone else's claim.
      expect((await visit(await secretaryOf(household), claim.id, new Date(), 'ACCOMPANIED_AT_BIN')).errors).toBeUndefined();

      const read: any = await platform.query(claimant, CLAIM_BY_ID, { id: claim.id });
      expect(read.data.householdClaim).toMatchObject({ visitsThisMonth: 2, visitsRequired: 4 });
      const visits: any = await platform.query(claimant, VISITS, { claim: claim.id });
      expect(visits.data.followUpVisits.totalCount).toBe(3);
      expect(visits.data.followUpVisits.edges.map((e: any) => e.node.outcome)).toEqual(['NOT_HOME', 'EXPLAINED', 'ACCOMPANIED_AT_BIN']);
    });

    it.each([
      ['in the future', () => new Date(Date.now() + 3600_000), 'VISIT_IN_FUTURE'],
      ['before the claim', () => new Date(Date.now() - 3600_000), 'VISIT_BEFORE_CLAIM'],
    ])('refuses a visit %s and writes nothing', async (_case, visitedAt, reason) => {
      const household = take(poolA);
      await grade(household.id, '2026-02', 'UNQUALIFIED');
      const claimant = await member('member-bad-visit');
      const claim = await claimAs(claimant, household.id);
      const before = await visitCount();
      const response = await visit(claimant, claim.id, visitedAt());
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(reasonOf(response)).toBe(reason);
      expect(await visitCount()).toBe(before);
      const other = await visit(await member('member-not-claimant'), claim.id, new Date());
      expect(reasonOf(other)).toBe('NOT_YOUR_CLAIM');
      expect(await visitCount()).toBe(before);
    });

    it('records a retried visit once', async () => {
      const household = take(poolA);
      await grade(household.id, '2026-02', 'BASICALLY_QUALIFIED');
      const claimant = await volunteer('volunteer-retry');
      const claim = await claimAs(claimant, household.id);
      const idempotencyKey = key('visit');
      const visitedAt = new Date();
      const first: any = await visit(claimant, claim.id, visitedAt, 'EXPLAINED', idempotencyKey);
      const retry: any = await visit(claimant, claim.id, visitedAt, 'EXPLAINED', idempotencyKey);
      expect(first.errors).toBeUndefined();
      expect(retry.data.recordFollowUpVisit.id).toBe(first.data.recordFollowUpVisit.id);
      const read: any = await platform.query(claimant, CLAIM_BY_ID, { id: claim.id });
      expect(read.data.householdClaim.visitsThisMonth).toBe(1);
      expect(errorCodes(await visit(claimant, claim.id, visitedAt, 'REFUSED', idempotencyKey))).toEqual(['CONFLICT']);
      expect(await count(`SELECT count(*)::int AS count FROM follow_up_visit WHERE claim_id = $1`, [claim.id])).toBe(1);
    });

    it('resolves visit counts, plans and households of a page of claims with one query each', async () => {
      const logger = platform.inProcessApp!.get(DataSource).logger as DatabaseLogger;
      const statements: string[] = [];
      const stop = logger.observe((sql) => statements.push(sql));
      let response: any;
      try {
        response = await platform.query(await platform.token([Role.STREET_ADMIN], streetA), CLAIMS, { first: 20 });
      } finally {
        stop();
      }
      expect(response.errors).toBeUndefined();
      const claims = response.data.householdClaims.edges.map((e: any) => e.node);
      expect(claims.length).toBeGreaterThan(5);
      expect(new Set(claims.map((c: any) => c.tier))).toEqual(new Set(['UNQUALIFIED', 'BASICALLY_QUALIFIED']));
      expect(claims.some((c: any) => c.visitsThisMonth > 0)).toBe(true);
      expect(statements.filter((sql) => sql.includes('FROM follow_up_visit'))).toHaveLength(1);
      expect(statements.filter((sql) => sql.includes('FROM outreach_plan'))).toHaveLength(1);
      expect(statements.filter((sql) => /FROM household h JOIN territory_unit/.test(sql))).toHaveLength(1);
    });
  });

  describe('upgrades (不合格 → 合格)', () => {
    // Grades of 2024, a year no other test grades, so counts here are exact.
    let upgradedWithMember: HouseholdRow;
    let upgradedAlone: HouseholdRow;
    let upgradedWithVolunteer: HouseholdRow;
    let memberClaim: any;
    let volunteerClaim: any;
    let laterClaim: any;

    const close = (month: string) => {
      const app = platform.inProcessApp!;
      return app.get(DataSource).transaction((manager) => app.get(HouseholdClaimService).closeClaimsOfUpgradedHouseholds(manager, month));
    };

    beforeAll(async () => {
      upgradedWithMember = take(poolA);
      upgradedAlone = take(poolA);
      upgradedWithVolunteer = take(poolA);
      const basicToQualified = take(poolA);
      const claimedAfter = take(poolA);
      const elsewhere = take(poolB);

      await grade(upgradedWithMember.id, '2024-03', 'UNQUALIFIED');
      await grade(upgradedAlone.id, '2024-03', 'UNQUALIFIED');
      await grade(basicToQualified.id, '2024-03', 'BASICALLY_QUALIFIED');
      await grade(upgradedWithVolunteer.id, '2024-04', 'UNQUALIFIED');
      await grade(elsewhere.id, '2024-03', 'UNQUALIFIED');
      await grade(claimedAfter.id, '2024-04', 'QUALIFIED');
      await grade(claimedAfter.id, '2024-05', 'UNQUALIFIED');
      memberClaim = await claimAs(await member('member-up'), upgradedWithMember.id);
      volunteerClaim = await claimAs(await volunteer('volunteer-up'), upgradedWithVolunteer.id);
      laterClaim = await claimAs(await member('member-later'), claimedAfter.id);

      // The evaluation grades April, then May, then June.
      await grade(upgradedWithMember.id, '2024-04', 'QUALIFIED');
      await grade(upgradedAlone.id, '2024-04', 'QUALIFIED');
      await grade(basicToQualified.id, '2024-04', 'QUALIFIED');
      await grade(elsewhere.id, '2024-04', 'QUALIFIED');
      await grade(upgradedWithVolunteer.id, '2024-05', 'QUALIFIED');
      await grade(upgradedWithMember.id, '2024-05', 'UNQUALIFIED');
      await grade(upgradedWithMember.id, '2024-06', 'QUALIFIED');
    });

    it('closes the active claims of households graded QUALIFIED for a month, in one statement, once', async () => {
      const logger = platform.inProcessApp!.get(DataSource).logger as DatabaseLogger;
      const statements: string[] = [];
      const stop = logger.observe((sql) => statements.push(sql));
      let closed: number;
      try {
        closed = await close('2024-04');
      } finally {
        stop();
      }
      expect(closed).toBe(1);
      expect(statements.filter((sql) => sql.includes('household_claim'))).toHaveLength(1);

      const token = await platform.token([Role.STREET_ADMIN], streetA);
      const read = async (id: string) => ((await platform.query(token, CLAIM_BY_ID, { id })) as any).data.householdClaim;
      const upgraded = await read(memberClaim.id);
      expect(upgraded).toMatchObject({ status: 'UPGRADED', upgradedMonth: '2024-04', releaseReason: null });
      expect(upgraded.endedAt).not.toBeNull();
      // Still unqualified in April, and claimed for May's grade (after April's QUALIFIED): both stay active.
      expect(await read(volunteerClaim.id)).toMatchObject({ status: 'ACTIVE', upgradedMonth: null });
      expect(await read(laterClaim.id)).toMatchObject({ status: 'ACTIVE' });

      expect(await close('2024-04')).toBe(0);
      expect(await close('2024-05')).toBe(1);
      expect(await read(volunteerClaim.id)).toMatchObject({ status: 'UPGRADED', upgradedMonth: '2024-05' });
      expect(await read(laterClaim.id)).toMatchObject({ status: 'ACTIVE' });
      await expect(close('2024-5')).rejects.toMatchObject({ reason: 'INVALID_MONTH' });
    });

    it('lists the households upgraded in a month, with the claim they had', async () => {
      const token = await platform.token([Role.STREET_ADMIN], streetA);
      const april: any = await platform.query(token, UPGRADES, { org: streetA, month: '2024-04' });
      expect(april.errors).toBeUndefined();
      expect(april.data.householdUpgrades.totalCount).toBe(2);
      const nodes = april.data.householdUpgrades.edges.map((e: any) => e.node);
      expect(nodes).toEqual(
        expect.arrayContaining([
          {
            labelZh: '不合格户升为合格户',
            month: '2024-04',
            claimed: true,
            claimantType: 'PARTY_MEMBER',
            household: { id: upgradedWithMember.id },
            claim: { id: memberClaim.id, status: 'UPGRADED', upgradedMonth: '2024-04', claimantId: 'member-up' },
          },
          {
            labelZh: '不合格户升为合格户',
            month: '2024-04',
            claimed: false,
            claimantType: null,
            household: { id: upgradedAlone.id },
            claim: null,
          },
        ]),
      );

      const may: any = await platform.query(token, UPGRADES, { org: streetA, month: '2024-05' });
      expect(may.data.householdUpgrades.edges.map((e: any) => e.node)).toEqual([
        expect.objectContaining({ claimed: true, claimantType: 'VOLUNTEER', household: { id: upgradedWithVolunteer.id } }),
      ]);

      // Page by page, each upgrade once.
      const first: any = await platform.query(token, UPGRADES, { org: streetA, month: '2024-04', first: 1 });
      const second: any = await platform.query(token, UPGRADES, {
        org: streetA,
        month: '2024-04',
        first: 1,
        after: first.data.householdUpgrades.pageInfo.endCursor,
      });
      expect(first.data.householdUpgrades.pageInfo.hasNextPage).toBe(true);
      expect(second.data.householdUpgrades.pageInfo.hasNextPage).toBe(false);
      expect(
        new Set([...first.data.householdUpgrades.edges, ...second.data.householdUpgrades.edges].map((e: any) => e.node.household.id)),
      ).toEqual(new Set([upgradedWithMember.id, upgradedAlone.id]));
    });

    it('counts upgrades over a period of months', async () => {
      const token = await platform.token([Role.STREET_ADMIN], streetA);
      const period: any = await platform.query(token, COUNT, { org: streetA, from: '2024-01', to: '2024-12' });
      expect(period.errors).toBeUndefined();
      // April: two households; May: one; June: the April one again, after falling back in May.
      expect(period.data.upgradeCount).toEqual({
        fromMonth: '2024-01',
        toMonth: '2024-12',
        households: 3,
        upgrades: 4,
        claimed: 2,
        claimedByPartyMembers: 1,
        claimedByVolunteers: 1,
      });
      const may: any = await platform.query(token, COUNT, { org: streetA, from: '2024-05', to: '2024-05' });
      expect(may.data.upgradeCount).toMatchObject({ households: 1, upgrades: 1, claimed: 1, claimedByVolunteers: 1 });
      const district: any = await platform.query(await platform.token([Role.DISTRICT_ADMIN]), COUNT, {
        org: platform.plan.district.id,
        from: '2024-01',
        to: '2024-12',
      });
      expect(district.data.upgradeCount).toMatchObject({ households: 4, upgrades: 5 });
    });

    it('refuses malformed months, reversed periods and other streets', async () => {
      const token = await platform.token([Role.STREET_ADMIN], streetA);
      for (const month of ['2024-13', '2024-4', '2024-04-01']) {
        const response = await platform.query(token, UPGRADES, { org: streetA, month });
        expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
        expect(reasonOf(response)).toBe('INVALID_MONTH');
      }
      expect(reasonOf(await platform.query(token, COUNT, { org: streetA, from: '2024-01', to: 'june' }))).toBe('INVALID_MONTH');
      expect(reasonOf(await platform.query(token, COUNT, { org: streetA, from: '2024-06', to: '2024-01' }))).toBe('ENDS_BEFORE_START');
      expect(errorCodes(await platform.query(token, UPGRADES, { org: streetB, month: '2024-04' }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await platform.query(token, COUNT, { org: streetB, from: '2024-01', to: '2024-12' }))).toEqual(['FORBIDDEN']);
      // Party members have no statistics permission.
      expect(errorCodes(await platform.query(await member('member-1'), COUNT, { org: streetA, from: '2024-01', to: '2024-12' }))).toEqual([
        'FORBIDDEN',
      ]);
    });
  });
});
