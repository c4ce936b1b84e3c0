import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { addMonths, monthStart, shanghaiDate, shanghaiMonth } from '#libs/calendar';
import { EventType, QueueName, ServiceName } from '#libs/messaging';
import { errorCodes, platformQueue, postGraphQL, waitFor, waitForJob } from '#libs/testing';
import { enrolInstitution, startPlatform, waitForDemoNotices, type TestPlatform } from '#tools/test-platform';
import { announceWithdrawals } from '../../webhooks/webhook-fan-out.js';
import { WebhookReceiver } from '../../webhooks/__tests__/webhook-receiver.js';

/** The demo grades the last two complete months; notices of the later one can praise (its month before is graded). */
const MONTH = addMonths(shanghaiMonth(), -1);
const MONTH_BEFORE = addMonths(MONTH, -1);

const MY_NOTICES = `query($status: NoticeState, $month: String, $first: Int, $after: String) {
  myNotices(status: $status, month: $month, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id kind month residentName grade state subject textBody htmlBody institution { id } } } } }`;
const NOTICE = `query($id: ID!) { notice(id: $id) { id kind state residentName textBody acknowledgedAt } }`;
const ACKNOWLEDGE = `mutation($id: ID!) { acknowledgeNotice(id: $id) { id state acknowledgedAt deliveredAt } }`;
const WITHDRAWN_NOTICES = `query($withdrawn: Boolean) {
  myNotices(withdrawn: $withdrawn, first: 50) { totalCount edges { node { id kind residentName subject textBody htmlBody withdrawnAt withdrawalReason } } } }`;
const STAFF_NOTICE = `query($id: ID!) { notice(id: $id) { id textBody withdrawnAt withdrawalReason } }`;
const REGISTER = `mutation($url: String!) { registerWebhookEndpoint(url: $url) { secret endpoint { id } } }`;
const REPLAY = `mutation($id: ID!) { replayWebhookDelivery(id: $id) { id state } }`;
const DISABLE = `mutation($id: ID!) { disableWebhookEndpoint(id: $id) { id state } }`;
const ROTATE_KEY = `mutation($id: ID!, $overlap: Int) { rotateInstitutionApiKey(id: $id, overlapHours: $overlap) { secret apiKey { id prefix } } }`;
const REVOKE_KEY = `mutation($id: ID!) { revokeInstitutionApiKey(id: $id) { id active revokedAt } }`;
const KEYS = `query($institution: ID) { institutionApiKeys(institutionId: $institution) { totalCount edges { node { id prefix active expiresAt } } } }`;
const STAFF_NOTICES = `query($month: String, $kind: NoticeKind, $first: Int) {
  notices(month: $month, kind: $kind, first: $first) { totalCount edges { node { id residentName textBody htmlBody } } } }`;
const STATS = `query($from: String!, $to: String!) { noticeStats(fromMonth: $from, toMonth: $to) {
  month total withdrawn byKind { kind count } byState { state count } institutions(first: 500) { totalCount edges { node { institution { id } total praiseLetters reminderNotices } } } } }`;

interface Expected {
  residentId: string;
  kind: 'PRAISE_LETTER' | 'REMINDER_NOTICE';
  institutionId: string;
}

describe('notices to employers and schools', () => {
  let platform: TestPlatform;
  let admin: string;
  let notifications: () => ReturnType<TestPlatform['database']>;
  let households: () => ReturnType<TestPlatform['database']>;
  let expected: Expected[];
  /** The institution with the most notices of the month, and another one with notices. */
  let school: string;
  let otherSchool: string;
  let schoolKey: string;
  let otherKey: string;

  const asInstitution = (key: string, query: string, variables: Record<string, unknown> = {}) =>
    postGraphQL(platform.gatewayUrl, query, variables, { 'x-api-key': key });

  /**
   * The notices the month's grades should earn under the default rules, worked out here from households' own
   * records: praise for QUALIFIED with at least 95 points after a QUALIFIED month, a reminder for UNQUALIFIED; to
   * adult employees' employers and students' schools (a minor's only with a guardian's consent).
   */
  async function expectedNotices(month: string): Promise<Expected[]> {
    const rows: { residentId: string; institutionId: string; grade: string; score: string; previous: string | null }[] =
      await households().query(
        `SELECT r.id AS "residentId", r.institution_id AS "institutionId", g.grade, g.score, p.grade AS previous
         FROM monthly_grade g
         JOIN resident r ON r.household_id = g.household_id
         LEFT JOIN monthly_grade p ON p.household_id = g.household_id AND p.month = $2
        WHERE g.month = $1 AND g.status = 'GRADED' AND r.institution_id IS NOT NULL
          AND r.occupation IN ('STUDENT', 'EMPLOYED')
          -- Minors (on the day the notices were made, today) only with a guardian's consent (all demo students are at schools).
          AND (NOT minor_on(r.birth_date, r.birth_date_precision, $3::date) OR (r.occupation = 'STUDENT' AND r.guardian_name IS NOT NULL))`,
        [monthStart(month), monthStart(addMonths(month, -1)), shanghaiDate()],
      );
    return rows.flatMap((row): Expected[] => {
      const { residentId, institutionId } = row;
      if (row.grade === 'QUALIFIED' && Number(row.score) >= 95 && row.previous === 'QUALIFIED')
        return [{ residentId, institutionId, kind: 'PRAISE_LETTER' }];
      if (row.grade === 'UNQUALIFIED') return [{ residentId, institutionId, kind: 'REMINDER_NOTICE' }];
      return [];
    });
  }

  const storedNotices = async (month: string): Promise<Expected[]> =>
    notifications().query(`SELECT resident_id AS "residentId", kind, institution_id AS "institutionId" FROM notice WHERE month = $1`, [
      monthStart(month),
    ]);

  /** Three failed inspections in the month and a re-run of its community's evaluation: the household becomes UNQUALIFIED. */
  async function correctGrade(householdId: string): Promise<void> {
    const [{ community }] = await households().query(
      `SELECT t.parent_id AS community FROM household h JOIN territory_unit t ON t.id = h.compound_id WHERE h.id = $1`,
      [householdId],
    );
    const secretary = await platform.token([Role.COMMUNITY_SECRETARY], community);
    for (const day of [3, 4, 5]) {
      const recorded: any = await platform.query(
        secretary,
        `mutation($input: RecordInspectionInput!, $key: String!) { recordInspection(input: $input, idempotencyKey: $key) { id } }`,
        {
          input: { householdId, kind: 'BAG_CHECK', result: 'FAIL', issues: ['BAG_DUMPED'], inspectedAt: `${MONTH}-0${day}T09:00:00+08:00` },
          key: randomUUID(),
        },
      );
      expect(recorded.errors).toBeUndefined();
    }
    const run: any = await platform.query(
      admin,
      `mutation($month: String!, $org: ID!) { runMonthlyEvaluation(month: $month, orgUnitId: $org) { id } }`,
      {
        month: MONTH,
        org: community,
      },
    );
    expect(run.errors).toBeUndefined();
  }

  /** Announces the household's grade as first published for the month again, as newer news (a correction undone). */
  async function republishFirstGrade(householdId: string): Promise<void> {
    const [event] = await households().query(
      `SELECT payload FROM outbox_event WHERE type = $1 AND payload->>'month' = $2
          AND (payload::jsonb)->'households' @> jsonb_build_array(jsonb_build_object('householdId', $3::text)) ORDER BY seq LIMIT 1`,
      [EventType.HouseholdGradesPublished, MONTH, householdId],
    );
    const payload = { ...event.payload, households: event.payload.households.filter((h: any) => h.householdId === householdId) };
    const queue = platformQueue(platform, QueueName.NotificationsEvents);
    try {
      const id = randomUUID();
      const job = await queue.add(
        EventType.HouseholdGradesPublished,
        {
          id,
          type: EventType.HouseholdGradesPublished,
          source: ServiceName.Households,
          occurredAt: new Date().toISOString(),
          payloadJson: JSON.stringify(payload),
        },
        { jobId: id },
      );
      await waitForJob(queue, job, 'the republished grade');
    } finally {
      await queue.close();
    }
  }

  const sorted = (list: Expected[]) => [...list].sort((a, b) => `${a.residentId}${a.kind}`.localeCompare(`${b.residentId}${b.kind}`));

  beforeAll(async () => {
    platform = await startPlatform({ streets: 1, households: 400 });
    notifications = () => platform.database(ServiceName.Notifications);
    households = () => platform.database(ServiceName.Households);
    admin = await platform.token([Role.DISTRICT_ADMIN]);
    await waitForDemoNotices(platform);
    expected = await expectedNotices(MONTH);
    const perInstitution = new Map<string, number>();
    for (const notice of expected) perInstitution.set(notice.institutionId, (perInstitution.get(notice.institutionId) ?? 0) + 1);
    [school, otherSchool] = [...perInstitution].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    schoolKey = (await enrolInstitution(platform, school, { staffToken: admin, label: '教务系统' })).key;
    otherKey = (await enrolInstitution(platform, otherSchool, { staffToken: admin, label: '教务系统' })).key;
  });

  afterAll(async () => {
    await platform.stop();
  });

  it('writes exactly the notices the grades earn: praise and reminders, to employers and schools, never to retirees', async () => {
    // What expectedNotices works out is what the rules in force for MONTH say: a newer default takes effect from the
    // month it was installed in (this one), so MONTH, decided before, keeps version 1.
    const listed: any = await platform.query(
      admin,
      `{ noticeRuleSets(first: 50) { edges { node { districtId version effectiveFrom praiseEnabled praiseMinScore praisePreviousMonthQualified
          praiseConsecutiveMonths praiseTopShare praiseCapPerInstitution reminderEnabled reminderGrades } } } }`,
    );
    expect(listed.errors).toBeUndefined();
    const inForce = listed.data.noticeRuleSets.edges
      .map((edge: any) => edge.node)
      .filter((rules: any) => rules.effectiveFrom <= MONTH)
      .sort(
        (a: any, b: any) => Number(a.districtId === null) - Number(b.districtId === null) || b.effectiveFrom.localeCompare(a.effectiveFrom),
      )[0];
    expect(inForce).toMatchObject({
      version: 1,
      praiseEnabled: true,
      praiseMinScore: 95,
      praisePreviousMonthQualified: true,
      praiseConsecutiveMonths: null,
      praiseTopShare: null,
      praiseCapPerInstitution: null,
      reminderEnabled: true,
      reminderGrades: ['UNQUALIFIED'],
    });
    expect(expected.some((n) => n.kind === 'PRAISE_LETTER')).toBe(true);
    expect(expected.some((n) => n.kind === 'REMINDER_NOTICE')).toBe(true);
    expect(sorted(await storedNotices(MONTH))).toEqual(sorted(expected));
    // The month before had no graded month before it, so it could earn reminders but no praise.
    const earlier = await storedNotices(MONTH_BEFORE);
    expect(earlier.length).toBeGreaterThan(0);
    expect(earlier.every((n) => n.kind === 'REMINDER_NOTICE')).toBe(true);
    const [{ unaddressed }] = await households().query(
      `SELECT count(*)::int AS unaddressed FROM resident WHERE id = ANY($1::uuid[]) AND occupation NOT IN ('EMPLOYED', 'STUDENT')`,
      [(await storedNotices(MONTH)).map((n) => n.residentId)],
    );
    expect(unaddressed).toBe(0);
  });

  it('renders the zh-CN texts with the month, the grade and the reasons in words, escaped in HTML', async () => {
    const [reminder] = await notifications().query(
      `SELECT n.subject, n.text_body, n.html_body, n.resident_name, i.name AS institution, h.issues
         FROM notice n JOIN institution_copy i ON i.id = n.institution_id
         JOIN graded_household h ON h.month = n.month AND h.household_id = n.household_id
        WHERE n.month = $1 AND n.kind = 'REMINDER_NOTICE' AND NOT n.to_guardian AND cardinality(h.issues) > 0 LIMIT 1`,
      [monthStart(MONTH)],
    );
    const [year, month] = MONTH.split('-').map(Number);
    expect(reminder.subject).toBe(`垃圾分类提醒单（${year}年${month}月）`);
    expect(reminder.text_body.startsWith(`${reminder.institution}：`)).toBe(true);
    expect(reminder.text_body).toContain(`${reminder.resident_name}家庭在${year}年${month}月`);
    expect(reminder.text_body).toContain('被评为“不合格”');
    expect(reminder.text_body).not.toMatch(/\{\{|\}\}|[A-Z_]{6,}/);
    expect(reminder.html_body).toContain('<strong>不合格</strong>');

    const [praise] = await notifications().query(
      `SELECT text_body, score FROM notice WHERE month = $1 AND kind = 'PRAISE_LETTER' AND NOT to_guardian LIMIT 1`,
      [monthStart(MONTH)],
    );
    expect(praise.text_body).toContain('被评为“合格”');
    expect(praise.text_body).toContain(`本月得分${Number(praise.score)}分，已连续两个月评为合格。`);
  });

  it('makes nothing twice when the same grades and completion arrive again', async () => {
    const before = await storedNotices(MONTH);
    const [event] = await households().query(
      `SELECT payload FROM outbox_event WHERE type = $1 AND payload->>'month' = $2 ORDER BY seq LIMIT 1`,
      [EventType.HouseholdGradesPublished, MONTH],
    );
    const [completed] = await households().query(`SELECT payload FROM outbox_event WHERE type = $1 AND payload->>'month' = $2`, [
      EventType.MonthlyEvaluationCompleted,
      MONTH,
    ]);
    // The same content under new event ids: what a re-announcement would look like, past the inbox's dedupe.
    const queue = platformQueue(platform, QueueName.NotificationsEvents);
    try {
      const ids = [randomUUID(), randomUUID()];
      for (const [id, type, payload] of [
        [ids[0], EventType.HouseholdGradesPublished, event.payload],
        [ids[1], EventType.MonthlyEvaluationCompleted, completed.payload],
      ] as const) {
        await queue.add(
          type,
          { id, type, source: ServiceName.Households, occurredAt: new Date().toISOString(), payloadJson: JSON.stringify(payload) },
          { jobId: id },
        );
      }
      await waitFor('both events to be processed', async () => {
        const states = await Promise.all(ids.map(async (id) => (await queue.getJob(id))?.getState()));
        if (states.includes('failed'))
          throw new Error(`failed: ${(await Promise.all(ids.map(async (id) => (await queue.getJob(id))?.failedReason))).join('; ')}`);
        return states.every((state) => state === 'completed');
      });
    } finally {
      await queue.close();
    }
    expect(sorted(await storedNotices(MONTH))).toEqual(sorted(before));
  });

  it('withdraws the praise a corrected grade no longer earns, tells the institution, and adds the reminder it earns now', async () => {
    // A household praised this month whose evidence turns out worse: three failed inspections make it UNQUALIFIED.
    const [praised] = await notifications().query(
      `SELECT n.id, n.household_id AS "householdId", n.resident_id AS "residentId", n.institution_id AS "institutionId", n.resident_name AS name
         FROM notice n WHERE n.month = $1 AND n.kind = 'PRAISE_LETTER' AND n.institution_id NOT IN ($2, $3) LIMIT 1`,
      [monthStart(MONTH), school, otherSchool],
    );
    // Its employer has an endpoint and has fetched the praise, so it must hear that the praise no longer stands.
    const employerKey = (await enrolInstitution(platform, praised.institutionId, { staffToken: admin, label: '人事系统' })).key;
    const receiver = await WebhookReceiver.start();
    try {
      const registered: any = await asInstitution(employerKey, REGISTER, { url: receiver.url });
      expect(registered.errors).toBeUndefined();
      receiver.secrets = [registered.data.registerWebhookEndpoint.secret];
      const fetched: any = await asInstitution(employerKey, NOTICE, { id: praised.id });
      expect(fetched.data.notice).toMatchObject({ id: praised.id, state: 'DELIVERED', residentName: praised.name });

      await correctGrade(praised.householdId);
      const reminder = await waitFor('the corrected grade’s reminder notice', async () => {
        const [row] = await notifications().query(
          `SELECT id, text_body FROM notice WHERE month = $1 AND resident_id = $2 AND kind = 'REMINDER_NOTICE' AND withdrawn_at IS NULL`,
          [monthStart(MONTH), praised.residentId],
        );
        return row;
      });
      expect(reminder.text_body).toContain('垃圾包乱丢');

      // The praise stays on record, withdrawn; the employer is told by a signed notice.withdrawn, then reads a withdrawal text.
      const withdrawal = await waitFor('the withdrawal to reach the employer', () =>
        Promise.resolve(receiver.delivered.find((r) => r.payload.type === 'notice.withdrawn' && r.payload.data.noticeId === praised.id)),
      );
      expect(withdrawal.verifiedBy).toEqual([0]);
      expect(withdrawal.payload.data).toEqual({ noticeId: praised.id, kind: 'PRAISE_LETTER', month: MONTH, reason: 'GRADE_CORRECTED' });
      expect(withdrawal.body).not.toContain(praised.name);
      const deliveries: any = await asInstitution(
        employerKey,
        `query($noticeId: ID) { webhookDeliveries(noticeId: $noticeId) { edges { node { type webhookId } } } }`,
        {
          noticeId: praised.id,
        },
      );
      expect(deliveries.data.webhookDeliveries.edges.map((edge: any) => edge.node)).toEqual([
        { type: 'notice.withdrawn', webhookId: withdrawal.webhookId },
      ]);
      const withdrawnList: any = await asInstitution(employerKey, WITHDRAWN_NOTICES, { withdrawn: true });
      expect(withdrawnList.errors).toBeUndefined();
      const [withdrawn] = withdrawnList.data.myNotices.edges.map((edge: any) => edge.node);
      expect(withdrawnList.data.myNotices.totalCount).toBe(1);
      expect(withdrawn).toMatchObject({ id: praised.id, kind: 'PRAISE_LETTER', withdrawalReason: 'GRADE_CORRECTED' });
      expect(withdrawn.withdrawnAt).not.toBeNull();
      expect(withdrawn.subject.startsWith('【已撤回】')).toBe(true);
      expect(withdrawn.residentName).toContain('*');
      for (const text of [withdrawn.textBody, withdrawn.htmlBody]) {
        expect(text).toContain('已撤回');
        expect(text).not.toContain(praised.name);
        expect(text).not.toContain('合格');
      }
      const inForce: any = await asInstitution(employerKey, WITHDRAWN_NOTICES, { withdrawn: false });
      expect(inForce.data.myNotices.edges.map((edge: any) => edge.node.id)).toContain(reminder.id);
      expect(inForce.data.myNotices.edges.map((edge: any) => edge.node.id)).not.toContain(praised.id);
      const acknowledged = await asInstitution(employerKey, ACKNOWLEDGE, { id: praised.id });
      expect(errorCodes(acknowledged)).toEqual(['CONFLICT']);
      expect(acknowledged.errors![0].extensions!.reason).toBe('NOTICE_WITHDRAWN');
      // Staff keep the original for the record.
      const staff: any = await platform.query(admin, STAFF_NOTICE, { id: praised.id });
      expect(staff.data.notice).toMatchObject({ id: praised.id, withdrawalReason: 'GRADE_CORRECTED' });
      expect(staff.data.notice.textBody).toContain('被评为“合格”');

      // The grade is put back as first published (an appeal upheld): the reminder goes, and the praise is made again
      // as a new notice beside the withdrawn one. The employer hears of both.
      await waitFor('the reminder to reach the employer', () =>
        Promise.resolve(receiver.delivered.find((r) => r.payload.type === 'notice.created' && r.payload.data.noticeId === reminder.id)),
      );
      await republishFirstGrade(praised.householdId);
      const praisedAgain = await waitFor('the praise earned again', async () => {
        const [row] = await notifications().query(
          `SELECT id FROM notice WHERE month = $1 AND resident_id = $2 AND kind = 'PRAISE_LETTER' AND withdrawn_at IS NULL`,
          [monthStart(MONTH), praised.residentId],
        );
        return row;
      });
      expect(praisedAgain.id).not.toBe(praised.id);
      await waitFor('the reminder’s withdrawal to reach the employer', () =>
        Promise.resolve(receiver.delivered.find((r) => r.payload.type === 'notice.withdrawn' && r.payload.data.noticeId === reminder.id)),
      );
      const mine: { kind: string; withdrawn: boolean }[] = await notifications().query(
        `SELECT kind, withdrawn_at IS NOT NULL AS withdrawn FROM notice WHERE month = $1 AND resident_id = $2 ORDER BY created_at`,
        [monthStart(MONTH), praised.residentId],
      );
      expect(mine).toEqual([
        { kind: 'PRAISE_LETTER', withdrawn: true },
        { kind: 'REMINDER_NOTICE', withdrawn: true },
        { kind: 'PRAISE_LETTER', withdrawn: false },
      ]);
    } finally {
      await receiver.close();
    }
    // For the tests below: the month's notices now include the two withdrawn ones and the praise made again.
    expected.push({ residentId: praised.residentId, institutionId: praised.institutionId, kind: 'REMINDER_NOTICE' });
    expected.push({ residentId: praised.residentId, institutionId: praised.institutionId, kind: 'PRAISE_LETTER' });
  });

  it('gives an institution its own notices through its API key, marks them delivered, and takes one acknowledgement', async () => {
    const mine = expected.filter((n) => n.institutionId === school);
    const seen: any[] = [];
    let after: string | null = null;
    do {
      const page: any = await asInstitution(schoolKey, MY_NOTICES, { month: MONTH, first: 2, after });
      expect(page.errors).toBeUndefined();
      expect(page.data.myNotices.totalCount).toBe(mine.length);
      seen.push(...page.data.myNotices.edges.map((edge: any) => edge.node));
      after = page.data.myNotices.pageInfo.hasNextPage ? page.data.myNotices.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toHaveLength(mine.length);
    expect(new Set(seen.map((n) => n.id)).size).toBe(mine.length);
    expect(seen.every((n) => n.institution.id === school && n.state === 'DELIVERED' && !n.residentName.includes('*'))).toBe(true);

    const target = seen[0].id;
    const acknowledged: any = await asInstitution(schoolKey, ACKNOWLEDGE, { id: target });
    expect(acknowledged.errors).toBeUndefined();
    expect(acknowledged.data.acknowledgeNotice).toMatchObject({ id: target, state: 'ACKNOWLEDGED' });
    const replayed = await asInstitution(schoolKey, ACKNOWLEDGE, { id: target });
    expect(errorCodes(replayed)).toEqual(['CONFLICT']);
    expect(replayed.errors![0].extensions!.reason).toBe('ALREADY_ACKNOWLEDGED');
    const [{ state }] = await notifications().query(`SELECT state FROM notice WHERE id = $1`, [target]);
    expect(state).toBe('ACKNOWLEDGED');

    const filtered: any = await asInstitution(schoolKey, MY_NOTICES, { status: 'ACKNOWLEDGED', first: 50 });
    expect(filtered.data.myNotices.edges.map((edge: any) => edge.node.id)).toEqual([target]);
  });

  it('shows another institution none of them: its notices only, and NOT_FOUND for the rest', async () => {
    const [foreign] = await notifications().query(`SELECT id FROM notice WHERE institution_id = $1 AND state <> 'ACKNOWLEDGED' LIMIT 1`, [
      school,
    ]);
    const theirs: any = await asInstitution(otherKey, MY_NOTICES, { first: 500 });
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data.myNotices.edges.length).toBeGreaterThan(0);
    expect(theirs.data.myNotices.edges.every((edge: any) => edge.node.institution.id === otherSchool)).toBe(true);
    expect(errorCodes(await asInstitution(otherKey, NOTICE, { id: foreign.id }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await asInstitution(otherKey, ACKNOWLEDGE, { id: foreign.id }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await asInstitution(otherKey, NOTICE, { id: randomUUID() }))).toEqual(['NOT_FOUND']);
    const [{ state }] = await notifications().query(`SELECT state FROM notice WHERE id = $1`, [foreign.id]);
    expect(state).not.toBe('ACKNOWLEDGED');
    // Nor can an institution reach staff lists or another institution's keys.
    expect(errorCodes(await asInstitution(otherKey, STAFF_NOTICES, { first: 1 }))).toEqual(['FORBIDDEN']);
    const keys: any = await asInstitution(otherKey, KEYS, { institution: school });
    expect(keys.data.institutionApiKeys.edges.every((edge: any) => edge.node.prefix !== schoolKey.slice(0, 14))).toBe(true);
  });

  it('refuses unknown, malformed, revoked and expired keys, and a token claiming to be an institution', async () => {
    const unknown = await asInstitution(`wsk_aaaaaaaaaa_${'A'.repeat(43)}`, MY_NOTICES);
    expect(errorCodes(unknown)).toEqual(['UNAUTHENTICATED']);
    expect(unknown.errors![0].extensions!.reason).toBe('UNKNOWN_API_KEY');
    expect(unknown.data ?? null).toBeNull();
    // A real prefix with a wrong secret is just as unknown.
    expect((await asInstitution(`${schoolKey.slice(0, 15)}${'B'.repeat(43)}`, MY_NOTICES)).errors![0].extensions!.reason).toBe(
      'UNKNOWN_API_KEY',
    );
    expect((await asInstitution('not-a-key', MY_NOTICES)).errors![0].extensions!.reason).toBe('MALFORMED_API_KEY');

    const enrolled = await enrolInstitution(platform, otherSchool, { staffToken: admin, label: '临时' });
    const [secret, apiKey] = [enrolled.key, { id: enrolled.apiKeyId, prefix: enrolled.prefix }];
    expect(secret.startsWith(`${apiKey.prefix}_`)).toBe(true);
    expect((await asInstitution(secret, MY_NOTICES, { first: 1 })).errors).toBeUndefined();
    const revoked: any = await platform.query(admin, REVOKE_KEY, { id: apiKey.id });
    expect(revoked.data.revokeInstitutionApiKey).toMatchObject({ active: false });
    const refused = await asInstitution(secret, MY_NOTICES, { first: 1 });
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(refused.errors![0].extensions!.reason).toBe('API_KEY_REVOKED');
    expect(errorCodes(await platform.query(admin, REVOKE_KEY, { id: apiKey.id }))).toEqual(['CONFLICT']);

    const [{ hash }] = await notifications().query(`SELECT encode(key_hash, 'hex') AS hash FROM institution_api_key WHERE id = $1`, [
      apiKey.id,
    ]);
    expect(hash).not.toContain(secret);
    expect(JSON.stringify(await notifications().query(`SELECT * FROM institution_api_key`))).not.toContain(secret.slice(16));

    await expect(platform.token([Role.INSTITUTION])).rejects.toThrow(/API key/);
  });

  it('rotates a key with an overlap in which both work, and without one the old stops at once', async () => {
    const enrolled = await enrolInstitution(platform, school, { staffToken: admin, label: '轮换' });
    const old = { secret: enrolled.key, apiKey: { id: enrolled.apiKeyId, prefix: enrolled.prefix } };
    const rotated: any = await asInstitution(old.secret, ROTATE_KEY, { id: old.apiKey.id, overlap: 24 });
    expect(rotated.errors).toBeUndefined();
    const fresh = rotated.data.rotateInstitutionApiKey;
    expect(fresh.apiKey.prefix).not.toBe(old.apiKey.prefix);
    expect((await asInstitution(old.secret, MY_NOTICES, { first: 1 })).errors).toBeUndefined();
    expect((await asInstitution(fresh.secret, MY_NOTICES, { first: 1 })).errors).toBeUndefined();
    expect(errorCodes(await asInstitution(fresh.secret, ROTATE_KEY, { id: old.apiKey.id }))).toEqual(['CONFLICT']);

    const again: any = await asInstitution(fresh.secret, ROTATE_KEY, { id: fresh.apiKey.id, overlap: 0 });
    expect(again.errors).toBeUndefined();
    const expired = await asInstitution(fresh.secret, MY_NOTICES, { first: 1 });
    expect(expired.errors![0].extensions!.reason).toBe('API_KEY_EXPIRED');
    expect((await asInstitution(again.data.rotateInstitutionApiKey.secret, MY_NOTICES, { first: 1 })).errors).toBeUndefined();
    // Another institution's key id is not found, not forbidden.
    expect(errorCodes(await asInstitution(otherKey, ROTATE_KEY, { id: again.data.rotateInstitutionApiKey.apiKey.id }))).toEqual([
      'NOT_FOUND',
    ]);
  });

  it('masks residents’ names for staff without the right to personal data, in the name and in the texts', async () => {
    const street = await platform.token([Role.STREET_ADMIN], platform.plan.streets[0].id);
    const masked: any = await platform.query(street, STAFF_NOTICES, { month: MONTH, kind: 'REMINDER_NOTICE', first: 20 });
    expect(masked.errors).toBeUndefined();
    expect(masked.data.notices.totalCount).toBe(expected.filter((n) => n.kind === 'REMINDER_NOTICE').length);
    const ids = masked.data.notices.edges.map((edge: any) => edge.node.id);
    const names: { id: string; name: string }[] = await notifications().query(
      `SELECT id, resident_name AS name FROM notice WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    for (const { node } of masked.data.notices.edges) {
      const name = names.find((row) => row.id === node.id)!.name;
      expect(node.residentName).toContain('*');
      expect(node.textBody).toContain(node.residentName);
      expect(node.textBody).not.toContain(name);
      expect(node.htmlBody).not.toContain(name);
    }
  });

  it('counts notices by month, kind, state and institution', async () => {
    const response: any = await platform.query(admin, STATS, { from: MONTH_BEFORE, to: MONTH });
    expect(response.errors).toBeUndefined();
    const [before, latest] = response.data.noticeStats;
    expect(before.month).toBe(MONTH_BEFORE);
    expect(latest.total).toBe(expected.length);
    expect(latest.withdrawn).toBe(2);
    expect(latest.byKind).toEqual([
      { kind: 'PRAISE_LETTER', count: expected.filter((n) => n.kind === 'PRAISE_LETTER').length },
      { kind: 'REMINDER_NOTICE', count: expected.filter((n) => n.kind === 'REMINDER_NOTICE').length },
    ]);
    expect(latest.byState.find((s: any) => s.state === 'ACKNOWLEDGED').count).toBe(1);
    expect(latest.byState.reduce((sum: number, s: any) => sum + s.count, 0)).toBe(expected.length);
    const perInstitution = latest.institutions.edges.map((edge: any) => edge.node);
    expect(perInstitution.map((n: any) => n.total)).toEqual([...perInstitution.map((n: any) => n.total)].sort((a, b) => b - a));
    expect(perInstitution.find((n: any) => n.institution.id === school).total).toBe(
      expected.filter((n) => n.institutionId === school).length,
    );
    expect(perInstitution.reduce((sum: number, n: any) => sum + n.total, 0)).toBe(expected.length);
    expect(errorCodes(await platform.query(admin, STATS, { from: '2020-01', to: MONTH }))).toEqual(['BAD_USER_INPUT']);
  });

  it('cancels the announcement of a notice withdrawn before it was sent, and tells nothing of it', async () => {
    // Two notices of the school, withdrawn by hand as a correction would: one announced by a delivery not yet due
    // (never sent), one the school has fetched. Only the fetched one is announced as withdrawn.
    const [unsent, fetched] = await notifications().query(
      `SELECT id FROM notice WHERE month = $1 AND institution_id = $2 AND withdrawn_at IS NULL ORDER BY id LIMIT 2`,
      [monthStart(MONTH), otherSchool],
    );
    const key = (await enrolInstitution(platform, otherSchool, { staffToken: admin, label: '回执系统' })).key;
    const receiver = await WebhookReceiver.start();
    try {
      const registered: any = await asInstitution(key, REGISTER, { url: receiver.url });
      receiver.secrets = [registered.data.registerWebhookEndpoint.secret];
      const endpointId = registered.data.registerWebhookEndpoint.endpoint.id;
      const messageId = `msg_${randomUUID().replace(/-/g, '')}`;
      await notifications().query(
        `INSERT INTO webhook_message (id, institution_id, type, month, notice_ids, data) VALUES ($1, $2, 'notice.created', $3, ARRAY[$4::uuid], '{}')`,
        [messageId, otherSchool, monthStart(MONTH), unsent.id],
      );
      await notifications().query(`INSERT INTO webhook_message_notice (notice_id, message_id) VALUES ($1, $2)`, [unsent.id, messageId]);
      const [delivery] = await notifications().query(
        `INSERT INTO webhook_delivery (message_id, endpoint_id, institution_id, next_attempt_at) VALUES ($1, $2, $3, now() + interval '1 day') RETURNING id`,
        [messageId, endpointId, otherSchool],
      );
      await notifications().query(`UPDATE notice SET state = 'PENDING', delivered_at = NULL WHERE id = $1`, [unsent.id]);
      await notifications().query(`UPDATE notice SET state = 'DELIVERED', delivered_at = now() WHERE id = $1`, [fetched.id]);
      const told = await notifications().transaction(async (manager) => {
        await manager.query(`UPDATE notice SET withdrawn_at = now(), withdrawal_reason = 'GRADE_CORRECTED' WHERE id = ANY($1::uuid[])`, [
          [unsent.id, fetched.id],
        ]);
        return announceWithdrawals(manager, [unsent.id, fetched.id], [otherSchool, otherSchool]);
      });
      expect(told).toEqual({ messages: 1, deliveries: 1 });
      const [cancelled] = await notifications().query(`SELECT state, next_attempt_at FROM webhook_delivery WHERE id = $1`, [delivery.id]);
      expect(cancelled).toEqual({ state: 'CANCELLED', next_attempt_at: null });
      const [notice] = await notifications().query(`SELECT state FROM notice WHERE id = $1`, [unsent.id]);
      expect(notice.state).toBe('PENDING');
      const withdrawal = await waitFor('the fetched notice’s withdrawal', () =>
        Promise.resolve(receiver.delivered.find((r) => r.payload.type === 'notice.withdrawn')),
      );
      expect(withdrawal.payload.data.noticeId).toBe(fetched.id);
      expect(receiver.received.some((r) => r.payload.data.noticeId === unsent.id)).toBe(false);
      const replayed = await asInstitution(key, REPLAY, { id: delivery.id });
      expect(errorCodes(replayed)).toEqual(['CONFLICT']);
      expect(replayed.errors![0].extensions!.reason).toBe('DELIVERY_CANCELLED');
      await asInstitution(key, DISABLE, { id: endpointId });
    } finally {
      await receiver.close();
    }
  });
});
