import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { Role, signCaller } from '#libs/auth';
import { addMonths, monthStart, shanghaiDate, shanghaiMonth } from '#libs/calendar';
import { EventType, QueueName, ServiceName } from '#libs/messaging';
import { errorCodes, platformQueue, waitFor, waitForJob } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';
import { BirthDatePrecision, isMinorOn } from '#libs/privacy';

/** The demo's last complete month: its notices were made at seed time; a re-graded household gets its own again. */
const MONTH = addMonths(shanghaiMonth(), -1);
const TODAY = shanghaiDate();
const YEAR = Number(TODAY.slice(0, 4));

const ADD_RESIDENT = `mutation($household: ID!, $input: ResidentInput!) { addResident(householdId: $household, input: $input) { residents { id name minor } } }`;
const RECORD_CONSENT = `mutation($resident: ID!, $input: GuardianConsentInput!) {
  recordGuardianConsent(residentId: $resident, input: $input) { residents { id minor guardianConsent { guardianName guardianRelation guardianPhone recordedBy } } } }`;
const RESIDENTS = `query($id: ID!) { household(id: $id) { residents { id name birthDate minor guardianConsent { guardianName guardianPhone } } } }`;
const WITHDRAW_CONSENT = `mutation($resident: ID!) { withdrawGuardianConsent(residentId: $resident) { residents { id guardianConsent { guardianName } } } }`;
const HELD = `query($month: String!, $reason: HeldNoticeReason) { heldNotices(month: $month, reason: $reason, first: 100) {
  totalCount byReason { reason count } edges { node { residentId residentName reason kind householdId institution { id } } } } }`;

/** Ids of everything arranged, to find the notices and held notices about them. */
interface Arranged {
  household: string;
  community: string;
  school: string;
  employer: string;
  minorWithoutConsent: string;
  minorWithConsent: string;
  decemberTeen: string;
  adultEmployee: string;
  atUnknownInstitution: string;
  unknownInstitution: string;
}

const NAMES = {
  minorWithoutConsent: '林小雨',
  minorWithConsent: '赵小川',
  decemberTeen: '孙晓雪',
  adultEmployee: '钱建华',
  atUnknownInstitution: '周未知',
  guardian: '赵丽芳',
};

describe('notices about minors, held notices, and grade events without names', () => {
  let platform: TestPlatform;
  let secretary: string;
  let admin: string;
  const arranged = {} as Arranged;
  const notifications = () => platform.database(ServiceName.Notifications);
  const households = () => platform.database(ServiceName.Households);

  async function addResident(input: Record<string, unknown>): Promise<string> {
    const added: any = await platform.query(secretary, ADD_RESIDENT, { household: arranged.household, input });
    expect(added.errors).toBeUndefined();
    return added.data.addResident.residents.find((r: any) => r.name === input.name).id;
  }

  beforeAll(async () => {
    platform = await startPlatform({ streets: 1, households: 120 });
    admin = await platform.token([Role.DISTRICT_ADMIN]);
    // A household graded in MONTH; its community secretary registers the residents and records the evidence.
    const [row] = await households().query(
      `SELECT g.household_id AS household, t.parent_id AS community FROM monthly_grade g JOIN household h ON h.id = g.household_id
         JOIN territory_unit t ON t.id = h.compound_id WHERE g.month = $1 AND g.status = 'GRADED' ORDER BY g.household_id LIMIT 1`,
      [monthStart(MONTH)],
    );
    Object.assign(arranged, row);
    secretary = await platform.token([Role.COMMUNITY_SECRETARY], arranged.community);
    arranged.school = platform.plan.institutions.find((i) => i.kind === 'SCHOOL')!.id;
    arranged.employer = platform.plan.institutions.find((i) => i.kind === 'EMPLOYER')!.id;

    const sixteen = `${YEAR - 16}-03-10`;
    arranged.minorWithoutConsent = await addResident({
      name: NAMES.minorWithoutConsent,
      occupation: 'STUDENT',
      institutionId: arranged.school,
      birthDate: sixteen,
    });
    arranged.minorWithConsent = await addResident({
      name: NAMES.minorWithConsent,
      occupation: 'STUDENT',
      institutionId: arranged.school,
      birthDate: sixteen,
    });
    // 18 by the calendar year, but not before 31 December: a minor today.
    arranged.decemberTeen = await addResident({
      name: NAMES.decemberTeen,
      occupation: 'STUDENT',
      institutionId: arranged.school,
      birthDate: `${YEAR - 18}-12-31`,
    });
    arranged.adultEmployee = await addResident({
      name: NAMES.adultEmployee,
      occupation: 'EMPLOYED',
      institutionId: arranged.employer,
      birthDate: '1985-07-01',
    });
    // An employer organization never announced (written directly: the registry's own check of institutions is not what is tested here).
    const [unknown] = await households().query(
      `INSERT INTO resident (household_id, name, occupation, institution_id, birth_date) VALUES ($1, $2, 'EMPLOYED', $3, DATE '1980-02-02') RETURNING id`,
      [arranged.household, NAMES.atUnknownInstitution, (arranged.unknownInstitution = randomUUID())],
    );
    arranged.atUnknownInstitution = unknown.id;

    const consent: any = await platform.query(secretary, RECORD_CONSENT, {
      resident: arranged.minorWithConsent,
      input: { guardianName: NAMES.guardian, guardianRelation: '母亲', guardianPhone: '139-0000-1111' },
    });
    expect(consent.errors).toBeUndefined();

    // Three failed inspections and a re-run: the household becomes UNQUALIFIED for MONTH, which earns reminders.
    await failAndRegrade([3, 4, 5]);
    await waitFor(
      "the re-graded household's notices and held notices",
      async () => {
        const [{ held }] = await notifications().query(
          `SELECT count(*)::int AS held FROM held_notice WHERE month = $1 AND household_id = $2`,
          [monthStart(MONTH), arranged.household],
        );
        return held >= 3;
      },
      60_000,
    );
  });

  /** Failed inspections on these days of MONTH, then a re-run of the community's evaluation (a correction of the grade). */
  async function failAndRegrade(days: number[]): Promise<void> {
    for (const day of days) {
      const recorded: any = await platform.query(
        secretary,
        `mutation($input: RecordInspectionInput!, $key: String!) { recordInspection(input: $input, idempotencyKey: $key) { id } }`,
        {
          input: {
            householdId: arranged.household,
            kind: 'BAG_CHECK',
            result: 'FAIL',
            issues: ['BAG_DUMPED'],
            inspectedAt: `${MONTH}-0${day}T09:00:00+08:00`,
          },
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
        org: arranged.community,
      },
    );
    expect(run.errors).toBeUndefined();
  }

  afterAll(async () => {
    await platform.stop();
  });

  const noticesAbout = (residentId: string) =>
    notifications().query(
      `SELECT kind, institution_id AS "institutionId", resident_name AS "residentName", to_guardian AS "toGuardian", subject, text_body AS "textBody", html_body AS "htmlBody"
         FROM notice WHERE month = $1 AND resident_id = $2 AND withdrawn_at IS NULL`,
      [monthStart(MONTH), residentId],
    );

  it('decides minority from the full birth date on a given date: 17 and born in December is a minor in November', async () => {
    const december = `${YEAR - 17}-12-20`;
    const november = `${YEAR}-11-20`;
    expect(isMinorOn(december, BirthDatePrecision.DAY, november)).toBe(true);
    expect(isMinorOn(december, BirthDatePrecision.DAY, `${YEAR + 1}-12-20`)).toBe(false);
    // Only the year known: a minor until the year's last possible birthday has passed.
    expect(isMinorOn(`${YEAR - 18}-01-01`, BirthDatePrecision.YEAR, `${YEAR}-12-30`)).toBe(true);
    expect(isMinorOn(`${YEAR - 18}-01-01`, BirthDatePrecision.YEAR, `${YEAR}-12-31`)).toBe(false);
    const [sql] = await households().query(
      `SELECT minor_on($1::date, 'DAY', $2::date) AS november, minor_on($1::date, 'DAY', $3::date) AS adult,
              minor_on($4::date, 'YEAR', $5::date) AS "yearOnly", minor_on($4::date, 'MONTH', $5::date) AS "monthOnly"`,
      [december, november, `${YEAR + 1}-12-20`, `${YEAR - 18}-12-01`, `${YEAR}-12-15`],
    );
    expect(sql).toEqual({ november: true, adult: false, yearOnly: true, monthOnly: true });
    // The resident registered as born on 31 December 18 years ago is a minor today, through the API too.
    const read: any = await platform.query(secretary, RESIDENTS, { id: arranged.household });
    expect(read.data.household.residents.find((r: any) => r.id === arranged.decemberTeen)).toMatchObject({
      minor: TODAY < `${YEAR}-12-31`,
    });
  });

  it("makes no notice about a minor student without a guardian's consent, and staff see it held with why", async () => {
    expect(await noticesAbout(arranged.minorWithoutConsent)).toEqual([]);
    const held: any = await platform.query(admin, HELD, { month: MONTH, reason: 'NO_GUARDIAN_CONSENT' });
    expect(held.errors).toBeUndefined();
    const { byReason, edges } = held.data.heldNotices;
    expect(byReason.find((r: any) => r.reason === 'NO_GUARDIAN_CONSENT').count).toBeGreaterThanOrEqual(1);
    const mine = edges.map((e: any) => e.node).filter((n: any) => n.householdId === arranged.household);
    expect(mine.map((n: any) => n.residentId).sort()).toEqual([arranged.decemberTeen, arranged.minorWithoutConsent].sort());
    for (const node of mine) {
      expect(node).toMatchObject({ reason: 'NO_GUARDIAN_CONSENT', kind: 'REMINDER_NOTICE', institution: { id: arranged.school } });
      expect(node.residentName).toContain('*');
    }
    expect(JSON.stringify(held)).not.toContain(NAMES.minorWithoutConsent);
  });

  it("shows held notices only inside the caller's territory", async () => {
    const elsewhere = platform.plan.communities.find((c) => c.id !== arranged.community)!.id;
    const otherSecretary = await platform.token([Role.COMMUNITY_SECRETARY], elsewhere);
    const theirs: any = await platform.query(otherSecretary, HELD, { month: MONTH });
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data.heldNotices.edges.some((e: any) => e.node.householdId === arranged.household)).toBe(false);
    const outside: any = await platform.query(
      otherSecretary,
      `query($month: String!, $org: ID) { heldNotices(month: $month, orgUnitId: $org) { totalCount } }`,
      {
        month: MONTH,
        org: arranged.community,
      },
    );
    expect(errorCodes(outside)).toEqual(['FORBIDDEN']);
    const resident = await platform.token([Role.RESIDENT], arranged.community, 'resident-1', arranged.household);
    expect(errorCodes(await platform.query(resident, HELD, { month: MONTH }))).toEqual(['FORBIDDEN']);
  });

  it('writes to the school of a minor with consent, addressed to the guardian, with the month and grade and no inspection details', async () => {
    const [notice, ...others] = await noticesAbout(arranged.minorWithConsent);
    expect(others).toEqual([]);
    expect(notice).toMatchObject({
      kind: 'REMINDER_NOTICE',
      institutionId: arranged.school,
      toGuardian: true,
      residentName: NAMES.guardian,
    });
    const [year, month] = MONTH.split('-').map(Number);
    expect(notice.textBody).toContain(`致 ${NAMES.guardian} 家长`);
    expect(notice.textBody).toContain(`${year}年${month}月`);
    expect(notice.textBody).toContain('不合格');
    for (const text of [notice.subject, notice.textBody, notice.htmlBody]) {
      expect(text).not.toContain(NAMES.minorWithConsent);
      expect(text).not.toContain('垃圾包乱丢');
      expect(text).not.toContain('主要问题');
    }
  });

  it('holds only the notice of a resident whose institution is unknown; the rest of the household and month proceed', async () => {
    expect(await noticesAbout(arranged.atUnknownInstitution)).toEqual([]);
    const [held] = await notifications().query(`SELECT reason FROM held_notice WHERE month = $1 AND resident_id = $2`, [
      monthStart(MONTH),
      arranged.atUnknownInstitution,
    ]);
    expect(held).toEqual({ reason: 'UNKNOWN_INSTITUTION' });
    const [adult] = await noticesAbout(arranged.adultEmployee);
    expect(adult).toMatchObject({
      kind: 'REMINDER_NOTICE',
      institutionId: arranged.employer,
      toGuardian: false,
      residentName: NAMES.adultEmployee,
    });
    const [{ generated }] = await notifications().query(
      `SELECT count(*)::int AS generated FROM evaluated_month WHERE month = $1 AND notices_generated_at IS NOT NULL`,
      [monthStart(MONTH)],
    );
    expect(generated).toBe(1);
  });

  it('refuses consent for an adult and a birth date in the future, writing nothing', async () => {
    const refused: any = await platform.query(secretary, RECORD_CONSENT, {
      resident: arranged.adultEmployee,
      input: { guardianName: '某某', guardianRelation: '父亲' },
    });
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors[0].message).toMatch(/under 18/);
    const [row] = await households().query(`SELECT guardian_name FROM resident WHERE id = $1`, [arranged.adultEmployee]);
    expect(row.guardian_name).toBeNull();

    const before = await households().query(`SELECT count(*)::int AS n FROM resident WHERE household_id = $1`, [arranged.household]);
    const future: any = await platform.query(secretary, ADD_RESIDENT, {
      household: arranged.household,
      input: { name: '未来人', occupation: 'OTHER', birthDate: addDays(TODAY, 1) },
    });
    expect(errorCodes(future)).toEqual(['BAD_USER_INPUT']);
    expect(future.errors[0].extensions.reason).toBe('FUTURE_BIRTH_DATE');
    expect(await households().query(`SELECT count(*)::int AS n FROM resident WHERE household_id = $1`, [arranged.household])).toEqual(
      before,
    );
  });

  it('masks birth dates and the guardian for a role without personal data, like names', async () => {
    const streetAdmin = await platform.token([Role.STREET_ADMIN], platform.plan.streets[0].id);
    const read: any = await platform.query(streetAdmin, RESIDENTS, { id: arranged.household });
    expect(read.errors).toBeUndefined();
    const minor = read.data.household.residents.find((r: any) => r.id === arranged.minorWithConsent);
    expect(minor.birthDate).toBeNull();
    expect(minor.guardianConsent.guardianName).toContain('*');
    expect(minor.guardianConsent.guardianPhone).toBe('139****1111');
  });

  it('makes the held notice once the unknown institution arrives', async () => {
    const queue = platformQueue(platform, QueueName.NotificationsEvents);
    try {
      const id = randomUUID();
      const payload = { institutions: [{ id: arranged.unknownInstitution, kind: 'EMPLOYER', name: '新到单位有限公司', version: 1 }] };
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
    const [notice] = await noticesAbout(arranged.atUnknownInstitution);
    expect(notice).toMatchObject({
      kind: 'REMINDER_NOTICE',
      institutionId: arranged.unknownInstitution,
      residentName: NAMES.atUnknownInstitution,
    });
    expect(notice.textBody).toContain('新到单位有限公司');
    expect(await notifications().query(`SELECT reason FROM held_notice WHERE resident_id = $1`, [arranged.atUnknownInstitution])).toEqual(
      [],
    );
  });

  it('stops notices about a minor once the guardian withdraws consent', async () => {
    const withdrawn: any = await platform.query(secretary, WITHDRAW_CONSENT, { resident: arranged.minorWithConsent });
    expect(withdrawn.errors).toBeUndefined();
    expect(
      withdrawn.data.withdrawGuardianConsent.residents.find((r: any) => r.id === arranged.minorWithConsent).guardianConsent,
    ).toBeNull();
    // The grade is corrected again (one more failure): what is made now leaves the minor out, and the notice made with
    // the consent is withdrawn from the school.
    await failAndRegrade([6]);
    await waitFor(
      "the minor's notice to be held",
      async () => {
        const held = await notifications().query(`SELECT reason FROM held_notice WHERE month = $1 AND resident_id = $2`, [
          monthStart(MONTH),
          arranged.minorWithConsent,
        ]);
        return held[0]?.reason === 'NO_GUARDIAN_CONSENT';
      },
      60_000,
    );
    expect(await noticesAbout(arranged.minorWithConsent)).toEqual([]);
  });

  it('answers the addressees route only to notifications, never naming a minor', async () => {
    const url = `${platform.serviceUrls.get(ServiceName.Households)}/internal/notice-addressees`;
    const ask = (userId: string | null) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(userId
            ? signCaller(
                { userId, roles: [], orgUnitId: null, householdId: null, institutionId: null, requestId: '' },
                platform.env.CONTEXT_SIGNING_SECRET,
              )
            : {}),
        },
        body: JSON.stringify({ on: TODAY, residentIds: [arranged.adultEmployee, arranged.minorWithoutConsent] }),
      });
    expect((await ask(null)).status).toBe(401);
    expect((await ask('system:gateway')).status).toBe(401);
    const answered = await ask('system:notifications');
    expect(answered.status).toBe(200);
    const { addressees } = (await answered.json()) as { addressees: any[] };
    expect(addressees.find((a) => a.residentId === arranged.adultEmployee)).toMatchObject({ minor: false, name: NAMES.adultEmployee });
    expect(addressees.find((a) => a.residentId === arranged.minorWithoutConsent)).toMatchObject({
      minor: true,
      name: null,
      guardianName: null,
    });
    // Handing out names is an audited read, attributed to notifications.
    const [audited] = await households().query(
      `SELECT count(*)::int AS n FROM personal_data_access WHERE user_id = 'system:notifications' AND entity = 'Resident' AND $1::uuid = ANY(entity_ids)`,
      [arranged.adultEmployee],
    );
    expect(audited.n).toBeGreaterThan(0);
  });

  it('carries no resident name in any grade event, outbox row or queued job', async () => {
    const names: string[] = (await households().query(`SELECT name FROM resident`)).map((r: { name: string }) => r.name);
    expect(names).toEqual(expect.arrayContaining([NAMES.adultEmployee, NAMES.minorWithConsent]));
    const outboxes: string[] = [];
    for (const service of Object.values(ServiceName)) {
      const rows: { payload: unknown }[] = await platform.database(service).query(`SELECT payload FROM outbox_event`);
      outboxes.push(...rows.map((r) => JSON.stringify(r.payload)));
    }
    const [{ events }] = await households().query(
      `SELECT count(*)::int AS events FROM outbox_event WHERE type = 'household-grades.published'`,
    );
    expect(events).toBeGreaterThan(0);

    const redis = new Redis(platform.env.REDIS_URL);
    const jobs: string[] = [];
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${platform.env.QUEUE_PREFIX}:*`, 'COUNT', 500);
        cursor = next;
        for (const key of keys) {
          if ((await redis.type(key)) === 'hash') jobs.push(JSON.stringify(await redis.hgetall(key)));
        }
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    expect(jobs.length).toBeGreaterThan(0);
    const everything = [...outboxes, ...jobs].join('\n');
    // Three-character names and the arranged ones: a two-character name may also be a place's (territory events carry those).
    const distinctive = [...new Set([...names.filter((name) => name.length >= 3), ...Object.values(NAMES)])];
    expect(distinctive.filter((name) => everything.includes(name))).toEqual([]);
    // And a grade event's residents carry ids and routing facts only.
    const gradeEvents: { payload: any }[] = await households().query(
      `SELECT payload FROM outbox_event WHERE type = 'household-grades.published'`,
    );
    const keys = new Set(
      gradeEvents.flatMap((e) => e.payload.households.flatMap((h: any) => h.residents.flatMap((r: any) => Object.keys(r)))),
    );
    expect([...keys].sort()).toEqual([
      'disclosureBasis',
      'institutionId',
      'maskedName',
      'minor',
      'occupation',
      'partyMemberId',
      'residentId',
    ]);
  });
});

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
