import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { addMonths, monthStart, shanghaiMonth } from '#libs/calendar';
import { EventType, JobName, QueueName, ServiceName } from '#libs/messaging';
import { codeOf, fieldOf, platformQueue, reasonOf, waitFor, waitForJob } from '#libs/testing';
import { enrolInstitution, startPlatform, type TestPlatform } from '#tools/test-platform';

/** The demo's last graded month: the month the schedule evaluates on the 1st of this one. */
const MONTH = addMonths(shanghaiMonth(), -1);
/** A month the demo does not touch. */
const UNTOUCHED = addMonths(shanghaiMonth(), -3);

const RUNS = `query($month: String, $trigger: EvaluationTrigger, $status: EvaluationRunStatus, $org: ID, $first: Int, $after: String) {
  evaluationRuns(month: $month, trigger: $trigger, status: $status, orgUnitId: $org, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id month orgUnit { id } trigger status householdsEvaluated householdsTotal progress startedAt finishedAt error } } } }`;
const RUN = `mutation($month: String!, $org: ID!) { runMonthlyEvaluation(month: $month, orgUnitId: $org) { id } }`;
const MONTH_AT_A_GLANCE = `query($month: String!) { districtMonth(month: $month) {
  month stage blockers { code message subjectId count }
  evaluation { published graded openObjections objectionWindowOpen runCount runsFailed }
  runs(trigger: MANUAL, first: 50) { edges { node { id } } }
  notices { monthReceived generated made pending residentsWaiting institutionsWaiting
    waiting(first: 100) { totalCount edges { node { institutionId institutionName reason residents notices } } } }
  vanguard { scored membersScored }
  creditExports { due sent failed } } }`;

describe('the month at a glance: evaluation runs and districtMonth', () => {
  let platform: TestPlatform;
  let admin: string;
  let household: string;
  let community: string;
  let streetA: string;
  let streetB: string;
  let communityRun: string;
  const unknownInstitution = randomUUID();
  const households = () => platform.database(ServiceName.Households);

  const runs = async (token: string, variables: Record<string, unknown>) => await fieldOf(platform.query(token, RUNS, variables));
  const glance = async (month = MONTH) => await fieldOf(platform.query(admin, MONTH_AT_A_GLANCE, { month }));
  const blockersAbout = (month: any, subjectId: string) => month.blockers.filter((b: any) => b.subjectId === subjectId);

  beforeAll(async () => {
    platform = await startPlatform({ streets: 2, households: 120 });
    admin = await platform.token([Role.DISTRICT_ADMIN]);
    // A household graded in MONTH, in a community of one street; the other street's admin is the outsider.
    const [row] = await households().query(
      `SELECT g.household_id AS household, t.parent_id AS community, (c.path::text[])[2] AS street
         FROM monthly_grade g JOIN household h ON h.id = g.household_id
         JOIN territory_unit t ON t.id = h.compound_id JOIN territory_unit c ON c.id = t.parent_id
        WHERE g.month = $1 AND g.status = 'GRADED' ORDER BY g.household_id LIMIT 1`,
      [monthStart(MONTH)],
    );
    ({ household, community } = row);
    streetA = row.street;
    streetB = platform.plan.streets.map((street) => street.id).find((id) => id !== streetA)!;
    // A resident employed by an institution organization never announced (written directly: the registry checks
    // institutions, and what is tested is notifications' wait for it).
    await households().query(
      `INSERT INTO resident (household_id, name, occupation, institution_id, birth_date) VALUES ($1, '周未知', 'EMPLOYED', $2, DATE '1980-02-02')`,
      [household, unknownInstitution],
    );
    // Three failed inspections and an on-demand run over the community: the household is UNQUALIFIED, which earns
    // its residents reminders to their employers; the one to the unknown employer is held.
    const secretary = await platform.token([Role.COMMUNITY_SECRETARY], community);
    for (const day of [3, 4, 5]) {
      await fieldOf(
        platform.query(
          secretary,
          `mutation($input: RecordInspectionInput!, $key: String!) { recordInspection(input: $input, idempotencyKey: $key) { id } }`,
          {
            input: {
              householdId: household,
              kind: 'BAG_CHECK',
              result: 'FAIL',
              issues: ['BAG_DUMPED'],
              inspectedAt: `${MONTH}-0${day}T09:00:00+08:00`,
            },
            key: randomUUID(),
          },
        ),
      );
    }
    const started = await fieldOf(platform.query(admin, RUN, { month: MONTH, org: community }));
    communityRun = started.id;
    await waitFor(
      'the notice to the unknown employer to be held',
      async () => {
        const [{ held }] = await platform
          .database(ServiceName.Notifications)
          .query(`SELECT count(*)::int AS held FROM held_notice WHERE month = $1 AND institution_id = $2`, [
            monthStart(MONTH),
            unknownInstitution,
          ]);
        return held > 0;
      },
      60_000,
    );
  }, 180_000);

  afterAll(async () => {
    await platform.stop();
  });

  it("lists the schedule's run and the on-demand run of a month, with progress and times, filtered by trigger, status and unit", async () => {
    const queue = platformQueue(platform, QueueName.HouseholdsJobs);
    try {
      await queue.add(JobName.MonthlyEvaluation, { firedAt: `${shanghaiMonth()}-01T02:00:00+08:00` });
    } finally {
      await queue.close();
    }
    const scheduled = await waitFor('the scheduled run to complete', async () => {
      const page = await runs(admin, { month: MONTH, trigger: 'SCHEDULE' });
      return page.edges.length === 1 && page.edges[0].node.status === 'COMPLETED' ? page.edges[0].node : null;
    });
    const [{ households: registered }] = await households().query(`SELECT count(*)::int AS households FROM household`);
    expect(scheduled).toMatchObject({
      month: MONTH,
      orgUnit: { id: platform.plan.district.id },
      trigger: 'SCHEDULE',
      householdsTotal: registered,
      householdsEvaluated: registered,
      progress: 1,
      error: null,
    });
    expect(new Date(scheduled.finishedAt).getTime()).toBeGreaterThanOrEqual(new Date(scheduled.startedAt).getTime());

    const onDemand = await runs(admin, { month: MONTH, trigger: 'MANUAL', org: community });
    expect(onDemand.edges.map((edge: any) => edge.node.id)).toEqual([communityRun]);
    expect(onDemand.edges[0].node).toMatchObject({ trigger: 'MANUAL', status: 'COMPLETED', orgUnit: { id: community } });
    expect(onDemand.edges[0].node.householdsTotal).toBeGreaterThan(0);

    // Both triggers of the month, newest first, a page at a time; no run of the month is still going.
    const all = await runs(admin, { month: MONTH, status: 'COMPLETED' });
    const ids = all.edges.map((edge: any) => edge.node.id);
    expect(ids.slice(0, 2)).toEqual([scheduled.id, communityRun]);
    expect(all.totalCount).toBe(ids.length);
    expect((await runs(admin, { month: MONTH, status: 'RUNNING' })).totalCount).toBe(0);
    const first = await runs(admin, { month: MONTH, first: 1 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await runs(admin, { month: MONTH, first: 1, after: first.pageInfo.endCursor });
    expect(second.edges[0].node.id).toBe(ids[1]);
  });

  it("shows a street admin its territory's runs only", async () => {
    const adminA = await platform.token([Role.STREET_ADMIN], streetA);
    const adminB = await platform.token([Role.STREET_ADMIN], streetB);
    const seenByA = (await runs(adminA, { month: MONTH })).edges.map((edge: any) => edge.node.id);
    expect(seenByA).toEqual([communityRun]);
    expect((await runs(adminB, { month: MONTH })).edges.map((edge: any) => edge.node.orgUnit.id)).not.toContain(community);
    const outside = await platform.query(adminB, RUNS, { org: community });
    expect([codeOf(outside), reasonOf(outside)]).toEqual(['FORBIDDEN', 'OUT_OF_SCOPE']);
    const resident = await platform.token([Role.RESIDENT], community, 'resident-1', household);
    const refused = await platform.query(resident, RUNS, {});
    expect([codeOf(refused), reasonOf(refused)]).toEqual(['FORBIDDEN', 'MISSING_PERMISSION']);
  });

  it("shows a failed run with its reason, and as its month's blocker until a run completes the unit", async () => {
    const [failed] = await households().query(
      `INSERT INTO evaluation_run (month, org_unit_id, trigger, requested_by, status, total_chunks, error, started_at, finished_at)
       VALUES ($1, $2, 'SCHEDULE', 'system:monthly-evaluation', 'FAILED', 3, 'Unit 4f0c is not in the territory copy', now(), now()) RETURNING id`,
      [monthStart(UNTOUCHED), platform.plan.district.id],
    );
    const listed = await runs(admin, { status: 'FAILED' });
    expect(listed.edges.map((edge: any) => edge.node)).toEqual([
      expect.objectContaining({ id: failed.id, month: UNTOUCHED, trigger: 'SCHEDULE', error: 'Unit 4f0c is not in the territory copy' }),
    ]);
    const stuck = await glance(UNTOUCHED);
    expect(stuck.stage).toBe('EVALUATING');
    expect(stuck.evaluation).toMatchObject({ published: false, runCount: 1, runsFailed: 1 });
    expect(stuck.blockers).toEqual([
      expect.objectContaining({
        code: 'EVALUATION_RUN_FAILED',
        subjectId: failed.id,
        message: expect.stringContaining('not in the territory copy'),
      }),
    ]);
    // A run over the district that completes grades the unit after all: the failure no longer blocks the month.
    const rerun = await fieldOf(platform.query(admin, RUN, { month: UNTOUCHED, org: platform.plan.district.id }));
    await waitFor('the new run to complete', async () => (await runs(admin, { month: UNTOUCHED, status: 'COMPLETED' })).totalCount === 1);
    const moved = await glance(UNTOUCHED);
    expect(moved.evaluation).toMatchObject({ published: true, runCount: 2, runsFailed: 1 });
    expect(moved.runs.edges.map((edge: any) => edge.node.id)).toEqual([rerun.id]);
    expect(moved.blockers.filter((b: any) => b.code === 'EVALUATION_RUN_FAILED')).toEqual([]);
  });

  it('names the institution notices wait for, with how many residents, and reports it as a blocker', async () => {
    const month = await glance();
    expect(month.evaluation).toMatchObject({ published: true, objectionWindowOpen: false });
    expect(month.runs.edges.map((edge: any) => edge.node.id)).toContain(communityRun);
    expect(month.notices).toMatchObject({ monthReceived: true, generated: true });
    expect(month.notices.waiting.edges.map((edge: any) => edge.node)).toContainEqual({
      institutionId: unknownInstitution,
      institutionName: null,
      reason: 'UNKNOWN_INSTITUTION',
      residents: 1,
      notices: 1,
    });
    expect(month.notices.residentsWaiting).toBeGreaterThanOrEqual(1);
    expect(blockersAbout(month, unknownInstitution)).toEqual([
      {
        code: 'NOTICES_WAIT_FOR_INSTITUTION',
        subjectId: unknownInstitution,
        count: 1,
        message: expect.stringContaining(unknownInstitution),
      },
    ]);
    expect(month.stage).toBe('FOLLOWING_UP');
  });

  it('clears the blocker when the institution arrives, and the enrolment blocker that follows when it enrols', async () => {
    const queue = platformQueue(platform, QueueName.NotificationsEvents);
    try {
      const id = randomUUID();
      const payload = { institutions: [{ id: unknownInstitution, kind: 'EMPLOYER', name: '新到单位有限公司', version: 1 }] };
      const job = await queue.add(
        EventType.InstitutionsChanged,
        {
          id,
          type: EventType.InstitutionsChanged,
          source: ServiceName.Organization,
          occurredAt: new Date().toISOString(),
          payloadJson: JSON.stringify(payload),
        },
        { jobId: id },
      );
      await waitForJob(queue, job, 'the institution announced late');
    } finally {
      await queue.close();
    }
    // Its notice is made and released now, but the institution has no key and no webhook: nothing can reach it. The
    // demo's institutions have not enrolled either, so this wait is one of many (the blockers name the largest).
    const arrived = await glance();
    expect(arrived.blockers.filter((b: any) => b.code === 'NOTICES_WAIT_FOR_INSTITUTION' && b.subjectId === unknownInstitution)).toEqual(
      [],
    );
    expect(arrived.notices.waiting.edges.map((edge: any) => edge.node)).toContainEqual({
      institutionId: unknownInstitution,
      institutionName: '新到单位有限公司',
      reason: 'NOT_ENROLLED',
      residents: 1,
      notices: 1,
    });
    expect(arrived.blockers.map((b: any) => b.code)).toContain('NOTICES_WAIT_FOR_ENROLMENT');

    await enrolInstitution(platform, unknownInstitution);
    const enrolled = await glance();
    expect(blockersAbout(enrolled, unknownInstitution)).toEqual([]);
    expect(enrolled.notices.waiting.edges.map((edge: any) => edge.node.institutionId)).not.toContain(unknownInstitution);
  });

  it('reports a month published a while ago whose vanguard index was never computed, until it is', async () => {
    const earlier = addMonths(MONTH, -1);
    // As if organization had missed the month's announcement, and the grace period had passed since publication.
    await platform.database(ServiceName.Organization).query(`DELETE FROM vanguard_index_month WHERE month = $1`, [monthStart(earlier)]);
    await households().query(`UPDATE evaluation_month SET completed_at = completed_at - interval '1 hour' WHERE month = $1`, [
      monthStart(earlier),
    ]);
    const stuck = await glance(earlier);
    expect(stuck.vanguard).toMatchObject({ scored: false, membersScored: 0 });
    expect(stuck.stage).toBe('FOLLOWING_UP');
    expect(stuck.blockers).toContainEqual(
      expect.objectContaining({ code: 'VANGUARD_NOT_SCORED', message: expect.stringContaining('15 minutes') }),
    );

    await fieldOf(
      platform.query(admin, `mutation($month: String!) { computeVanguardIndex(month: $month) { members } }`, { month: earlier }),
    );
    const scored = await glance(earlier);
    expect(scored.vanguard.scored).toBe(true);
    expect(scored.blockers.map((b: any) => b.code)).not.toContain('VANGUARD_NOT_SCORED');
  });

  it("counts the month's credit exports by state, and one that failed for good as a blocker", async () => {
    const enforcement = platform.database(ServiceName.Enforcement);
    const month = shanghaiMonth();
    const [{ delivered }] = await enforcement.query(`SELECT count(*)::int AS delivered FROM credit_export WHERE state = 'DELIVERED'`);
    expect(delivered).toBeGreaterThan(1);
    expect((await glance(month)).creditExports).toEqual({ due: 0, sent: delivered, failed: 0 });
    // As the dispatcher leaves an export whose every attempt the credit system refused.
    await enforcement.query(
      `UPDATE credit_export SET state = 'FAILED', delivered_at = NULL, last_error = 'HTTP 500' WHERE id = (SELECT min(id::text)::uuid FROM credit_export)`,
    );
    const failed = await glance(month);
    expect(failed.creditExports).toEqual({ due: 0, sent: delivered - 1, failed: 1 });
    expect(failed.blockers).toContainEqual(expect.objectContaining({ code: 'CREDIT_EXPORTS_FAILED', count: 1 }));
  });

  it('lets an operator follow the month as a district admin does: the same stage, blockers and runs', async () => {
    const operator = await platform.token([Role.OPERATOR]);
    const [asOperator, asAdmin] = await Promise.all([fieldOf(platform.query(operator, MONTH_AT_A_GLANCE, { month: MONTH })), glance()]);
    expect(asOperator).toEqual(asAdmin);
    const runs = await platform.query(
      operator,
      `query($month: String!) { evaluationRuns(month: $month, first: 50) { edges { node { id } } } }`,
      {
        month: MONTH,
      },
    );
    expect(runs.errors).toBeUndefined();
    expect(runs.data?.evaluationRuns.edges.map((edge: any) => edge.node.id)).toContain(communityRun);
  });

  it('is for district-wide staff: others are refused with a coded error and get no data', async () => {
    const cases: [string | null, string, string][] = [
      [await platform.token([Role.STREET_ADMIN], streetA), 'FORBIDDEN', 'OUT_OF_SCOPE'],
      [await platform.token([Role.COMMUNITY_SECRETARY], community), 'FORBIDDEN', 'MISSING_PERMISSION'],
      [await platform.token([Role.BUREAU_OFFICER]), 'FORBIDDEN', 'MISSING_PERMISSION'],
      [null, 'UNAUTHENTICATED', 'MISSING_CREDENTIALS'],
    ];
    for (const [token, code, reason] of cases) {
      const answer = await platform.query(token, `query($month: String!) { districtMonth(month: $month) { stage } }`, { month: MONTH });
      expect([codeOf(answer), reasonOf(answer), answer.data?.districtMonth ?? null]).toEqual([code, reason, null]);
    }
    const future = await platform.query(admin, `query($month: String!) { districtMonth(month: $month) { month } }`, {
      month: addMonths(shanghaiMonth(), 1),
    });
    expect([codeOf(future), reasonOf(future)]).toEqual(['BAD_USER_INPUT', 'FUTURE_MONTH']);
  });
});
