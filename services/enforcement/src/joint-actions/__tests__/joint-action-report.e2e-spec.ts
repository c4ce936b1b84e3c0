import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Queue } from 'bullmq';
import { Role } from '#libs/auth';
import { addDays, shanghaiDate } from '#libs/calendar';
import { JobName, QueueName, ServiceName } from '#libs/messaging';
import { fieldOf, platformQueue, waitFor, waitForJob } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';

const ACTION_FIELDS = `id status labelZh heldAt place summary participants { bureau { id } officerIds } history { change }
  report { findingsRecorded casesOpened casesRectified households passRateBefore passRateAfter beforeFrom afterTo reportedAt }`;
const SCHEDULE = `mutation($input: ScheduleJointActionInput!) { scheduleJointAction(input: $input) { id status } }`;
const HOLD = `mutation($id: ID!, $input: HoldJointActionInput!) { holdJointAction(id: $id, input: $input) { ${ACTION_FIELDS} } }`;
const REPORT = `mutation($id: ID!) { reportJointAction(id: $id) { ${ACTION_FIELDS} } }`;
const GET = `query($id: ID!) { jointAction(id: $id) { ${ACTION_FIELDS} } }`;
const FINDING = `mutation($actionId: ID!, $input: RecordActionFindingInput!, $key: String!) {
  recordActionFinding(actionId: $actionId, input: $input, idempotencyKey: $key) { id } }`;
const OPEN_CASE = `mutation($input: OpenCaseInput!) { openCase(input: $input) { id } }`;
const NOTICE = `mutation($id: ID!, $complyBy: LocalDate!) { issueRectificationNotice(caseId: $id, complyBy: $complyBy, notice: "请于期限内按规定分类投放") { id } }`;
const FOLLOW_UP = `mutation($id: ID!) { recordFollowUp(caseId: $id, complied: true, note: "复查已分类") { id state } }`;

describe('a joint action from scheduling to its report, through the gateway', () => {
  let platform: TestPlatform;
  let admin: string;
  let queue: Queue;
  let lead: { id: string };
  let partner: { id: string };
  /** A compound of street one, free of bookings around now, with no failure on record in the last 31 days, and its households. */
  let compound: { id: string; streetId: string; households: string[] };
  const db = () => platform.database(ServiceName.Enforcement);

  const ok = (token: string, query: string, variables: Record<string, unknown> = {}) => fieldOf(platform.query(token, query, variables));
  const caseAgainst = (householdId: string, change: Record<string, unknown> = {}) => ({
    targetKind: 'HOUSEHOLD',
    householdId,
    orgUnitId: compound.id,
    articleCode: 'NB-WASTE-63-1',
    evidenceDescription: '厨余垃圾中混有塑料袋',
    ...change,
  });
  const stateOf = async (id: string) =>
    (
      await db().query(
        `SELECT status, report, held_at AS "heldAt", (SELECT count(*)::int FROM joint_action_revision WHERE action_id = $1) AS revisions
                         FROM joint_action WHERE id = $1`,
        [id],
      )
    )[0];
  /** An action on the compound that ran `hoursAgo` hours ago for an hour (each test its own hour: a held action keeps its bookings). */
  const scheduleAgo = async (hoursAgo: number) =>
    ok(admin, SCHEDULE, {
      input: {
        title: '小区联合执法',
        leadBureauId: lead.id,
        targetUnitIds: [compound.id],
        teamIds: [],
        officerIds: [],
        startsAt: new Date(Date.now() - hoursAgo * 3600_000).toISOString(),
        endsAt: new Date(Date.now() - (hoursAgo - 1) * 3600_000).toISOString(),
      },
    });

  beforeAll(async () => {
    platform = await startPlatform({ streets: 2, households: 120 });
    admin = await platform.token([Role.DISTRICT_ADMIN]);
    const departments = platform.plan.institutions.filter((i) => i.kind === 'DEPARTMENT');
    lead = departments.find((i) => i.name === '鄞州区综合行政执法局')!;
    partner = departments.find((i) => i.name === '鄞州区市场监督管理局')!;
    const streetOne = platform.plan.streets[0].id;
    const [{ count: registered }] = await platform.database(ServiceName.Households).query(`SELECT count(*)::int AS count FROM household`);
    await waitFor(
      "enforcement's copy of the households",
      async () => (await db().query(`SELECT count(*)::int AS count FROM household_copy WHERE NOT removed`))[0].count === registered,
    );
    const [found] = await db().query(
      `SELECT c.id, array_agg(h.id::text ORDER BY h.id) AS households FROM territory_unit c JOIN household_copy h ON h.compound_id = c.id AND NOT h.removed
        WHERE c.path @> ARRAY[$1::uuid]
          AND NOT EXISTS (SELECT 1 FROM joint_action_booking b WHERE b.resource_id = ANY(c.path)
                           AND b.during && tstzrange(now() - interval '1 day', now() + interval '1 day'))
          AND NOT EXISTS (SELECT 1 FROM action_finding f WHERE f.household_id = h.id AND f.recorded_at > now() - interval '31 days')
          AND NOT EXISTS (SELECT 1 FROM enforcement_case e WHERE e.household_id = h.id AND e.opened_at > now() - interval '31 days')
        GROUP BY c.id HAVING count(*) >= 3 ORDER BY c.id LIMIT 1`,
      [streetOne],
    );
    expect(found).toBeDefined();
    // Every household of the compound must be free of recent failures, or the expected pass rates would be off.
    const [{ count: inCompound }] = await db().query(
      `SELECT count(*)::int AS count FROM household_copy WHERE compound_id = $1 AND NOT removed`,
      [found.id],
    );
    expect(found.households).toHaveLength(inCompound);
    compound = { id: found.id, streetId: streetOne, households: found.households };
    queue = platformQueue(platform, QueueName.EnforcementJobs);
  });

  // A hook per resource: each is released even when setup failed before the next one existed.
  afterAll(() => queue.close());
  afterAll(() => platform.stop());

  it('is held with its participants, reports its findings, cases, rectifications and the before/after pass rates, and stays frozen', async () => {
    const [a, b, c] = compound.households;
    const n = compound.households.length;
    const action = await scheduleAgo(3);

    // Before the action: household a fails (a case against it).
    await ok(admin, OPEN_CASE, { input: caseAgainst(a) });

    const heldAt = new Date().toISOString();
    const held = await ok(admin, HOLD, {
      id: action.id,
      input: {
        heldAt,
        place: '小区东门投放点',
        summary: '两部门联合检查投放点',
        participants: [{ bureauId: lead.id, officerIds: [] }, { bureauId: partner.id }],
      },
    });
    expect(held).toMatchObject({
      status: 'HELD',
      labelZh: '已开展',
      heldAt,
      place: '小区东门投放点',
      report: null,
      participants: [
        { bureau: { id: lead.id }, officerIds: [] },
        { bureau: { id: partner.id }, officerIds: [] },
      ],
    });
    expect(held.history.map((h: any) => h.change)).toEqual(['SCHEDULED', 'HELD']);

    // The action's own findings (recorded after it was held): one about b becomes a case that is rectified, one about the compound stays a finding.
    const finding = await ok(admin, FINDING, {
      actionId: action.id,
      key: 'report-finding-b',
      input: { householdId: b, category: 'MIXED_WASTE', description: '厨余垃圾中混有塑料瓶' },
    });
    await ok(admin, FINDING, {
      actionId: action.id,
      key: 'report-finding-unit',
      input: { orgUnitId: compound.id, category: 'BIN_POINT_UNMANAGED', description: '投放点无人值守' },
    });
    const fromFinding = await ok(admin, OPEN_CASE, { input: caseAgainst(b, { actionFindingId: finding.id }) });
    const complyBy = addDays(shanghaiDate(), 1);
    await ok(admin, NOTICE, { id: fromFinding.id, complyBy });
    await waitForJob(queue, await queue.add(JobName.CaseFollowUpDaily, { firedAt: `${complyBy}T00:45:00+08:00` }), 'the follow-up job');
    expect((await ok(admin, FOLLOW_UP, { id: fromFinding.id })).state).toBe('CLOSED');

    // After the action: c and a fail (cases not from the action's findings).
    await ok(admin, OPEN_CASE, { input: caseAgainst(c) });
    await ok(admin, OPEN_CASE, { input: caseAgainst(a, { evidenceDescription: '再次混投' }) });

    const reported = await ok(admin, REPORT, { id: action.id });
    expect(reported.status).toBe('REPORTED');
    expect(reported.history.map((h: any) => h.change)).toEqual(['SCHEDULED', 'HELD', 'REPORTED']);
    expect(reported.report).toMatchObject({ findingsRecorded: 2, casesOpened: 1, casesRectified: 1, households: n });
    expect(reported.report.passRateBefore).toBeCloseTo((n - 1) / n, 4);
    expect(reported.report.passRateAfter).toBeCloseTo((n - 2) / n, 4);
    expect(new Date(reported.report.beforeFrom).getTime()).toBe(new Date(heldAt).getTime() - 30 * 86400_000);

    // Frozen: a later case does not change the report; no more findings, no second report.
    await ok(admin, OPEN_CASE, { input: caseAgainst(b, { evidenceDescription: '又一次混投' }) });
    expect((await ok(admin, GET, { id: action.id })).report).toEqual(reported.report);
    const late: any = await platform.query(admin, FINDING, {
      actionId: action.id,
      key: 'report-finding-late',
      input: { householdId: c, category: 'OTHER', description: '报告后' },
    });
    expect(late.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'ACTION_REPORTED' });
    const again: any = await platform.query(admin, REPORT, { id: action.id });
    expect(again.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_TRANSITION' });
  });

  it('refuses reporting an action not yet held, holding it in the future or twice, and writes nothing', async () => {
    const action = await scheduleAgo(6);
    const before = await stateOf(action.id);

    const early: any = await platform.query(admin, REPORT, { id: action.id });
    expect(early.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_TRANSITION' });
    const future: any = await platform.query(admin, HOLD, {
      id: action.id,
      input: { heldAt: new Date(Date.now() + 3600_000).toISOString(), participants: [{ bureauId: lead.id }] },
    });
    expect(future.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ACTION_NOT_YET_HELD' });
    expect(await stateOf(action.id)).toEqual(before);
    expect(before).toMatchObject({ status: 'SCHEDULED', report: null, heldAt: null, revisions: 1 });

    await ok(admin, HOLD, { id: action.id, input: { heldAt: new Date().toISOString(), participants: [{ bureauId: lead.id }] } });
    const twice: any = await platform.query(admin, HOLD, {
      id: action.id,
      input: { heldAt: new Date().toISOString(), participants: [{ bureauId: lead.id }] },
    });
    expect(twice.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_TRANSITION' });
    await ok(admin, REPORT, { id: action.id });
  });

  it("refuses another street's administrator: holding and reporting an action on a street not theirs", async () => {
    const action = await scheduleAgo(9);
    const otherAdmin = await platform.token([Role.STREET_ADMIN], platform.plan.streets[1].id);
    const ownAdmin = await platform.token([Role.STREET_ADMIN], compound.streetId);
    const before = await stateOf(action.id);

    const hold: any = await platform.query(otherAdmin, HOLD, {
      id: action.id,
      input: { heldAt: new Date().toISOString(), participants: [{ bureauId: lead.id }] },
    });
    expect(hold.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(hold.data?.holdJointAction ?? null).toBeNull();
    expect(await stateOf(action.id)).toEqual(before);

    await ok(ownAdmin, HOLD, { id: action.id, input: { heldAt: new Date().toISOString(), participants: [{ bureauId: lead.id }] } });
    const report: any = await platform.query(otherAdmin, REPORT, { id: action.id });
    expect(report.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await stateOf(action.id)).status).toBe('HELD');
    expect((await ok(ownAdmin, REPORT, { id: action.id })).report).toMatchObject({ findingsRecorded: 0, casesOpened: 0 });
  });
});
