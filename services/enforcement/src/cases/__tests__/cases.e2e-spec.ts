import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Queue } from 'bullmq';
import { Role } from '#libs/auth';
import { addDays, shanghaiDate, shanghaiMonth } from '#libs/calendar';
import { JobName, QueueName, ServiceName } from '#libs/messaging';
import { codeOf, fieldOf, platformQueue, reasonOf, uploadPhoto, waitForJob } from '#libs/testing';
import { seededHouseholds, startPlatform, type SeededHousehold, type TestPlatform } from '#tools/test-platform';

const CASE_FIELDS = `id targetKind targetKindLabelZh householdId institution { id } floatingPopulation orgUnit { id } state stateLabelZh
  article { code minFine maxFine appealWindowDays } evidence { description uploadIds inspectionIds }
  complyBy notice complied followUpNote fineAmount penaltyDecidedOn appealDeadline appealGrounds appealOutcome appealOutcomeLabelZh hearingNote
  history { fromState toState toStateLabelZh actor note }`;
const OPEN = `mutation($input: OpenCaseInput!) { openCase(input: $input) { ${CASE_FIELDS} } }`;
const NOTICE = `mutation($id: ID!, $complyBy: LocalDate!, $notice: String!) { issueRectificationNotice(caseId: $id, complyBy: $complyBy, notice: $notice) { ${CASE_FIELDS} } }`;
const FOLLOW_UP = `mutation($id: ID!, $complied: Boolean!, $note: String) { recordFollowUp(caseId: $id, complied: $complied, note: $note) { ${CASE_FIELDS} } }`;
const PENALISE = `mutation($id: ID!, $amount: Float!, $note: String!, $on: LocalDate) { penalise(caseId: $id, amount: $amount, decisionNote: $note, decidedOn: $on) { ${CASE_FIELDS} } }`;
const APPEAL = `mutation($id: ID!, $grounds: String!) { appealPenalty(caseId: $id, grounds: $grounds) { ${CASE_FIELDS} } }`;
const DECIDE = `mutation($id: ID!, $outcome: AppealOutcome!, $note: String!) { decideAppeal(caseId: $id, outcome: $outcome, hearingNote: $note) { ${CASE_FIELDS} } }`;
const CASE = `query($id: ID!) { case(id: $id) { ${CASE_FIELDS} } }`;
const CASES = `query($state: CaseState, $kind: CaseTargetKind, $org: ID, $first: Int, $after: String) {
  cases(state: $state, targetKind: $kind, orgUnitId: $org, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id state targetKind } } } }`;
const ASSESSMENT = `query($month: String!) { propertyCompanyAssessment(month: $month, first: 500) {
  edges { node { institutionId month score casesOpened casesNotRectified casesPenalised cases { id state } } } } }`;
const ASSESSMENT_OF = `query($id: ID!, $month: String!) { propertyCompanyAssessmentOf(institutionId: $id, month: $month) {
  institutionId score casesOpened casesNotRectified casesPenalised cases { id } } }`;

describe('enforcement cases with due process through the gateway', () => {
  let platform: TestPlatform;
  let queue: Queue;
  let officer: string;
  let compound: string;
  let households: SeededHousehold[];
  const today = shanghaiDate();

  const db = () => platform.database(ServiceName.Enforcement);
  const historyCount = async (id: string) =>
    (await db().query(`SELECT count(*)::int AS count FROM case_history WHERE case_id = $1`, [id]))[0].count as number;

  const ok = (token: string, query: string, variables: Record<string, unknown> = {}) => fieldOf(platform.query(token, query, variables));

  async function runJob(name: JobName, firedAt: string): Promise<void> {
    await waitForJob(queue, await queue.add(name, { firedAt }), `${name} fired at ${firedAt}`);
  }

  /**
   * A case against a seeded household no case named before (some tests count a household's cases), found at its
   * compound; `where` picks among them (by community, by floating population).
   */
  const householdInput = (change: Record<string, unknown> = {}, where: (h: SeededHousehold) => boolean = () => true) => {
    const index = households.findIndex(where);
    if (index < 0) throw new Error('No unused seeded household matches: seed more households');
    const [household] = households.splice(index, 1);
    return {
      targetKind: 'HOUSEHOLD',
      householdId: household.id,
      floatingPopulation: household.floatingPopulation,
      orgUnitId: household.compoundId,
      articleCode: 'NB-WASTE-63-1',
      evidenceDescription: '厨余垃圾桶内混有塑料袋和玻璃瓶',
      evidenceUploadIds: [],
      evidenceInspectionIds: [randomUUID()],
      ...change,
    };
  };
  const inCommunity = (community: string) => (h: SeededHousehold) => h.communityId === community;

  /** A case driven to NOT_RECTIFIED: notice, the follow-up job at the comply-by date, a failed follow-up. */
  async function notRectified(input: Record<string, unknown>): Promise<string> {
    const opened = await ok(officer, OPEN, { input });
    const complyBy = addDays(today, 1);
    await ok(officer, NOTICE, { id: opened.id, complyBy, notice: '请于明日前整改' });
    await runJob(JobName.CaseFollowUpDaily, `${complyBy}T00:45:00+08:00`);
    await ok(officer, FOLLOW_UP, { id: opened.id, complied: false, note: '复查仍未分类' });
    return opened.id;
  }

  beforeAll(async () => {
    platform = await startPlatform({ streets: 1, households: 120 });
    queue = platformQueue(platform, QueueName.EnforcementJobs);
    officer = await platform.token([Role.BUREAU_OFFICER]);
    compound = platform.plan.compounds[0].id;
    // The demo seed opens cases against some households: leave those out, so a household's cases are this test's.
    const withCases = new Set(
      (await db().query(`SELECT DISTINCT household_id AS id FROM enforcement_case WHERE household_id IS NOT NULL`)).map((r: any) => r.id),
    );
    households = (await seededHouseholds(platform)).filter((h) => !withCases.has(h.id));
  });

  // A hook per resource: each is released even when setup failed before the next one existed.
  afterAll(() => queue.close());
  afterAll(() => platform.stop());

  it('lists the regulation articles with their fine ranges', async () => {
    const articles = await ok(officer, `{ regulationArticles { code targetKinds minFine maxFine appealWindowDays } }`, {});
    expect(articles).toEqual(
      expect.arrayContaining([
        { code: 'NB-WASTE-63-1', targetKinds: ['HOUSEHOLD'], minFine: 50, maxFine: 200, appealWindowDays: 60 },
        { code: 'NB-WASTE-63-2', targetKinds: ['UNIT'], minFine: 5000, maxFine: 50000, appealWindowDays: 60 },
      ]),
    );
  });

  it('runs a household case from opening through rectification notice, the follow-up job, a penalty and an overturned appeal', async () => {
    // The officer's own photo, cited as the case's evidence.
    const input = householdInput({ evidenceUploadIds: [await uploadPhoto(platform, officer)] }, (h) => h.floatingPopulation);
    const opened = await ok(officer, OPEN, { input });
    expect(opened).toMatchObject({
      targetKind: 'HOUSEHOLD',
      targetKindLabelZh: '住户',
      householdId: input.householdId,
      institution: null,
      floatingPopulation: true,
      state: 'OPENED',
      stateLabelZh: '已立案',
      orgUnit: { id: input.orgUnitId },
      evidence: { description: input.evidenceDescription, uploadIds: input.evidenceUploadIds, inspectionIds: input.evidenceInspectionIds },
      history: [{ fromState: null, toState: 'OPENED', actor: 'test-bureau_officer' }],
    });

    const complyBy = addDays(today, 10);
    const noticed = await ok(officer, NOTICE, { id: opened.id, complyBy, notice: '请于十日内按规定分类投放' });
    expect(noticed).toMatchObject({ state: 'RECTIFICATION_NOTICE_ISSUED', complyBy, notice: '请于十日内按规定分类投放' });

    // The day before the comply-by date nothing happens; on it the case is due for its follow-up, once.
    await runJob(JobName.CaseFollowUpDaily, `${addDays(complyBy, -1)}T00:45:00+08:00`);
    expect((await ok(officer, CASE, { id: opened.id })).state).toBe('RECTIFICATION_NOTICE_ISSUED');
    await runJob(JobName.CaseFollowUpDaily, `${complyBy}T00:45:00+08:00`);
    await runJob(JobName.CaseFollowUpDaily, `${complyBy}T09:00:00+08:00`);
    const due = await ok(officer, CASE, { id: opened.id });
    expect(due.state).toBe('FOLLOW_UP_DUE');
    expect(due.history.map((h: any) => h.toState)).toEqual(['OPENED', 'RECTIFICATION_NOTICE_ISSUED', 'FOLLOW_UP_DUE']);
    expect(due.history[2].actor).toMatch(/^job:/);
    expect(
      await db().query(`SELECT due_on::text AS "dueOn", completed_at FROM case_follow_up_task WHERE case_id = $1`, [opened.id]),
    ).toEqual([{ dueOn: complyBy, completed_at: null }]);

    const failed = await ok(officer, FOLLOW_UP, { id: opened.id, complied: false, note: '复查仍未分类' });
    expect(failed).toMatchObject({ state: 'NOT_RECTIFIED', complied: false, followUpNote: '复查仍未分类' });

    for (const amount of [30, 200.5, 1000]) {
      const before = await historyCount(opened.id);
      const refused = await platform.query(officer, PENALISE, { id: opened.id, amount, note: '逾期未整改' });
      expect([codeOf(refused), reasonOf(refused)]).toEqual(['BAD_USER_INPUT', 'FINE_OUT_OF_RANGE']);
      expect(refused.errors![0].extensions!.details).toMatchObject({ min: 50, max: 200 });
      expect(await historyCount(opened.id)).toBe(before);
      expect((await ok(officer, CASE, { id: opened.id })).state).toBe('NOT_RECTIFIED');
    }
    const penalised = await ok(officer, PENALISE, { id: opened.id, amount: 200, note: '逾期未整改，依法处罚' });
    expect(penalised).toMatchObject({ state: 'PENALISED', fineAmount: 200, penaltyDecidedOn: today, appealDeadline: addDays(today, 60) });

    const appealed = await ok(officer, APPEAL, { id: opened.id, grounds: '当日为他人误投' });
    expect(appealed).toMatchObject({ state: 'APPEALED', appealGrounds: '当日为他人误投' });
    const decided = await ok(officer, DECIDE, { id: opened.id, outcome: 'OVERTURNED', note: '听证认定证据不足' });
    expect(decided).toMatchObject({
      state: 'OVERTURNED',
      appealOutcome: 'OVERTURNED',
      appealOutcomeLabelZh: '撤销处罚',
      hearingNote: '听证认定证据不足',
    });
    expect(decided.history.map((h: any) => [h.fromState, h.toState])).toEqual([
      [null, 'OPENED'],
      ['OPENED', 'RECTIFICATION_NOTICE_ISSUED'],
      ['RECTIFICATION_NOTICE_ISSUED', 'FOLLOW_UP_DUE'],
      ['FOLLOW_UP_DUE', 'NOT_RECTIFIED'],
      ['NOT_RECTIFIED', 'PENALISED'],
      ['PENALISED', 'APPEALED'],
      ['APPEALED', 'OVERTURNED'],
    ]);
    expect(decided.history[6].note).toBe('听证认定证据不足');
  });

  it('opens a case once however often a retry sends the same idempotency key, and refuses that key with another input', async () => {
    const OPEN_ONCE = `mutation($input: OpenCaseInput!, $key: String) { openCase(input: $input, idempotencyKey: $key) { id state } }`;
    const input = householdInput();
    const key = `case-${randomUUID()}`;
    const casesOf = async (householdId: unknown) =>
      (await db().query(`SELECT count(*)::int AS count FROM enforcement_case WHERE household_id = $1`, [householdId]))[0].count as number;
    // Two sends of one request at once (a retry while the first is still running) and a third later: one case.
    const [first, second] = await Promise.all([ok(officer, OPEN_ONCE, { input, key }), ok(officer, OPEN_ONCE, { input, key })]);
    const third = await ok(officer, OPEN_ONCE, { input, key });
    expect([second.id, third.id]).toEqual([first.id, first.id]);
    expect(await casesOf(input.householdId)).toBe(1);
    expect(await historyCount(first.id)).toBe(1);

    const other = await platform.query(officer, OPEN_ONCE, { input: { ...input, evidenceDescription: '另一份证据' }, key });
    expect(codeOf(other)).toBe('CONFLICT');
    expect(await casesOf(input.householdId)).toBe(1);
    const badKey = await platform.query(officer, OPEN_ONCE, { input, key: 'short' });
    expect([codeOf(badKey), reasonOf(badKey)]).toEqual(['BAD_USER_INPUT', 'INVALID_IDEMPOTENCY_KEY']);
  });

  it('closes a case whose follow-up finds it rectified, and refuses transitions its state does not allow', async () => {
    const opened = await ok(officer, OPEN, { input: householdInput() });
    const early = await platform.query(officer, PENALISE, { id: opened.id, amount: 100, note: '未经整改程序' });
    expect([codeOf(early), reasonOf(early)]).toEqual(['CONFLICT', 'INVALID_TRANSITION']);
    const tooEarly = await platform.query(officer, FOLLOW_UP, { id: opened.id, complied: true });
    expect(reasonOf(tooEarly)).toBe('INVALID_TRANSITION');

    const complyBy = addDays(today, 2);
    await ok(officer, NOTICE, { id: opened.id, complyBy, notice: '请整改' });
    const again = await platform.query(officer, NOTICE, { id: opened.id, complyBy, notice: '请整改' });
    expect(reasonOf(again)).toBe('INVALID_TRANSITION');
    await runJob(JobName.CaseFollowUpDaily, `${complyBy}T00:45:00+08:00`);
    const closed = await ok(officer, FOLLOW_UP, { id: opened.id, complied: true, note: '已按要求分类' });
    expect(closed).toMatchObject({ state: 'CLOSED', stateLabelZh: '已整改结案', complied: true });
    const [task] = await db().query(`SELECT completed_at FROM case_follow_up_task WHERE case_id = $1`, [opened.id]);
    expect(task.completed_at).not.toBeNull();
    const appeal = await platform.query(officer, APPEAL, { id: opened.id, grounds: '无' });
    expect(reasonOf(appeal)).toBe('INVALID_TRANSITION');
    expect(await historyCount(opened.id)).toBe(4);
  });

  it('accepts an appeal on the last day of the window, refuses one after it and writes nothing, and upholds on appeal', async () => {
    const late = await notRectified(householdInput());
    const inTime = await notRectified(householdInput());
    // The cases were opened 90 days ago (arranged), so penalties can be dated back.
    await db().query(`UPDATE enforcement_case SET opened_at = now() - interval '90 days' WHERE id = ANY($1::uuid[])`, [[late, inTime]]);

    const lateCase = await ok(officer, PENALISE, { id: late, amount: 50, note: '逾期未整改', on: addDays(today, -61) });
    expect(lateCase.appealDeadline).toBe(addDays(today, -1));
    const before = await historyCount(late);
    const refused = await platform.query(officer, APPEAL, { id: late, grounds: '迟到的申诉' });
    expect([codeOf(refused), reasonOf(refused)]).toEqual(['BAD_USER_INPUT', 'APPEAL_WINDOW_CLOSED']);
    expect(refused.errors![0].extensions!.details.appealDeadline).toBe(addDays(today, -1));
    expect(await historyCount(late)).toBe(before);
    expect(await ok(officer, CASE, { id: late })).toMatchObject({ state: 'PENALISED', appealGrounds: null });

    const lastDay = await ok(officer, PENALISE, { id: inTime, amount: 120.5, note: '逾期未整改', on: addDays(today, -60) });
    expect(lastDay.appealDeadline).toBe(today);
    expect((await ok(officer, APPEAL, { id: inTime, grounds: '对处罚金额有异议' })).state).toBe('APPEALED');
    const upheld = await ok(officer, DECIDE, { id: inTime, outcome: 'UPHELD', note: '听证后维持' });
    expect(upheld).toMatchObject({ state: 'UPHELD', stateLabelZh: '申诉驳回，维持处罚', fineAmount: 120.5 });
    const twice = await platform.query(officer, DECIDE, { id: inTime, outcome: 'OVERTURNED', note: '再审' });
    expect(reasonOf(twice)).toBe('INVALID_TRANSITION');
  });

  it.each([
    ['a household case without a household', { householdId: null }, 'TARGET_MISSING'],
    ['a household case naming an institution too', { institutionId: '00000000-0000-4000-8000-000000000009' }, 'TARGET_MISMATCH'],
    [
      'a unit marked floating population',
      {
        targetKind: 'UNIT',
        householdId: null,
        institutionId: '00000000-0000-4000-8000-000000000009',
        floatingPopulation: true,
        articleCode: 'NB-WASTE-63-2',
      },
      'TARGET_MISMATCH',
    ],
    ['an article for units against a household', { articleCode: 'NB-WASTE-63-2' }, 'ARTICLE_NOT_APPLICABLE'],
    ['an unknown article', { articleCode: 'NB-WASTE-999' }, 'UNKNOWN_ARTICLE'],
    ['no evidence', { evidenceDescription: '  ' }, 'INVALID_EVIDENCE'],
  ])('refuses %s and writes nothing', async (_case, change, reason) => {
    const [{ count: before }] = await db().query(`SELECT count(*)::int AS count FROM enforcement_case`);
    const response = await platform.query(officer, OPEN, { input: householdInput(change) });
    expect([codeOf(response), reasonOf(response)]).toEqual(['BAD_USER_INPUT', reason]);
    expect((await db().query(`SELECT count(*)::int AS count FROM enforcement_case`))[0].count).toBe(before);
  });

  it('refuses a comply-by date that is not ahead', async () => {
    const opened = await ok(officer, OPEN, { input: householdInput() });
    for (const complyBy of [today, addDays(today, -3), addDays(today, 400)]) {
      const response = await platform.query(officer, NOTICE, { id: opened.id, complyBy, notice: '请整改' });
      expect(reasonOf(response)).toBe('INVALID_COMPLY_BY');
    }
    expect((await ok(officer, CASE, { id: opened.id })).state).toBe('OPENED');
  });

  it('keeps cases inside the territory of the caller and out of roles without the permission', async () => {
    const community = platform.plan.compounds[0].parentId!;
    const here = await ok(officer, OPEN, { input: householdInput({}, inCommunity(community)) });
    const there = await ok(officer, OPEN, { input: householdInput({}, (h) => h.communityId !== community) });
    const secretary = await platform.token([Role.COMMUNITY_SECRETARY], community);
    expect((await ok(secretary, CASE, { id: here.id })).id).toBe(here.id);
    const forbidden = await platform.query(secretary, CASE, { id: there.id });
    expect([codeOf(forbidden), reasonOf(forbidden)]).toEqual(['FORBIDDEN', 'OUT_OF_SCOPE']);
    const listed = await ok(secretary, CASES, { first: 500 });
    const ids = listed.edges.map((e: any) => e.node.id);
    expect(ids).toContain(here.id);
    expect(ids).not.toContain(there.id);
    // A community secretary reads cases but does not manage them.
    expect(codeOf(await platform.query(secretary, OPEN, { input: householdInput() }))).toBe('FORBIDDEN');
    const inspector = await platform.token([Role.INSPECTOR], community);
    expect(codeOf(await platform.query(inspector, CASE, { id: here.id }))).toBe('FORBIDDEN');
    const street = await platform.token([Role.STREET_ADMIN], platform.plan.streets[0].id);
    expect(codeOf(await platform.query(street, OPEN, { input: householdInput({}, (h) => h.communityId !== community) }))).toBeUndefined();
  });

  it('pages through cases filtered by state and kind', async () => {
    const all = await ok(officer, CASES, { state: 'OPENED', kind: 'HOUSEHOLD', first: 500 });
    expect(all.totalCount).toBeGreaterThan(2);
    expect(all.edges.every((e: any) => e.node.state === 'OPENED' && e.node.targetKind === 'HOUSEHOLD')).toBe(true);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await ok(officer, CASES, { state: 'OPENED', kind: 'HOUSEHOLD', first: 2, after });
      seen.push(...page.edges.map((e: any) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(all.edges.map((e: any) => e.node.id));
    const tooMany = await platform.query(officer, CASES, { first: 501 });
    expect(reasonOf(tooMany)).toBe('PAGE_SIZE_OUT_OF_RANGE');
  });

  it("scores a property company's month from its cases", async () => {
    const company = randomUUID();
    const month = shanghaiMonth();
    const input = {
      targetKind: 'PROPERTY_COMPANY',
      institutionId: company,
      orgUnitId: compound,
      articleCode: 'NB-WASTE-61',
      evidenceDescription: '小区分类垃圾桶配置不全',
    };
    const penalised = await notRectified(input);
    await ok(officer, PENALISE, { id: penalised, amount: 5000, note: '逾期未整改' });
    const opened = await ok(officer, OPEN, { input });
    const outOfRange = await platform.query(officer, OPEN, { input: { ...input, articleCode: 'NB-WASTE-63-1' } });
    expect(reasonOf(outOfRange)).toBe('ARTICLE_NOT_APPLICABLE');

    const expected = { institutionId: company, score: 100 - 2 * 2 - 5 - 10, casesOpened: 2, casesNotRectified: 1, casesPenalised: 1 };
    const one = await ok(officer, ASSESSMENT_OF, { id: company, month });
    expect(one).toMatchObject(expected);
    expect(one.cases.map((c: any) => c.id).sort()).toEqual([penalised, opened.id].sort());
    const list = await ok(officer, ASSESSMENT, { month });
    expect(list.edges.map((e: any) => e.node).find((n: any) => n.institutionId === company)).toMatchObject({ ...expected, month });
    expect(await ok(officer, ASSESSMENT_OF, { id: randomUUID(), month })).toMatchObject({ score: 100, casesOpened: 0, cases: [] });
    const bad = await platform.query(officer, ASSESSMENT_OF, { id: company, month: '2026-13' });
    expect(reasonOf(bad)).toBe('INVALID_MONTH');
  });
});
