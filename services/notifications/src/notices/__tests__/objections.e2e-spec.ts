import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { addMonths, monthStart, shanghaiDate, shanghaiMonth } from '#libs/calendar';
import { JobName, QueueName, ServiceName } from '#libs/messaging';
import { platformQueue, postGraphQL, uploadPhoto, waitFor, waitForJob } from '#libs/testing';
import { enrolInstitution, seededHouseholds, startPlatform, type SeededHousehold, type TestPlatform } from '#tools/test-platform';
import { WebhookReceiver } from '../../webhooks/__tests__/webhook-receiver.js';

/** The last complete month: graded by the demo seed, its notices made and waiting for the objection window. */
const MONTH = addMonths(shanghaiMonth(), -1);
const DAY_MS = 86_400_000;

const GRADE = `query($household: ID!, $month: String!) {
  householdGrade(householdId: $household, month: $month) { grade score objectionWindowOpen objectionWindowClosesAt reasons { rule inspectionId descriptionZh } } }`;
const INSPECTIONS = `query($household: ID!, $month: String) {
  inspections(householdId: $household, month: $month, first: 100) { edges { node { id result photoIds setAsideAt } } } }`;
const FILE = `mutation($input: FileGradeObjectionInput!) { fileGradeObjection(input: $input) { id status statusLabelZh gradeObjected month } }`;
const DECIDE = `mutation($id: ID!, $input: DecideGradeObjectionInput!) {
  decideGradeObjection(id: $id, input: $input) { id status correctedGrade setAsideInspectionIds decisionNote } }`;
const MY_OBJECTIONS = `{ gradeObjections(first: 10) { totalCount edges { node { id status decisionNote correctedGrade } } } }`;
const HOUSEHOLD_NOTICES = `query($month: String) { myHouseholdNotices(month: $month, first: 50) { edges { node { id kind institutionId institutionName releasedAt withdrawnAt } } } }`;
const MY_NOTICES = `query($month: String, $withdrawn: Boolean) { myNotices(month: $month, withdrawn: $withdrawn, first: 200) { totalCount edges { node { id } } } }`;
const STAFF_NOTICE = `query($id: ID!) { notice(id: $id) { id releasedAt withdrawnAt withdrawalReason } }`;
const REGISTER = `mutation($url: String!) { registerWebhookEndpoint(url: $url) { secret endpoint { id } } }`;

interface Pick {
  household: SeededHousehold;
  noticeId: string;
  institutionId: string;
  key: string;
  resident: string;
}

describe('objections hold notices until they are decided', () => {
  let platform: TestPlatform;
  let admin: string;
  let households: SeededHousehold[];
  const notifications = () => platform.database(ServiceName.Notifications);
  const householdsDb = () => platform.database(ServiceName.Households);
  /** H1 objects and is corrected; H2 does not object; H3 objects and is upheld. */
  let h1: Pick;
  let h2: Pick;
  let h3: Pick;
  let receiver: WebhookReceiver;

  const asInstitution = (key: string, query: string, variables: Record<string, unknown> = {}) =>
    postGraphQL(platform.gatewayUrl, query, variables, { 'x-api-key': key });
  const residentOf = (household: SeededHousehold) =>
    platform.token([Role.RESIDENT], household.compoundId, `resident-${household.id}`, household.id);
  const visibleTo = async (key: string): Promise<string[]> => {
    const page: any = await asInstitution(key, MY_NOTICES, { month: MONTH });
    expect(page.errors).toBeUndefined();
    return page.data.myNotices.edges.map((edge: any) => edge.node.id);
  };

  /** Fires households' window job as the scheduler would at `firedAt`, and waits for it. */
  async function closeWindows(firedAt: Date): Promise<void> {
    const queue = platformQueue(platform, QueueName.HouseholdsJobs);
    try {
      await waitForJob(
        queue,
        await queue.add(JobName.ObjectionWindowClose, { firedAt: firedAt.toISOString() }),
        `objection windows closed at ${firedAt.toISOString()}`,
      );
    } finally {
      await queue.close();
    }
  }

  beforeAll(async () => {
    platform = await startPlatform({ streets: 1, households: 400, objectionWindowDays: 7 });
    admin = await platform.token([Role.DISTRICT_ADMIN]);
    households = await seededHouseholds(platform);
    // Three households with an adult's reminder notice of the month, each to an institution of its own among the three.
    const reminders: { householdId: string; id: string; institutionId: string }[] = await notifications().query(
      `SELECT household_id AS "householdId", id, institution_id AS "institutionId"
         FROM notice WHERE month = $1 AND kind = 'REMINDER_NOTICE' AND NOT to_guardian ORDER BY household_id, id`,
      [monthStart(MONTH)],
    );
    const distinct: typeof reminders = [];
    for (const row of reminders) {
      if (!distinct.some((chosen) => chosen.householdId === row.householdId || chosen.institutionId === row.institutionId))
        distinct.push(row);
    }
    expect(distinct.length).toBeGreaterThanOrEqual(3);
    const pick = async (row: (typeof distinct)[number]): Promise<Pick> => {
      const household = households.find((candidate) => candidate.id === row.householdId)!;
      const { key } = await enrolInstitution(platform, row.institutionId, { staffToken: admin, label: '人事系统' });
      return { household, noticeId: row.id, institutionId: row.institutionId, key, resident: await residentOf(household) };
    };
    [h1, h2, h3] = await Promise.all(distinct.slice(0, 3).map(pick));
    // H1's employer takes webhooks: it must never hear of the reminder that the correction withdraws.
    receiver = await WebhookReceiver.start();
    const registered: any = await asInstitution(h1.key, REGISTER, { url: receiver.url });
    expect(registered.errors).toBeUndefined();
    receiver.secrets = [registered.data.registerWebhookEndpoint.secret];
  }, 300_000);

  afterAll(async () => {
    await receiver.close();
    await platform.stop();
  });

  it("keeps the month's notices from every institution while the window is open", async () => {
    for (const { key, noticeId } of [h1, h2, h3]) {
      expect(await visibleTo(key)).toEqual([]);
      const direct: any = await asInstitution(key, STAFF_NOTICE, { id: noticeId });
      expect(direct.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    const staff: any = await platform.query(admin, STAFF_NOTICE, { id: h2.noticeId });
    expect(staff.data.notice).toMatchObject({ id: h2.noticeId, releasedAt: null, withdrawnAt: null });
  });

  it('shows a resident their own household: record, grade with reasons, inspections and photos, letters, collection points, notices', async () => {
    const secretary = await platform.token([Role.COMMUNITY_SECRETARY], h1.household.communityId);
    // A photographed inspection of the month (a pass: it costs nothing), so the resident has evidence with a photo to see.
    const photoId = await uploadPhoto(platform, secretary);
    const recorded: any = await platform.query(
      secretary,
      `mutation($input: RecordInspectionInput!, $key: String!) { recordInspection(input: $input, idempotencyKey: $key) { id } }`,
      {
        input: {
          householdId: h1.household.id,
          kind: 'BIN_SIDE',
          result: 'PASS',
          issues: [],
          inspectedAt: `${MONTH}-02T08:00:00+08:00`,
          photoIds: [photoId],
        },
        key: randomUUID(),
      },
    );
    expect(recorded.errors).toBeUndefined();

    const grade: any = await platform.query(h1.resident, GRADE, { household: h1.household.id, month: MONTH });
    expect(grade.errors).toBeUndefined();
    expect(grade.data.householdGrade).toMatchObject({
      grade: 'UNQUALIFIED',
      objectionWindowOpen: true,
      objectionWindowClosesAt: expect.any(String),
    });
    expect(grade.data.householdGrade.reasons.some((reason: any) => reason.inspectionId && /扣\d+分/.test(reason.descriptionZh))).toBe(true);
    const inspections: any = await platform.query(h1.resident, INSPECTIONS, { household: h1.household.id, month: MONTH });
    expect(inspections.data.inspections.edges.some((edge: any) => edge.node.photoIds.includes(photoId))).toBe(true);
    const photoUrl = platform.gatewayUrl.replace(/\/graphql$/, `/uploads/${photoId}`);
    expect((await fetch(photoUrl, { headers: { authorization: `Bearer ${h1.resident}` } })).status).toBe(200);
    // Another household's resident, in the same compound or not, does not see it.
    expect((await fetch(photoUrl, { headers: { authorization: `Bearer ${h2.resident}` } })).status).toBe(404);
    const neighbour: any = await platform.query(h2.resident, GRADE, { household: h1.household.id, month: MONTH });
    expect(neighbour.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // The household record, its members in clear to their own household, and its commitment letters; signing one in the app.
    const own: any = await platform.query(
      h1.resident,
      `query($id: ID!) { household(id: $id) { id address residents { id name } commitmentLetters { id signedOn } } }`,
      { id: h1.household.id },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data.household.residents.length).toBeGreaterThan(0);
    expect(own.data.household.residents.every((resident: any) => !resident.name.includes('*'))).toBe(true);
    expect(own.data.household.address).not.toContain('*');
    const other: any = await platform.query(h1.resident, `query($id: ID!) { household(id: $id) { id } }`, { id: h2.household.id });
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const letters = own.data.household.commitmentLetters.length;
    const signed: any = await platform.query(
      h1.resident,
      `mutation($input: RecordCommitmentLetterInput!, $key: String!) { recordCommitmentLetter(input: $input, idempotencyKey: $key) { commitmentLetters { id } } }`,
      {
        input: { householdId: h1.household.id, signerResidentId: own.data.household.residents[0].id, signedOn: shanghaiDate() },
        key: randomUUID(),
      },
    );
    expect(signed.errors).toBeUndefined();
    expect(signed.data.recordCommitmentLetter.commitmentLetters).toHaveLength(letters + 1);
    const foreign: any = await platform.query(
      h1.resident,
      `mutation($input: RecordCommitmentLetterInput!, $key: String!) { recordCommitmentLetter(input: $input, idempotencyKey: $key) { id } }`,
      {
        input: { householdId: h2.household.id, signerResidentId: own.data.household.residents[0].id, signedOn: shanghaiDate() },
        key: randomUUID(),
      },
    );
    expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Collection points and opening hours of their compound, late drop-off points included; none of another compound.
    const points: any = await platform.query(
      h1.resident,
      `{ collectionPoints(first: 100) { edges { node { id kind compound { id } schedule { __typename } } } } }`,
    );
    expect(points.errors).toBeUndefined();
    const [{ own: ownPoints }] = await householdsDb().query(
      `SELECT count(*)::int AS own FROM collection_point WHERE compound_id = $1 AND active`,
      [h1.household.compoundId],
    );
    expect(ownPoints).toBeGreaterThan(0);
    expect(points.data.collectionPoints.edges).toHaveLength(ownPoints);
    expect(points.data.collectionPoints.edges.every((edge: any) => edge.node.compound.id === h1.household.compoundId)).toBe(true);

    // Which notices about the household were written, to whom, and that none has left yet.
    const mine: any = await platform.query(h1.resident, HOUSEHOLD_NOTICES, { month: MONTH });
    expect(mine.errors).toBeUndefined();
    const mineNodes = mine.data.myHouseholdNotices.edges.map((edge: any) => edge.node);
    expect(mineNodes).toContainEqual(
      expect.objectContaining({
        id: h1.noticeId,
        kind: 'REMINDER_NOTICE',
        institutionId: h1.institutionId,
        institutionName: expect.any(String),
        releasedAt: null,
      }),
    );
    const [{ about }] = await notifications().query(`SELECT count(*)::int AS about FROM notice WHERE household_id = $1 AND month = $2`, [
      h1.household.id,
      monthStart(MONTH),
    ]);
    expect(mineNodes).toHaveLength(about);
  });

  it('takes one objection per household and month from its own resident, and refuses the rest writing nothing', async () => {
    const forOther: any = await platform.query(h1.resident, FILE, {
      input: { householdId: h2.household.id, month: MONTH, statement: '不是我家' },
    });
    expect(forOther.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_YOUR_HOUSEHOLD' });
    const filed: any = await platform.query(h1.resident, FILE, {
      input: { householdId: h1.household.id, month: MONTH, statement: '本月的垃圾包不是我家的，检查员认错了楼栋。' },
    });
    expect(filed.errors).toBeUndefined();
    expect(filed.data.fileGradeObjection).toMatchObject({ status: 'OPEN', gradeObjected: 'UNQUALIFIED', month: MONTH });
    const again: any = await platform.query(h1.resident, FILE, {
      input: { householdId: h1.household.id, month: MONTH, statement: '再说一次' },
    });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_OBJECTED' });
    const third: any = await platform.query(h3.resident, FILE, {
      input: { householdId: h3.household.id, month: MONTH, statement: '我家一直认真分类。' },
    });
    expect(third.errors).toBeUndefined();
    const [{ count }] = await householdsDb().query(`SELECT count(*)::int AS count FROM grade_objection`);
    expect(count).toBe(2);
  });

  it("sends the other households' notices when the window closes, and holds those with an open objection", async () => {
    const [{ closesAt }] = await householdsDb().query(
      `SELECT objection_window_closes_at AS "closesAt" FROM evaluation_month WHERE month = $1`,
      [monthStart(MONTH)],
    );
    expect(closesAt.getTime() - Date.now()).toBeGreaterThan(6 * DAY_MS);
    // Before its time the job closes nothing.
    await closeWindows(new Date());
    expect(await visibleTo(h2.key)).toEqual([]);

    await closeWindows(new Date(closesAt.getTime() + 60_000));
    await waitFor(
      'the reminder of the household that did not object to reach its employer',
      async () => (await visibleTo(h2.key)).includes(h2.noticeId),
      30_000,
    );
    expect(await visibleTo(h1.key)).not.toContain(h1.noticeId);
    expect(await visibleTo(h3.key)).not.toContain(h3.noticeId);
    const closedGrade: any = await platform.query(h1.resident, GRADE, { household: h1.household.id, month: MONTH });
    expect(closedGrade.data.householdGrade.objectionWindowOpen).toBe(false);
    // Closing again (a redelivered job) announces nothing twice.
    await closeWindows(new Date(closesAt.getTime() + 120_000));
    const [{ closes }] = await householdsDb().query(
      `SELECT count(*)::int AS closes FROM outbox_event WHERE type = 'objection-window.closed' AND payload->>'month' = $1`,
      [MONTH],
    );
    expect(closes).toBe(1);

    // Too late now, and nothing written.
    const late = households.find((household) => ![h1, h2, h3].some((picked) => picked.household.id === household.id))!;
    const [graded] = await householdsDb().query(
      `SELECT household_id FROM monthly_grade WHERE month = $1 AND status = 'GRADED' AND household_id <> ALL($2::uuid[]) LIMIT 1`,
      [monthStart(MONTH), [h1, h2, h3].map((picked) => picked.household.id)],
    );
    const lateHousehold = households.find((household) => household.id === graded.household_id) ?? late;
    const refused: any = await platform.query(await residentOf(lateHousehold), FILE, {
      input: { householdId: lateHousehold.id, month: MONTH, statement: '我反对' },
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'OBJECTION_WINDOW_CLOSED' });
    const [{ count }] = await householdsDb().query(`SELECT count(*)::int AS count FROM grade_objection WHERE household_id = $1`, [
      lateHousehold.id,
    ]);
    expect(count).toBe(0);
  });

  it('withdraws the held reminder when the secretary corrects the grade: its employer never sees it', async () => {
    const inspections: any = await platform.query(h1.resident, INSPECTIONS, { household: h1.household.id, month: MONTH });
    const mistaken = inspections.data.inspections.edges
      .map((edge: any) => edge.node)
      .filter((node: any) => node.result !== 'PASS')
      .map((node: any) => node.id);
    expect(mistaken.length).toBeGreaterThan(0);
    const [objection] = await householdsDb().query(`SELECT id FROM grade_objection WHERE household_id = $1`, [h1.household.id]);

    // A secretary of another community may not decide it, nor may the resident.
    const elsewhere = households.find((household) => household.communityId !== h1.household.communityId)!;
    const outsider = await platform.token([Role.COMMUNITY_SECRETARY], elsewhere.communityId);
    const input = { outcome: 'CORRECT', note: '经核实，该楼栋垃圾包系邻户所投，撤销相关检查记录。', setAsideInspectionIds: mistaken };
    const refused: any = await platform.query(outsider, DECIDE, { id: objection.id, input });
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const byResident: any = await platform.query(h1.resident, DECIDE, { id: objection.id, input });
    expect(byResident.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const badInput: any = await platform.query(await platform.token([Role.COMMUNITY_SECRETARY], h1.household.communityId), DECIDE, {
      id: objection.id,
      input: { ...input, setAsideInspectionIds: [randomUUID()] },
    });
    expect(badInput.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_INSPECTION' });

    const secretary = await platform.token([Role.COMMUNITY_SECRETARY], h1.household.communityId);
    const decided: any = await platform.query(secretary, DECIDE, { id: objection.id, input });
    expect(decided.errors).toBeUndefined();
    expect(decided.data.decideGradeObjection).toMatchObject({
      status: 'CORRECTED',
      setAsideInspectionIds: expect.arrayContaining(mistaken),
    });
    expect(decided.data.decideGradeObjection.correctedGrade).not.toBe('UNQUALIFIED');
    const twice: any = await platform.query(secretary, DECIDE, { id: objection.id, input });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_DECIDED' });

    const withdrawn = await waitFor(
      'the held reminder to be withdrawn',
      async () => {
        const staff: any = await platform.query(admin, STAFF_NOTICE, { id: h1.noticeId });
        return staff.data.notice.withdrawnAt ? staff.data.notice : null;
      },
      30_000,
    );
    expect(withdrawn).toMatchObject({ releasedAt: null, withdrawalReason: 'GRADE_CORRECTED' });
    // The grade the resident reads is the corrected one; the set-aside inspections are marked and cost nothing.
    const grade: any = await platform.query(h1.resident, GRADE, { household: h1.household.id, month: MONTH });
    expect(grade.data.householdGrade.grade).toBe(decided.data.decideGradeObjection.correctedGrade);
    expect(grade.data.householdGrade.reasons.filter((reason: any) => mistaken.includes(reason.inspectionId))).toEqual([]);
    const mine: any = await platform.query(h1.resident, MY_OBJECTIONS);
    expect(mine.data.gradeObjections.edges[0].node).toMatchObject({ status: 'CORRECTED', decisionNote: input.note });

    // The employer: nothing in force, nothing withdrawn to read (it never had it), no webhook about it, ever.
    await waitFor(
      'the platform to settle after the correction',
      async () => {
        const [{ pending }] = await notifications().query(`SELECT count(*)::int AS pending FROM webhook_delivery WHERE state = 'PENDING'`);
        return pending === 0;
      },
      30_000,
    );
    expect(await visibleTo(h1.key)).not.toContain(h1.noticeId);
    const withdrawnList: any = await asInstitution(h1.key, MY_NOTICES, { month: MONTH, withdrawn: true });
    expect(withdrawnList.data.myNotices.edges.map((edge: any) => edge.node.id)).not.toContain(h1.noticeId);
    expect(receiver.received.filter((request) => JSON.stringify(request.payload.data).includes(h1.noticeId))).toEqual([]);
    const [{ deliveries }] = await notifications().query(
      `SELECT count(*)::int AS deliveries FROM webhook_message_notice l JOIN webhook_delivery d ON d.message_id = l.message_id WHERE l.notice_id = $1`,
      [h1.noticeId],
    );
    expect(deliveries).toBe(0);
    const resident: any = await platform.query(h1.resident, HOUSEHOLD_NOTICES, { month: MONTH });
    expect(resident.data.myHouseholdNotices.edges.map((edge: any) => edge.node)).toContainEqual(
      expect.objectContaining({ id: h1.noticeId, releasedAt: null, withdrawnAt: expect.any(String) }),
    );
  });

  it('sends the held notice once the secretary upholds the grade', async () => {
    const [objection] = await householdsDb().query(`SELECT id FROM grade_objection WHERE household_id = $1`, [h3.household.id]);
    const secretary = await platform.token([Role.COMMUNITY_SECRETARY], h3.household.communityId);
    const upheld: any = await platform.query(secretary, DECIDE, {
      id: objection.id,
      input: { outcome: 'UPHOLD', note: '检查记录属实，维持原评定。' },
    });
    expect(upheld.errors).toBeUndefined();
    expect(upheld.data.decideGradeObjection.status).toBe('UPHELD');
    await waitFor(
      "the upheld household's reminder to reach its employer",
      async () => (await visibleTo(h3.key)).includes(h3.noticeId),
      30_000,
    );
  });
});
