import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { addMonths, monthStart, shanghaiDate, shanghaiMonth } from '#libs/calendar';
import { EventType, QueueName, ServiceName } from '#libs/messaging';
import { errorCodes, platformQueue, waitForJob } from '#libs/testing';
import { startPlatform, waitForDemoNotices, type TestPlatform } from '#tools/test-platform';

/** The demo grades the last two complete months: MONTH's households have a graded month before them. */
const MONTH = addMonths(shanghaiMonth(), -1);

const CREATE_RULES = `mutation($input: CreateNoticeRuleSetInput!) { createNoticeRuleSet(input: $input) {
  id version effectiveFrom praiseConsecutiveMonths praiseTopShare praiseCapPerInstitution } }`;

interface Household {
  householdId: string;
  community: string;
  grade: string;
  score: number;
  previous: string | null;
}

interface Candidate {
  residentId: string;
  householdId: string;
  institutionId: string;
  /** Whether a notice about them is made at all (a minor's only to a school, with a guardian's consent). */
  made: boolean;
}

interface Notice {
  residentId: string;
  institutionId: string;
}

/** The reproducible lot the rules break equal scores with: md5 of the id and the month's first day, in byte order. */
const lot = (id: string) =>
  createHash('md5')
    .update(`${id}${monthStart(MONTH)}`)
    .digest('hex');
const byScoreThenLot =
  <T>(score: (t: T) => number, id: (t: T) => string) =>
  (a: T, b: T) =>
    score(b) - score(a) || (lot(id(a)) < lot(id(b)) ? -1 : lot(id(a)) > lot(id(b)) ? 1 : 0);
const sorted = (list: Notice[]) =>
  [...list].sort((a, b) => `${a.residentId}${a.institutionId}`.localeCompare(`${b.residentId}${b.institutionId}`));

describe('praise rules that distinguish: consecutive months, top share per community, cap per institution', () => {
  let platform: TestPlatform;
  let admin: string;
  let districtId: string;
  let notifications: () => ReturnType<TestPlatform['database']>;
  let households: () => ReturnType<TestPlatform['database']>;
  let graded: Household[];
  let candidates: Candidate[];

  const baseRules = {
    praiseEnabled: true,
    praiseMinScore: 0,
    praisePreviousMonthQualified: false,
    reminderEnabled: false,
    reminderGrades: ['UNQUALIFIED'],
  };

  /**
   * Publishes `options` through the gateway and makes them MONTH's rules: a version can only be published for this
   * month on, so the test moves it back to MONTH (as if published before MONTH was decided), clears MONTH's notices
   * and announces the month's completion again, as households did, so notifications generates MONTH anew.
   */
  async function regenerateWith(options: Record<string, unknown>): Promise<Notice[]> {
    const created: any = await platform.query(admin, CREATE_RULES, {
      input: { districtId, effectiveFrom: shanghaiMonth(), description: `praise test ${randomUUID()}`, ...baseRules, ...options },
    });
    expect(created.errors).toBeUndefined();
    const db = notifications();
    await db.query(`DELETE FROM notice_rule_set WHERE district_id = $1 AND effective_from = $2`, [districtId, monthStart(MONTH)]);
    await db.query(`UPDATE notice_rule_set SET effective_from = $2 WHERE id = $1`, [
      created.data.createNoticeRuleSet.id,
      monthStart(MONTH),
    ]);
    await db.query(`DELETE FROM notice WHERE month = $1`, [monthStart(MONTH)]);
    await db.query(`DELETE FROM held_notice WHERE month = $1`, [monthStart(MONTH)]);
    await db.query(`UPDATE evaluated_month SET notices_generated_at = NULL WHERE month = $1`, [monthStart(MONTH)]);

    const [event] = await households().query(
      `SELECT payload FROM outbox_event WHERE type = $1 AND payload->>'month' = $2 ORDER BY seq DESC LIMIT 1`,
      [EventType.MonthlyEvaluationCompleted, MONTH],
    );
    const queue = platformQueue(platform, QueueName.NotificationsEvents);
    try {
      const id = randomUUID();
      const job = await queue.add(
        EventType.MonthlyEvaluationCompleted,
        {
          id,
          type: EventType.MonthlyEvaluationCompleted,
          source: ServiceName.Households,
          occurredAt: new Date().toISOString(),
          payloadJson: JSON.stringify(event.payload),
        },
        { jobId: id },
      );
      await waitForJob(queue, job, 'the month announced again');
    } finally {
      await queue.close();
    }
    const [month] = await db.query(`SELECT notices_generated_at IS NOT NULL AS generated FROM evaluated_month WHERE month = $1`, [
      monthStart(MONTH),
    ]);
    expect(month.generated).toBe(true);
    const rows: Notice[] = await db.query(
      `SELECT resident_id AS "residentId", institution_id AS "institutionId" FROM notice
        WHERE month = $1 AND kind = 'PRAISE_LETTER' AND withdrawn_at IS NULL`,
      [monthStart(MONTH)],
    );
    return rows;
  }

  /** The notices praise of `praised` households makes (cap: letters per institution, best score first, then the lot). */
  function lettersFor(praised: Set<string>, cap?: number): Notice[] {
    const score = new Map(graded.map((h) => [h.householdId, h.score]));
    const perInstitution = new Map<string, Candidate[]>();
    for (const c of candidates.filter((c) => praised.has(c.householdId))) {
      perInstitution.set(c.institutionId, [...(perInstitution.get(c.institutionId) ?? []), c]);
    }
    return [...perInstitution.values()].flatMap((list) =>
      list
        .sort(
          byScoreThenLot(
            (c: Candidate) => score.get(c.householdId)!,
            (c) => c.residentId,
          ),
        )
        .slice(0, cap ?? list.length)
        .filter((c) => c.made)
        .map(({ residentId, institutionId }) => ({ residentId, institutionId })),
    );
  }

  beforeAll(async () => {
    platform = await startPlatform({ streets: 1, households: 400 });
    notifications = () => platform.database(ServiceName.Notifications);
    households = () => platform.database(ServiceName.Households);
    admin = await platform.token([Role.DISTRICT_ADMIN]);
    [{ id: districtId }] = await households().query(`SELECT id FROM territory_unit WHERE kind = 'DISTRICT' LIMIT 1`);
    await waitForDemoNotices(platform);
    // What the rules are applied to, read from households' own records.
    graded = (
      await households().query(
        `SELECT g.household_id AS "householdId", t.parent_id AS community, g.grade, g.score, p.grade AS previous
           FROM monthly_grade g
           JOIN household h ON h.id = g.household_id
           JOIN territory_unit t ON t.id = h.compound_id
           LEFT JOIN monthly_grade p ON p.household_id = g.household_id AND p.month = $2
          WHERE g.month = $1 AND g.status = 'GRADED'`,
        [monthStart(MONTH), monthStart(addMonths(MONTH, -1))],
      )
    ).map((h: any) => ({ ...h, score: Number(h.score) }));
    candidates = await households().query(
      `SELECT r.id AS "residentId", r.household_id AS "householdId", r.institution_id AS "institutionId",
              (NOT minor_on(r.birth_date, r.birth_date_precision, $2::date) OR (r.occupation = 'STUDENT' AND r.guardian_name IS NOT NULL)) AS made
         FROM resident r JOIN monthly_grade g ON g.household_id = r.household_id AND g.month = $1 AND g.status = 'GRADED'
        WHERE r.institution_id IS NOT NULL AND r.occupation IN ('STUDENT', 'EMPLOYED')`,
      [monthStart(MONTH), shanghaiDate()],
    );
  });

  afterAll(async () => {
    await platform.stop();
  });

  it('praises only the top share of each community by score, not every QUALIFIED household', async () => {
    const created = await regenerateWith({ praiseTopShare: 0.1 });

    const communities = new Map<string, Household[]>();
    for (const h of graded) communities.set(h.community, [...(communities.get(h.community) ?? []), h]);
    const praised = new Set(
      [...communities.values()].flatMap((list) =>
        list
          .sort(
            byScoreThenLot(
              (h: Household) => h.score,
              (h) => h.householdId,
            ),
          )
          .slice(0, Math.ceil(0.1 * list.length))
          .filter((h) => h.grade === 'QUALIFIED')
          .map((h) => h.householdId),
      ),
    );
    const qualified = graded.filter((h) => h.grade === 'QUALIFIED').length;
    expect(praised.size).toBeGreaterThan(0);
    expect(praised.size).toBeLessThan(qualified);
    expect(praised.size).toBeLessThanOrEqual(Math.ceil(0.1 * graded.length) + communities.size);
    expect(sorted(created)).toEqual(sorted(lettersFor(praised)));
  });

  it('praises only after consecutive QUALIFIED months, and at most the cap per institution, best scores first', async () => {
    const created = await regenerateWith({ praiseConsecutiveMonths: 2, praiseCapPerInstitution: 1 });

    const praised = new Set(graded.filter((h) => h.grade === 'QUALIFIED' && h.previous === 'QUALIFIED').map((h) => h.householdId));
    const once = new Set(graded.filter((h) => h.grade === 'QUALIFIED' && h.previous !== 'QUALIFIED').map((h) => h.householdId));
    expect(praised.size).toBeGreaterThan(0);
    expect(once.size).toBeGreaterThan(0);
    // The cap bites: some institution would have had more letters without it.
    expect(lettersFor(praised).length).toBeGreaterThan(lettersFor(praised, 1).length);
    expect(sorted(created)).toEqual(sorted(lettersFor(praised, 1)));
    const perInstitution = new Map<string, number>();
    for (const n of created) perInstitution.set(n.institutionId, (perInstitution.get(n.institutionId) ?? 0) + 1);
    expect(Math.max(...perInstitution.values())).toBe(1);
  });

  it('shows the options of a published version, and the default praises the best 5% from this month on', async () => {
    const listed: any = await platform.query(
      admin,
      `{ noticeRuleSets(first: 10) { edges { node { districtId effectiveFrom praiseMinScore praiseConsecutiveMonths praiseTopShare praiseCapPerInstitution } } } }`,
    );
    expect(listed.errors).toBeUndefined();
    const versions = listed.data.noticeRuleSets.edges.map((edge: any) => edge.node);
    expect(versions[0]).toMatchObject({ districtId, praiseConsecutiveMonths: 2, praiseTopShare: null, praiseCapPerInstitution: 1 });
    expect(versions.find((v: any) => v.districtId === null && v.praiseTopShare !== null)).toEqual({
      districtId: null,
      effectiveFrom: shanghaiMonth(),
      praiseMinScore: 95,
      praiseConsecutiveMonths: 3,
      praiseTopShare: 0.05,
      praiseCapPerInstitution: 10,
    });
  });

  it.each([
    ['a share above 1', { praiseTopShare: 1.5 }, 'praise.topShare'],
    ['a share of 0', { praiseTopShare: 0 }, 'praise.topShare'],
    ['fewer than 1 consecutive month', { praiseConsecutiveMonths: 0 }, 'praise.consecutiveMonths'],
    ['a cap below 1', { praiseCapPerInstitution: 0 }, 'praise.capPerInstitution'],
  ])('refuses %s with BAD_USER_INPUT and a reason, writing nothing', async (_, options, field) => {
    const [before] = await notifications().query(`SELECT count(*)::int AS n FROM notice_rule_set`);
    const refused: any = await platform.query(admin, CREATE_RULES, {
      input: { districtId, effectiveFrom: shanghaiMonth(), description: 'bad praise rules', ...baseRules, ...options },
    });
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors[0].extensions.reason).toBe('INVALID_RULES');
    expect(refused.errors[0].message).toContain(field);
    const [after] = await notifications().query(`SELECT count(*)::int AS n FROM notice_rule_set`);
    expect(after.n).toBe(before.n);
  });
});
