import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { Role } from '#libs/auth';
import { addDays, shanghaiDate } from '#libs/calendar';
import { queryRows } from '#libs/database';
import { EventType, JobName, QueueName, ServiceName } from '#libs/messaging';
import { fieldOf, reasonOf, waitFor, waitForJob } from '#libs/testing';
import { seededHouseholds, startPlatform, type SeededHousehold, type TestPlatform } from '#tools/test-platform';

const OPEN = `mutation($input: OpenCaseInput!) { openCase(input: $input) { id } }`;
const NOTICE = `mutation($id: ID!, $complyBy: LocalDate!) { issueRectificationNotice(caseId: $id, complyBy: $complyBy, notice: "请于期限内按规定分类投放") { id state } }`;
const FOLLOW_UP = `mutation($id: ID!, $complied: Boolean!) { recordFollowUp(caseId: $id, complied: $complied, note: "复查仍未分类") { id state complied } }`;
const CASE = `query($id: ID!) { case(id: $id) { id state followUpInspection { inspectionId result inspectedAt } } }`;
const INSPECT = `mutation($input: RecordInspectionInput!, $key: String!) { recordInspection(input: $input, idempotencyKey: $key) { id result inspectedAt } }`;
const REQUESTS = `query($org: ID!, $status: CaseFollowUpRequestStatus, $first: Int, $after: String) {
  caseFollowUpRequests(orgUnitId: $org, status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { caseId householdId compoundId dueOn status inspectionId inspectionResult inspectedAt household { id } } } } }`;

/**
 * A household case due for its follow-up asks the household's community for an inspection (`case-follow-up.requested`);
 * the first inspection recorded on or after the due date answers it and is reported back to the case
 * (`case-follow-up.inspected`), where the officer sees it and still decides.
 */
describe("a case's follow-up inspection asked of the community", () => {
  let platform: TestPlatform;
  let jobs: Queue;
  let householdsEvents: Queue;
  let enforcementEvents: Queue;
  let officer: string;
  let households: SeededHousehold[];
  const today = shanghaiDate();

  const enforcement = () => platform.database(ServiceName.Enforcement);
  const householdsDb = () => platform.database(ServiceName.Households);

  const ok = (token: string, query: string, variables: Record<string, unknown> = {}) => fieldOf(platform.query(token, query, variables));

  async function fireFollowUpJob(firedAt: string): Promise<void> {
    await waitForJob(jobs, await jobs.add(JobName.CaseFollowUpDaily, { firedAt }), `follow-up job fired at ${firedAt}`);
  }

  /** The requests `token` sees in `orgUnitId`, every page (two at a time, so paging is exercised). */
  async function requestsSeen(token: string, orgUnitId: string, status?: string): Promise<any[]> {
    const nodes: any[] = [];
    let after: string | null = null;
    do {
      const page: any = await ok(token, REQUESTS, { org: orgUnitId, status, first: 2, after });
      nodes.push(...page.edges.map((edge: any) => edge.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return nodes;
  }

  const requestRow = (caseId: string) =>
    queryRows<{ status: string; inspectionId: string | null; inspectionResult: string | null; dueOn: string }>(
      householdsDb(),
      `SELECT status, inspection_id AS "inspectionId", inspection_result AS "inspectionResult", due_on::text AS "dueOn"
         FROM case_follow_up_request WHERE case_id = $1`,
      [caseId],
    );
  const outboxEvents = (service: ServiceName, type: EventType, caseId: string) =>
    queryRows<{ id: string; type: EventType; payloadJson: string; occurredAt: Date }>(
      platform.database(service),
      `SELECT id, type, payload::text AS "payloadJson", occurred_at AS "occurredAt" FROM outbox_event WHERE type = $1 AND payload->>'caseId' = $2`,
      [type, caseId],
    );

  /** Delivers an event again as a new job (the relay's job id is the event id; a redelivery is another job of it). */
  async function redeliver(
    queue: Queue,
    source: ServiceName,
    event: { id: string; type: EventType; payloadJson: string; occurredAt: Date },
    id = event.id,
  ) {
    const job = await queue.add(
      event.type,
      { id, type: event.type, source, occurredAt: event.occurredAt.toISOString(), payloadJson: event.payloadJson },
      { jobId: `${id}-again-${randomUUID()}` },
    );
    await waitForJob(queue, job, `redelivered ${event.type}`);
  }

  /**
   * A case against `household`, with its rectification notice, due today. The notice accepts only a comply-by date
   * after today and an inspection cannot be in the future, so the test lets the notice's day come (arranged: the
   * comply-by date moved to today) and fires the daily job today.
   */
  async function dueToday(household: SeededHousehold): Promise<string> {
    const opened = await ok(officer, OPEN, {
      input: {
        targetKind: 'HOUSEHOLD',
        householdId: household.id,
        orgUnitId: household.compoundId,
        articleCode: 'NB-WASTE-63-1',
        evidenceDescription: '厨余垃圾桶内混有塑料袋',
      },
    });
    await ok(officer, NOTICE, { id: opened.id, complyBy: addDays(today, 1) });
    await enforcement().query(`UPDATE enforcement_case SET comply_by = $2 WHERE id = $1`, [opened.id, today]);
    await fireFollowUpJob(`${today}T00:45:00+08:00`);
    return opened.id;
  }

  beforeAll(async () => {
    platform = await startPlatform({ streets: 1, households: 120 });
    const connection = { connection: { url: platform.env.REDIS_URL }, prefix: platform.env.QUEUE_PREFIX };
    jobs = new Queue(QueueName.EnforcementJobs, connection);
    householdsEvents = new Queue(QueueName.HouseholdsEvents, connection);
    enforcementEvents = new Queue(QueueName.EnforcementEvents, connection);
    officer = await platform.token([Role.BUREAU_OFFICER]);
    // Households the demo seed opened cases against are left out, so every request of a household here is this test's.
    const withCases = new Set(
      (await enforcement().query(`SELECT DISTINCT household_id AS id FROM enforcement_case WHERE household_id IS NOT NULL`)).map(
        (r: any) => r.id,
      ),
    );
    households = (await seededHouseholds(platform)).filter((h) => !withCases.has(h.id));
  });

  // A hook per resource: each is released even when setup failed before the next one existed.
  afterAll(() => Promise.all([jobs.close(), householdsEvents.close(), enforcementEvents.close()]));
  afterAll(() => platform.stop());

  it('asks the community, answers with the first inspection on or after the due date, and informs the case without deciding it', async () => {
    const household = households[0];
    const otherCommunity = platform.plan.communities.find(
      (c) => c.id !== household.communityId && households.some((h) => h.communityId === c.id),
    )!;
    const secretary = await platform.token([Role.COMMUNITY_SECRETARY], household.communityId);
    const otherSecretary = await platform.token([Role.COMMUNITY_SECRETARY], otherCommunity.id);
    const caseId = await dueToday(household);

    // One event, with ids and the date only.
    const requested = await outboxEvents(ServiceName.Enforcement, EventType.CaseFollowUpRequested, caseId);
    expect(requested.map((e) => JSON.parse(e.payloadJson))).toEqual([{ caseId, householdId: household.id, dueOn: today }]);

    // The community's secretary sees it, paged; another community's secretary neither among theirs nor in ours.
    const seen = await waitFor('the follow-up request in households', async () =>
      (await requestsSeen(secretary, household.communityId, 'OPEN')).find((r) => r.caseId === caseId),
    );
    expect(seen).toEqual({
      caseId,
      householdId: household.id,
      compoundId: household.compoundId,
      dueOn: today,
      status: 'OPEN',
      inspectionId: null,
      inspectionResult: null,
      inspectedAt: null,
      household: { id: household.id },
    });
    expect((await requestsSeen(otherSecretary, otherCommunity.id)).map((r) => r.caseId)).not.toContain(caseId);
    const outside = await platform.query(otherSecretary, REQUESTS, { org: household.communityId });
    expect(reasonOf(outside)).toBe('OUT_OF_SCOPE');
    // Residents and officers record no inspections and see no requests.
    expect(reasonOf(await platform.query(officer, REQUESTS, { org: household.communityId }))).toBe('MISSING_PERMISSION');

    // An inspection dated before the due day does not answer it.
    const before = await ok(secretary, INSPECT, {
      input: { householdId: household.id, kind: 'DOOR_VISIT', result: 'PASS', inspectedAt: `${addDays(today, -1)}T20:00:00+08:00` },
      key: `inspection-${randomUUID()}`,
    });
    expect(before.id).toBeDefined();
    expect(await requestRow(caseId)).toEqual([{ status: 'OPEN', inspectionId: null, inspectionResult: null, dueOn: today }]);
    expect(await outboxEvents(ServiceName.Households, EventType.CaseFollowUpInspected, caseId)).toEqual([]);

    // The first one on or after it does, in the same transaction, and is announced once.
    const inspected = await ok(secretary, INSPECT, {
      input: {
        householdId: household.id,
        kind: 'BIN_SIDE',
        result: 'MINOR_ISSUE',
        issues: ['BAG_NOT_BROKEN'],
        inspectedAt: new Date().toISOString(),
      },
      key: `inspection-${randomUUID()}`,
    });
    expect(await requestRow(caseId)).toEqual([
      { status: 'DONE', inspectionId: inspected.id, inspectionResult: 'MINOR_ISSUE', dueOn: today },
    ]);
    const done = (await requestsSeen(secretary, household.compoundId, 'DONE')).find((r) => r.caseId === caseId);
    expect(done).toMatchObject({
      status: 'DONE',
      inspectionId: inspected.id,
      inspectionResult: 'MINOR_ISSUE',
      inspectedAt: inspected.inspectedAt,
    });
    expect((await requestsSeen(secretary, household.communityId, 'OPEN')).map((r) => r.caseId)).not.toContain(caseId);

    // A later inspection changes nothing: the request was answered.
    await ok(secretary, INSPECT, {
      input: {
        householdId: household.id,
        kind: 'BAG_CHECK',
        result: 'FAIL',
        issues: ['BAG_DUMPED'],
        inspectedAt: new Date().toISOString(),
      },
      key: `inspection-${randomUUID()}`,
    });
    expect((await requestRow(caseId))[0].inspectionId).toBe(inspected.id);
    const reported = await outboxEvents(ServiceName.Households, EventType.CaseFollowUpInspected, caseId);
    expect(reported.map((e) => JSON.parse(e.payloadJson))).toEqual([
      { caseId, inspectionId: inspected.id, result: 'MINOR_ISSUE', inspectedAt: inspected.inspectedAt },
    ]);

    // The officer sees it on the case, which waits for the officer's decision.
    const informed = await waitFor('the follow-up inspection on the case', async () => {
      const found = await ok(officer, CASE, { id: caseId });
      return found.followUpInspection ? found : null;
    });
    expect(informed).toEqual({
      id: caseId,
      state: 'FOLLOW_UP_DUE',
      followUpInspection: { inspectionId: inspected.id, result: 'MINOR_ISSUE', inspectedAt: inspected.inspectedAt },
    });

    // Redelivered events (and the job run again) change nothing: no second request, no second report, no new event.
    await redeliver(householdsEvents, ServiceName.Enforcement, requested[0]);
    await redeliver(householdsEvents, ServiceName.Enforcement, requested[0], randomUUID());
    await redeliver(enforcementEvents, ServiceName.Households, reported[0]);
    await redeliver(
      enforcementEvents,
      ServiceName.Households,
      {
        ...reported[0],
        payloadJson: JSON.stringify({ caseId, inspectionId: randomUUID(), result: 'PASS', inspectedAt: new Date().toISOString() }),
      },
      randomUUID(),
    );
    await fireFollowUpJob(`${today}T09:00:00+08:00`);
    expect(await requestRow(caseId)).toEqual([
      { status: 'DONE', inspectionId: inspected.id, inspectionResult: 'MINOR_ISSUE', dueOn: today },
    ]);
    expect(await outboxEvents(ServiceName.Enforcement, EventType.CaseFollowUpRequested, caseId)).toHaveLength(1);
    expect(await outboxEvents(ServiceName.Households, EventType.CaseFollowUpInspected, caseId)).toHaveLength(1);
    expect((await ok(officer, CASE, { id: caseId })).followUpInspection).toEqual(informed.followUpInspection);

    // A person decides.
    expect(await ok(officer, FOLLOW_UP, { id: caseId, complied: false })).toEqual({ id: caseId, state: 'NOT_RECTIFIED', complied: false });
  });

  it('answers a request that arrives after the community already inspected on or after the due date', async () => {
    const household = households[1];
    const secretary = await platform.token([Role.COMMUNITY_SECRETARY], household.communityId);
    const caseId = await dueToday(household);
    const [requested] = await outboxEvents(ServiceName.Enforcement, EventType.CaseFollowUpRequested, caseId);
    await waitFor('the follow-up request in households', async () => (await requestRow(caseId)).length === 1);

    // As if the request had been delayed: it is withdrawn, the inspection recorded, and the request delivered again.
    await householdsDb().query(`DELETE FROM case_follow_up_request WHERE case_id = $1`, [caseId]);
    const inspected = await ok(secretary, INSPECT, {
      input: { householdId: household.id, kind: 'BIN_SIDE', result: 'PASS', inspectedAt: new Date().toISOString() },
      key: `inspection-${randomUUID()}`,
    });
    await redeliver(householdsEvents, ServiceName.Enforcement, requested, randomUUID());
    expect(await requestRow(caseId)).toEqual([{ status: 'DONE', inspectionId: inspected.id, inspectionResult: 'PASS', dueOn: today }]);
    await waitFor(
      'the follow-up inspection on the case',
      async () => (await ok(officer, CASE, { id: caseId })).followUpInspection?.result === 'PASS',
    );
  });

  it('asks nothing for a property company: officers follow it up themselves', async () => {
    const opened = await ok(officer, OPEN, {
      input: {
        targetKind: 'PROPERTY_COMPANY',
        institutionId: randomUUID(),
        orgUnitId: households[2].compoundId,
        articleCode: 'NB-WASTE-61',
        evidenceDescription: '小区分类垃圾桶配置不全',
      },
    });
    await ok(officer, NOTICE, { id: opened.id, complyBy: addDays(today, 1) });
    await fireFollowUpJob(`${addDays(today, 1)}T00:45:00+08:00`);
    expect((await ok(officer, CASE, { id: opened.id })).state).toBe('FOLLOW_UP_DUE');
    expect(await outboxEvents(ServiceName.Enforcement, EventType.CaseFollowUpRequested, opened.id)).toEqual([]);
  });
});
