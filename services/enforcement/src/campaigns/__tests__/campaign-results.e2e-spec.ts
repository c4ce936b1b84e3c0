import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Queue } from 'bullmq';
import { Role } from '#libs/auth';
import { addDays, shanghaiDate } from '#libs/calendar';
import { JobName, QueueName, ServiceName } from '#libs/messaging';
import { fieldOf, platformQueue, waitFor, waitForJob } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';
import { quarterOf } from '../../joint-actions/quarter-coverage.js';

const REPORT_FIELDS = `actionsScheduled actionsHeld actionsCancelled compoundsCovered findings casesOpened casesRectified casesPenalised
  households passRateBefore passRateAfter goalPassRate goalMet beforeFrom afterTo reportedAt`;
const CAMPAIGN_FIELDS = `id state wasteStreams goalPassRate requiredActions
  jointActions(first: 10) { totalCount edges { node { id status } } } report { ${REPORT_FIELDS} }`;
const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { ${CAMPAIGN_FIELDS} } }`;
const MOVE = `mutation($id: ID!, $state: CampaignState!) { changeCampaignState(id: $id, state: $state) { ${CAMPAIGN_FIELDS} } }`;
const TARGETS = `mutation($id: ID!, $input: CampaignTargetsInput!) { setCampaignTargets(id: $id, input: $input) { ${CAMPAIGN_FIELDS} } }`;
const GET = `query($id: ID!) { campaign(id: $id) { ${CAMPAIGN_FIELDS} } }`;
const SCHEDULE = `mutation($input: ScheduleJointActionInput!) { scheduleJointAction(input: $input) { id status } }`;
const HOLD = `mutation($id: ID!, $input: HoldJointActionInput!) { holdJointAction(id: $id, input: $input) { id status } }`;
const FINDING = `mutation($actionId: ID!, $input: RecordActionFindingInput!, $key: String!) {
  recordActionFinding(actionId: $actionId, input: $input, idempotencyKey: $key) { id } }`;
const OPEN_CASE = `mutation($input: OpenCaseInput!) { openCase(input: $input) { id } }`;
const COVERAGE = `query($quarter: String!, $state: QuarterCoverageState) {
  jointActionCoverage(quarter: $quarter, state: $state, first: 50) { totalCount edges { node { street { id } quarter required held state escalatedAt } } } }`;

describe('campaigns with results and the quarterly rule, through the gateway', () => {
  let platform: TestPlatform;
  let admin: string;
  let queue: Queue;
  let lead: { id: string };
  let streets: string[];
  const db = () => platform.database(ServiceName.Enforcement);

  const ok = (token: string, query: string, variables: Record<string, unknown> = {}) => fieldOf(platform.query(token, query, variables));

  /** A compound of `street` with at least three households, none with a failure on record in the last 70 days, and no bookings near now. */
  async function quietCompound(street: string, exclude: string[] = []): Promise<{ id: string; households: string[] }> {
    const [found] = await db().query(
      `SELECT c.id, array_agg(h.id::text ORDER BY h.id) AS households FROM territory_unit c JOIN household_copy h ON h.compound_id = c.id AND NOT h.removed
        WHERE c.kind = 'COMPOUND' AND c.path @> ARRAY[$1::uuid] AND NOT c.id = ANY($2::uuid[])
          AND NOT EXISTS (SELECT 1 FROM joint_action_booking b WHERE b.resource_id = ANY(c.path) AND b.during && tstzrange(now() - interval '1 day', now() + interval '1 day'))
          AND NOT EXISTS (SELECT 1 FROM household_copy x WHERE x.compound_id = c.id AND (
                EXISTS (SELECT 1 FROM action_finding f WHERE f.household_id = x.id AND f.recorded_at > now() - interval '70 days')
                OR EXISTS (SELECT 1 FROM enforcement_case e WHERE e.household_id = x.id AND e.opened_at > now() - interval '70 days')))
        GROUP BY c.id HAVING count(*) >= 3 ORDER BY c.id LIMIT 1`,
      [street, exclude],
    );
    expect(found).toBeDefined();
    return found;
  }

  beforeAll(async () => {
    platform = await startPlatform({ streets: 2, households: 120 });
    admin = await platform.token([Role.DISTRICT_ADMIN]);
    lead = platform.plan.institutions.find((i) => i.name === '鄞州区综合行政执法局')!;
    streets = platform.plan.streets.map((s) => s.id);
    const [{ count: registered }] = await platform.database(ServiceName.Households).query(`SELECT count(*)::int AS count FROM household`);
    await waitFor(
      "enforcement's copy of the households",
      async () => (await db().query(`SELECT count(*)::int AS count FROM household_copy WHERE NOT removed`))[0].count === registered,
    );
    queue = platformQueue(platform, QueueName.EnforcementJobs);
  });

  // A hook per resource: each is released even when setup failed before the next one existed.
  afterAll(() => queue.close());
  afterAll(() => platform.stop());

  it('a 洁美有序 campaign owns its actions and reports what they found, the cases, and the pass rates before and after, frozen once reported', async () => {
    const compound = await quietCompound(streets[0]);
    const [a, b, c] = compound.households;
    const n = compound.households.length;
    const today = shanghaiDate();
    const campaign = await ok(admin, CREATE, {
      input: {
        kind: 'CLEAN_ORDERLY',
        name: '洁美有序小区创建',
        startsOn: addDays(today, -10),
        endsOn: addDays(today, 10),
        targetUnitIds: [compound.id],
        participatingBureauIds: [lead.id],
        leadBureauId: lead.id,
        wasteStreams: ['KITCHEN', 'OTHER', 'KITCHEN'],
        goalPassRate: 0.5,
      },
    });
    expect(campaign).toMatchObject({ state: 'DRAFT', wasteStreams: ['KITCHEN', 'OTHER'], goalPassRate: 0.5, requiredActions: 1 });
    expect(campaign.jointActions.totalCount).toBe(0);

    // Before the campaign: household a failed 15 days ago (a case opened then; the API opens cases now, so its date is set here).
    const before = await ok(admin, OPEN_CASE, {
      input: { targetKind: 'HOUSEHOLD', householdId: a, orgUnitId: compound.id, articleCode: 'NB-WASTE-63-1', evidenceDescription: '混投' },
    });
    await db().query(`UPDATE enforcement_case SET opened_at = now() - interval '15 days' WHERE id = $1`, [before.id]);

    // The campaign's action, held: its finding about b becomes a case (the campaign's own work, not a failure it let happen).
    const action = await ok(admin, SCHEDULE, {
      input: {
        campaignId: campaign.id,
        title: '洁美有序联合检查',
        leadBureauId: lead.id,
        targetUnitIds: [compound.id],
        teamIds: [],
        officerIds: [],
        startsAt: new Date(Date.now() - 3 * 3600_000).toISOString(),
        endsAt: new Date(Date.now() - 2 * 3600_000).toISOString(),
      },
    });
    await ok(admin, HOLD, {
      id: action.id,
      input: { heldAt: new Date(Date.now() - 2.5 * 3600_000).toISOString(), participants: [{ bureauId: lead.id }] },
    });
    const finding = await ok(admin, FINDING, {
      actionId: action.id,
      key: 'campaign-finding-b',
      input: { householdId: b, category: 'MIXED_WASTE', description: '厨余混投' },
    });
    await ok(admin, OPEN_CASE, {
      input: {
        targetKind: 'HOUSEHOLD',
        householdId: b,
        orgUnitId: compound.id,
        articleCode: 'NB-WASTE-63-1',
        evidenceDescription: '厨余混投',
        actionFindingId: finding.id,
      },
    });
    // During the campaign, c fails on its own (a case not from the campaign's findings).
    await ok(admin, OPEN_CASE, {
      input: {
        targetKind: 'HOUSEHOLD',
        householdId: c,
        orgUnitId: compound.id,
        articleCode: 'NB-WASTE-63-1',
        evidenceDescription: '再次混投',
      },
    });

    const live = await ok(admin, GET, { id: campaign.id });
    expect(live.jointActions.edges.map((e: any) => e.node)).toEqual([{ id: action.id, status: 'HELD' }]);
    expect(live.report).toMatchObject({
      actionsScheduled: 1,
      actionsHeld: 1,
      actionsCancelled: 0,
      compoundsCovered: 1,
      findings: 1,
      casesOpened: 1,
      casesRectified: 0,
      casesPenalised: 0,
      households: n,
      goalPassRate: 0.5,
      goalMet: true,
      beforeFrom: addDays(today, -40),
      afterTo: today,
      reportedAt: null,
    });
    expect(live.report.passRateBefore).toBeCloseTo((n - 1) / n, 4);
    expect(live.report.passRateAfter).toBeCloseTo((n - 1) / n, 4);

    for (const state of ['SCHEDULED', 'ACTIVE', 'COMPLETED']) await ok(admin, MOVE, { id: campaign.id, state });
    // Targets are final once the campaign is completed.
    const late: any = await platform.query(admin, TARGETS, { id: campaign.id, input: { wasteStreams: [], requiredActions: 1 } });
    expect(late.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'CAMPAIGN_CLOSED' });
    const reported = await ok(admin, MOVE, { id: campaign.id, state: 'REPORTED' });
    expect(reported.report.reportedAt).not.toBeNull();
    expect({ ...reported.report, reportedAt: null }).toEqual(live.report);

    // Frozen: another failure afterwards does not rewrite what was reported.
    await ok(admin, OPEN_CASE, {
      input: {
        targetKind: 'HOUSEHOLD',
        householdId: a,
        orgUnitId: compound.id,
        articleCode: 'NB-WASTE-63-1',
        evidenceDescription: '又一次混投',
      },
    });
    expect((await ok(admin, GET, { id: campaign.id })).report).toEqual(reported.report);
  });

  it('refuses a goal outside 0–1 and a per-street action count on a campaign that is not quarterly, and writes nothing', async () => {
    const [{ count: before }] = await db().query(`SELECT count(*)::int AS count FROM campaign`);
    const input = {
      kind: 'SPECIAL_ACTION',
      name: '专项行动',
      startsOn: '2026-11-01',
      endsOn: '2026-11-30',
      targetUnitIds: [streets[0]],
      participatingBureauIds: [],
    };
    const goal: any = await platform.query(admin, CREATE, { input: { ...input, goalPassRate: 1.5 } });
    expect(goal.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_GOAL' });
    const perStreet: any = await platform.query(admin, CREATE, { input: { ...input, requiredActions: 3 } });
    expect(perStreet.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_A_QUARTERLY_CAMPAIGN' });
    expect((await db().query(`SELECT count(*)::int AS count FROM campaign`))[0].count).toBe(before);
  });

  it('closes the quarter: a street short of the actions its quarterly campaign asks for is escalated to the district, once', async () => {
    const quarter = quarterOf(addDays(quarterOf(shanghaiDate()).startsOn, -1));
    const day = addDays(quarter.startsOn, 40);
    // Actions already held in that quarter (the seed holds none before the current quarter; counted to be sure).
    const heldBefore = async (street: string) =>
      (
        await db().query(
          `SELECT count(*)::int AS count FROM joint_action a WHERE a.status IN ('HELD', 'REPORTED')
          AND (a.held_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN $2::date AND $3::date
          AND EXISTS (SELECT 1 FROM territory_unit t WHERE t.id = ANY(a.target_unit_ids) AND t.path @> ARRAY[$1::uuid])`,
          [street, quarter.startsOn, quarter.endsOn],
        )
      )[0].count;
    const [one, two] = streets;
    const already = { one: await heldBefore(one), two: await heldBefore(two) };

    // Street one's quarterly campaign asks for already + 2 actions; street two keeps the default rule (one action).
    const rule = await ok(admin, CREATE, {
      input: {
        kind: 'QUARTERLY_JOINT_ACTION',
        name: '季度管执联动',
        startsOn: quarter.startsOn,
        endsOn: quarter.endsOn,
        targetUnitIds: [one],
        participatingBureauIds: [],
      },
    });
    await ok(admin, TARGETS, { id: rule.id, input: { wasteStreams: [], requiredActions: already.one + 2 } });

    // Each street holds one action that quarter.
    for (const [index, street] of [one, two].entries()) {
      const startsAt = new Date(`${day}T${String(9 + index).padStart(2, '0')}:00:00+08:00`);
      const [compound] = await db().query(
        `SELECT c.id FROM territory_unit c WHERE c.kind = 'COMPOUND' AND c.path @> ARRAY[$1::uuid]
            AND NOT EXISTS (SELECT 1 FROM joint_action_booking b WHERE b.resource_id = ANY(c.path) AND b.during && tstzrange($2::timestamptz, $2::timestamptz + interval '1 hour'))
          ORDER BY c.id LIMIT 1`,
        [street, startsAt],
      );
      const action = await ok(admin, SCHEDULE, {
        input: {
          title: '季度联合执法',
          leadBureauId: lead.id,
          targetUnitIds: [compound.id],
          teamIds: [],
          officerIds: [],
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 3600_000).toISOString(),
        },
      });
      await ok(admin, HOLD, { id: action.id, input: { heldAt: startsAt.toISOString(), participants: [{ bureauId: lead.id }] } });
    }

    const coverage = async (token: string, state?: string) =>
      (await ok(token, COVERAGE, { quarter: quarter.key, state })).edges.map((e: any) => e.node);
    const byStreet = (rows: any[]) => Object.fromEntries(rows.map((r) => [r.street.id, r]));

    // Before the quarter is closed the figures are live: street one is short (OPEN), street two has met its rule if it had none before.
    const open = byStreet(await coverage(admin));
    expect(open[one]).toMatchObject({ required: already.one + 2, held: already.one + 1, state: 'OPEN', escalatedAt: null });
    expect(open[two]).toMatchObject({ required: 1, held: already.two + 1, state: 'MET' });

    // The daily job on the first day of the next quarter closes it; reruns change nothing.
    const firstDay = addDays(quarter.endsOn, 1);
    await waitForJob(queue, await queue.add(JobName.QuarterlyActionDraft, { firedAt: `${firstDay}T03:00:00+08:00` }), 'the quarterly job');
    const closed = byStreet(await coverage(admin));
    expect(closed[one]).toMatchObject({ required: already.one + 2, held: already.one + 1, state: 'MISSED' });
    expect(closed[one].escalatedAt).not.toBeNull();
    expect(closed[two]).toMatchObject({ state: 'MET', escalatedAt: null });
    expect((await coverage(admin, 'MISSED')).map((r: any) => r.street.id)).toEqual([one]);

    await waitForJob(
      queue,
      await queue.add(JobName.QuarterlyActionDraft, { firedAt: `${addDays(firstDay, 1)}T03:00:00+08:00` }),
      'the quarterly job again',
    );
    expect(byStreet(await coverage(admin))).toEqual(closed);
    const [{ count: rows }] = await db().query(`SELECT count(*)::int AS count FROM joint_action_quarter WHERE quarter = $1`, [quarter.key]);
    expect(rows).toBe(streets.length);

    // A street's own staff see their street only.
    const streetTwoAdmin = await platform.token([Role.STREET_ADMIN], two);
    expect((await coverage(streetTwoAdmin)).map((r: any) => r.street.id)).toEqual([two]);
    // A malformed quarter is refused.
    const bad: any = await platform.query(admin, COVERAGE, { quarter: '2026-Q5' });
    expect(bad.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_QUARTER' });
  });
});
