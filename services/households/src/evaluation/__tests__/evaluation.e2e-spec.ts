import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { addMonths, shanghaiMonth } from '#libs/calendar';
import { EventType, JobName, QueueName, ServiceName } from '#libs/messaging';
import { errorCodes, platformQueue, waitFor } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';

const RECORD = `mutation($input: RecordInspectionInput!, $key: String!) { recordInspection(input: $input, idempotencyKey: $key) { id month } }`;
const RUN = `mutation($month: String!, $org: ID!) { runMonthlyEvaluation(month: $month, orgUnitId: $org) { id status totalChunks } }`;
const RUN_STATUS = `query($id: ID!) { evaluationRun(id: $id) { id status progress completedChunks totalChunks householdsEvaluated gradesChanged trigger } }`;
const GRADE = `query($h: ID!, $month: String!) { householdGrade(householdId: $h, month: $month) {
  month status grade gradeLabelZh score inspectionCount ruleVersion previousGrade reasons { rule points inspectionId descriptionZh } } }`;

/** A month no demo data touches (the demo grades the last two), recent enough for inspections to be recorded. */
const MONTH = addMonths(shanghaiMonth(), -3);

describe('the monthly evaluation', () => {
  let platform: TestPlatform;
  let admin: string;
  let secretary: string;
  let community: string;
  let households: string[];

  const households$ = () => platform.database(ServiceName.Households);

  async function inspect(household: string, result: string, issues: string[], day: number, key = randomUUID()) {
    const inspectedAt = `${MONTH}-${String(day).padStart(2, '0')}T10:00:00+08:00`;
    const response = await platform.query(secretary, RECORD, {
      input: { householdId: household, kind: 'BIN_SIDE', result, issues, inspectedAt },
      key,
    });
    expect(response.errors).toBeUndefined();
  }

  /** Runs the evaluation through the API and waits (bounded) for the run to finish. */
  async function evaluate(month: string, orgUnitId: string, token = admin) {
    const started: any = await platform.query(token, RUN, { month, org: orgUnitId });
    expect(started.errors).toBeUndefined();
    return waitFor(`run ${started.data.runMonthlyEvaluation.id} to complete`, async () => {
      const run: any = ((await platform.query(token, RUN_STATUS, { id: started.data.runMonthlyEvaluation.id })) as any).data.evaluationRun;
      return run.status === 'COMPLETED' ? run : null;
    });
  }

  const grade = async (household: string, month = MONTH) =>
    ((await platform.query(admin, GRADE, { h: household, month })) as any).data.householdGrade;

  const publishedEvents = async (month: string) =>
    households$().query(`SELECT id, payload FROM outbox_event WHERE type = $1 AND payload->>'month' = $2 ORDER BY seq`, [
      EventType.HouseholdGradesPublished,
      month,
    ]);

  beforeAll(async () => {
    platform = await startPlatform({ streets: 1, households: 120 });
    admin = await platform.token([Role.DISTRICT_ADMIN]);
    [{ community }] = await households$().query(
      `SELECT t.parent_id AS community FROM household h JOIN territory_unit t ON t.id = h.compound_id
        GROUP BY t.parent_id HAVING count(*) >= 9 ORDER BY t.parent_id LIMIT 1`,
    );
    secretary = await platform.token([Role.COMMUNITY_SECRETARY], community, 'secretary-e');
    households = (
      await households$().query(
        `SELECT h.id FROM household h JOIN territory_unit t ON t.id = h.compound_id WHERE t.parent_id = $1 ORDER BY h.id LIMIT 9`,
        [community],
      )
    ).map((row: { id: string }) => row.id);
  });

  afterAll(() => platform.stop());

  it('grades each rule at its boundary, explains why, and says when there was no evidence', async () => {
    const [at84, at85, at60, at59, capped] = households;
    await inspect(at84, 'FAIL', ['OTHER'], 3); // 15 + 1 = 16 points → 84
    await inspect(at85, 'MINOR_ISSUE', ['RECYCLABLES_MIXED'], 3); // 5 + 2
    await inspect(at85, 'MINOR_ISSUE', ['KITCHEN_WASTE_CONTAMINATED'], 9); // 5 + 3 → 15 points → 85
    await inspect(at60, 'FAIL', ['HAZARDOUS_MISSORTED'], 2); // 25
    await inspect(at60, 'MINOR_ISSUE', ['KITCHEN_WASTE_CONTAMINATED'], 4); // 8
    await inspect(at60, 'MINOR_ISSUE', ['RECYCLABLES_MIXED'], 6); // 7 → 40 points → 60
    await inspect(at59, 'FAIL', ['HAZARDOUS_MISSORTED'], 2);
    await inspect(at59, 'MINOR_ISSUE', ['KITCHEN_WASTE_CONTAMINATED', 'OTHER'], 4);
    await inspect(at59, 'MINOR_ISSUE', ['RECYCLABLES_MIXED'], 6); // 41 points → 59
    await inspect(capped, 'PASS', [], 1);
    await inspect(capped, 'MINOR_ISSUE', ['HAZARDOUS_MISSORTED'], 12); // 15 points → 85, but hazardous waste caps it

    const run = await evaluate(MONTH, community);
    expect(run).toMatchObject({ status: 'COMPLETED', progress: 1, trigger: 'MANUAL' });
    expect(run.householdsEvaluated).toBeGreaterThanOrEqual(9);

    expect(await grade(at84)).toMatchObject({
      status: 'GRADED',
      grade: 'BASICALLY_QUALIFIED',
      score: 84,
      inspectionCount: 1,
      ruleVersion: 1,
    });
    expect(await grade(at85)).toMatchObject({ grade: 'QUALIFIED', gradeLabelZh: '合格', score: 85 });
    expect(await grade(at60)).toMatchObject({ grade: 'BASICALLY_QUALIFIED', score: 60 });
    expect(await grade(at59)).toMatchObject({ grade: 'UNQUALIFIED', gradeLabelZh: '不合格', score: 59 });
    const cappedGrade = await grade(capped);
    expect(cappedGrade).toMatchObject({ grade: 'BASICALLY_QUALIFIED', score: 85 });
    expect(cappedGrade.reasons.map((r: any) => r.rule)).toEqual(['INSPECTION_PENALTY', 'ISSUE_CAP', 'SCORE']);

    const explained = await grade(at84);
    expect(explained.reasons[0]).toMatchObject({ rule: 'INSPECTION_PENALTY', points: -16 });
    expect(explained.reasons[0].descriptionZh).toBe(`${Number(MONTH.slice(5))}月3日桶边督导：不合格（其他问题），扣16分`);
    expect(explained.reasons.at(-1).descriptionZh).toContain('得分84');

    const nothing = await grade(households[8]);
    expect(nothing).toMatchObject({ status: 'NO_EVIDENCE', grade: null, score: null, inspectionCount: 0 });
    expect(nothing.reasons).toEqual([expect.objectContaining({ rule: 'NO_EVIDENCE', descriptionZh: '本月没有检查记录，不作评价' })]);
  });

  it('tells notifications and organization each graded resident by id: never a name, phone or birth date', async () => {
    const events = await publishedEvents(MONTH);
    expect(events.length).toBeGreaterThan(0);
    const published = events.flatMap((event: any) => event.payload.households);
    const at59 = published.find((h: any) => h.householdId === households[3]);
    expect(at59).toMatchObject({ grade: 'UNQUALIFIED', status: 'GRADED', correction: false, ruleVersion: 1 });
    expect(JSON.stringify(events)).not.toMatch(/phone|birth|room|building/i);

    // No resident carries a name (notifications asks households when it makes a notice); adult retirees and freelancers,
    // who may be disclosed publicly, carry a masked name and their recorded ground.
    const residents = published.flatMap((h: any) => h.residents);
    expect(residents.length).toBeGreaterThan(0);
    for (const resident of residents) {
      expect(resident).not.toHaveProperty('name');
      const disclosable = ['RETIRED', 'FREELANCE'].includes(resident.occupation) && !resident.minor;
      expect(resident.maskedName !== null).toBe(disclosable);
      if (disclosable) {
        expect(resident.maskedName).toContain('*');
        expect(['NONE', 'CONSENT', 'REGULATION']).toContain(resident.disclosureBasis);
      }
    }
    const names: { name: string }[] = await households$().query(`SELECT name FROM resident WHERE household_id = ANY($1::uuid[])`, [
      published.map((h: any) => h.householdId),
    ]);
    const text = JSON.stringify(events);
    expect(names.filter(({ name }) => text.includes(`"${name}"`))).toEqual([]);

    const registered: { id: string }[] = await households$().query(`SELECT id FROM resident WHERE household_id = $1`, [households[3]]);
    await waitFor('notifications to record the grades', async () => {
      const rows = await platform.database(ServiceName.Notifications).query(
        `SELECT r.resident_id, h.grade FROM graded_resident r JOIN graded_household h USING (month, household_id)
          WHERE r.month = $1 AND r.household_id = $2`,
        [`${MONTH}-01`, households[3]],
      );
      return rows.length === registered.length && rows.every((row: any) => row.grade === 'UNQUALIFIED');
    });
  });

  it('changes nothing and announces nothing when a month is re-run', async () => {
    const before = await publishedEvents(MONTH);
    const [{ snapshot: gradesBefore }] = await households$().query(
      `SELECT md5(string_agg(household_id::text || coalesce(grade, '-') || computed_at::text, ',' ORDER BY household_id)) AS snapshot FROM monthly_grade WHERE month = $1`,
      [`${MONTH}-01`],
    );
    const rerun = await evaluate(MONTH, community);
    expect(rerun.gradesChanged).toBe(0);
    expect(await publishedEvents(MONTH)).toHaveLength(before.length);
    const [{ snapshot: gradesAfter }] = await households$().query(
      `SELECT md5(string_agg(household_id::text || coalesce(grade, '-') || computed_at::text, ',' ORDER BY household_id)) AS snapshot FROM monthly_grade WHERE month = $1`,
      [`${MONTH}-01`],
    );
    expect(gradesAfter).toBe(gradesBefore);
  });

  it('regrades only what late evidence changed, and publishes it as a correction', async () => {
    const at85 = households[1];
    await inspect(at85, 'MINOR_ISSUE', ['OTHER'], 20); // 6 more points → 79
    const before = await publishedEvents(MONTH);
    const rerun = await evaluate(MONTH, community);
    expect(rerun.gradesChanged).toBe(1);
    expect(await grade(at85)).toMatchObject({ grade: 'BASICALLY_QUALIFIED', score: 79, inspectionCount: 3 });
    const added = (await publishedEvents(MONTH)).slice(before.length);
    expect(added).toHaveLength(1);
    expect(added[0].payload.households).toEqual([
      expect.objectContaining({ householdId: at85, grade: 'BASICALLY_QUALIFIED', correction: true }),
    ]);
  });

  it('announces a district month complete once, however often it is evaluated', async () => {
    const completions = () =>
      households$().query(`SELECT payload FROM outbox_event WHERE type = $1 AND payload->>'month' = $2`, [
        EventType.MonthlyEvaluationCompleted,
        MONTH,
      ]);
    expect(await completions()).toHaveLength(0); // community runs do not complete a district month
    await evaluate(MONTH, platform.plan.district.id);
    const [completed] = await completions();
    const [{ count }] = await households$().query(`SELECT count(*)::int AS count FROM household`);
    expect(completed.payload).toMatchObject({ month: MONTH, districtId: platform.plan.district.id, households: count });
    await evaluate(MONTH, platform.plan.district.id);
    expect(await completions()).toHaveLength(1);
  });

  it('grades a month with the rule version in force for it, and keeps earlier months on theirs', async () => {
    const current = shanghaiMonth();
    const v2 = {
      districtId: platform.plan.district.id,
      effectiveFrom: current,
      description: '第2版：两次不合格即评为不合格',
      scoreStart: 100,
      passPenalty: 0,
      minorIssuePenalty: 2,
      failPenalty: 1,
      issuePenalties: [{ issue: 'OTHER', points: 0 }],
      qualifiedFrom: 90,
      basicallyQualifiedFrom: 70,
      unqualifiedAtFails: 2,
      capIssues: [],
    };
    const CREATE = `mutation($input: CreateGradingRuleSetInput!) { createGradingRuleSet(input: $input) { version effectiveFrom qualifiedFrom } }`;
    const past = await platform.query(admin, CREATE, { input: { ...v2, effectiveFrom: addMonths(current, -1) } });
    expect(past.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'RULES_IN_THE_PAST' });
    const created: any = await platform.query(admin, CREATE, { input: v2 });
    expect(created.errors).toBeUndefined();
    expect(created.data.createGradingRuleSet).toMatchObject({ version: 2, effectiveFrom: current, qualifiedFrom: 90 });

    const household = households[6];
    for (const minutes of [30, 40]) {
      const inspectedAt = new Date(Date.parse(`${current}-01T00:00:00+08:00`) + minutes * 60_000).toISOString();
      await platform.query(secretary, RECORD, {
        input: { householdId: household, kind: 'PATROL', result: 'FAIL', issues: ['OTHER'], inspectedAt },
        key: randomUUID(),
      });
    }
    await evaluate(current, community);
    const graded = await grade(household, current);
    expect(graded).toMatchObject({ grade: 'UNQUALIFIED', score: 98, ruleVersion: 2 });
    expect(graded.reasons.map((r: any) => r.rule)).toContain('FAIL_COUNT');

    const rerun = await evaluate(MONTH, community);
    expect(rerun.gradesChanged).toBe(0);
    expect(await grade(households[0])).toMatchObject({ ruleVersion: 1 });
  });

  it('runs on the 1st at 02:00 Asia/Shanghai, evaluates the month that ended, and only once per month', async () => {
    const queue = platformQueue(platform, QueueName.HouseholdsJobs);
    try {
      const scheduler = await queue.getJobScheduler('monthly-evaluation');
      expect(scheduler).toMatchObject({ pattern: '0 2 1 * *', tz: 'Asia/Shanghai' });
      const next = new Date(Number(scheduler!.next));
      expect(next.toISOString()).toBe(new Date(`${addMonths(shanghaiMonth(), 1)}-01T02:00:00+08:00`).toISOString());

      const ended = addMonths(shanghaiMonth(), -1);
      const firedAt = `${shanghaiMonth()}-01T02:00:00+08:00`;
      const scheduledRuns = () =>
        households$().query(`SELECT id, status FROM evaluation_run WHERE trigger = 'SCHEDULE' AND month = $1`, [`${ended}-01`]);
      await queue.add(JobName.MonthlyEvaluation, { firedAt });
      const [run] = await waitFor('the scheduled run to finish', async () => {
        const runs = await scheduledRuns();
        return runs.length === 1 && runs[0].status === 'COMPLETED' ? runs : null;
      });
      // The demo already graded that month: the scheduled run finds everything right.
      const [{ grades_changed }] = await households$().query(`SELECT grades_changed FROM evaluation_run WHERE id = $1`, [run.id]);
      expect(grades_changed).toBe(0);

      const redelivered = await queue.add(JobName.MonthlyEvaluation, { firedAt });
      await waitFor('the second delivery to be handled', async () => (await redelivered.getState()) === 'completed');
      expect(await scheduledRuns()).toHaveLength(1);
    } finally {
      await queue.close();
    }
  });

  it('rolls the figures up the territory tree: every unit adds up to its parent', async () => {
    const month = addMonths(shanghaiMonth(), -1);
    const STATS = `query($org: ID!, $month: String!) { sortingStats(orgUnitId: $org, month: $month) {
      households evaluated noEvidence qualified basicallyQualified unqualified passRate coverage upgrades
      children { orgUnit { id } households evaluated qualified basicallyQualified unqualified upgrades } } }`;
    const district: any = ((await platform.query(admin, STATS, { org: platform.plan.district.id, month })) as any).data.sortingStats;
    const [counts] = await households$().query(
      `SELECT count(*)::int AS households, count(g.*) FILTER (WHERE g.status = 'GRADED')::int AS evaluated,
              count(*) FILTER (WHERE g.grade = 'QUALIFIED')::int AS qualified, count(*) FILTER (WHERE g.grade <> 'QUALIFIED')::int AS others,
              count(*) FILTER (WHERE g.previous_grade = 'UNQUALIFIED' AND g.grade = 'QUALIFIED')::int AS upgrades
         FROM household h LEFT JOIN monthly_grade g ON g.household_id = h.id AND g.month = $1`,
      [`${month}-01`],
    );
    expect(district).toMatchObject({
      households: counts.households,
      evaluated: counts.evaluated,
      qualified: counts.qualified,
      upgrades: counts.upgrades,
    });
    expect(district.basicallyQualified + district.unqualified).toBe(counts.others);
    expect(district.passRate).toBeCloseTo((district.qualified + district.basicallyQualified) / district.evaluated, 4);
    expect(district.coverage).toBeCloseTo(district.evaluated / district.households, 4);

    const sum = (units: any[], field: string) => units.reduce((total, unit) => total + unit[field], 0);
    for (const field of ['households', 'evaluated', 'qualified', 'basicallyQualified', 'unqualified', 'upgrades']) {
      expect(sum(district.children, field)).toBe(district[field]);
    }
    const street: any = ((await platform.query(admin, STATS, { org: platform.plan.streets[0].id, month })) as any).data.sortingStats;
    expect(street.households).toBe(district.households);
    expect(street.children.length).toBe(platform.plan.communities.length);
    for (const field of ['households', 'evaluated', 'qualified', 'upgrades']) expect(sum(street.children, field)).toBe(street[field]);
  });

  it('answers bad months and other territories with coded errors', async () => {
    expect(errorCodes(await platform.query(admin, RUN, { month: 'Oct-2026', org: community }))).toEqual(['BAD_USER_INPUT']);
    const future = await platform.query(admin, RUN, { month: addMonths(shanghaiMonth(), 1), org: community });
    expect(future.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'FUTURE_MONTH' });
    expect(errorCodes(await platform.query(admin, GRADE, { h: households[0], month: '2026-13' }))).toEqual(['BAD_USER_INPUT']);
    const elsewhere = await platform.token([Role.COMMUNITY_SECRETARY], platform.plan.communities.find((c) => c.id !== community)!.id);
    expect(errorCodes(await platform.query(elsewhere, GRADE, { h: households[0], month: MONTH }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await platform.query(secretary, RUN, { month: MONTH, org: community }))).toEqual(['FORBIDDEN']);
  });
});
