import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { addMonths, monthStart, shanghaiMonth } from '#libs/calendar';
import { EventType, QueueName, ServiceName, type GradedResident, type HouseholdGradesPublishedPayload } from '#libs/messaging';
import { maskName } from '#libs/privacy';
import { errorCodes, platformQueue, waitFor } from '#libs/testing';
import { startPlatform, waitForDemoNotices, type TestPlatform } from '#tools/test-platform';

/** The demo grades the last two complete months; the later one can earn praise (its month before is graded). */
const MONTH = addMonths(shanghaiMonth(), -1);
const MONTH_BEFORE = addMonths(MONTH, -1);

const DISCLOSURES = `query($month: String, $state: PublicDisclosureState) {
  publicDisclosures(month: $month, state: $state, first: 10) { totalCount edges { node { id month state ruleVersion preparedBy } } } }`;
const DISCLOSURE = `query($id: ID!, $first: Int, $after: String, $excluded: Boolean) { publicDisclosure(id: $id) {
  id month state preparedBy lastEditedBy approvedBy approvalNote publishedBy withdrawnBy withdrawalReason subject textBody htmlBody
  counts { praise reminder included excluded }
  entries(first: $first, after: $after, excluded: $excluded) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id maskedName place kind grade excluded exclusionReason compound { id } } } }
  events(first: 500) { totalCount edges { node { action actor at note entryId } } }
  pendingDifference { households entriesToAdd entriesToRemove entriesChanged } } }`;
const EXCLUDE = `mutation($id: ID!, $reason: String!) { excludeDisclosureEntry(entryId: $id, reason: $reason) { id excluded exclusionReason excludedBy } }`;
const INCLUDE = `mutation($id: ID!) { includeDisclosureEntry(entryId: $id) { id excluded exclusionReason } }`;
const APPROVE = `mutation($id: ID!, $note: String) { approvePublicDisclosure(id: $id, note: $note) { id state approvedBy approvalNote } }`;
const PUBLISH = `mutation($id: ID!) { publishPublicDisclosure(id: $id) { id state publishedBy subject textBody htmlBody } }`;
const WITHDRAW = `mutation($id: ID!, $reason: String!) { withdrawPublicDisclosure(id: $id, reason: $reason) { id state withdrawnBy withdrawalReason } }`;

type Kind = 'PRAISE' | 'REMINDER';

interface Expected {
  residentId: string;
  kind: Kind;
  grade: string;
  maskedName: string;
  place: string;
}

interface Entry {
  id: string;
  maskedName: string;
  place: string;
  kind: Kind;
  grade: string;
  excluded: boolean;
  exclusionReason: string | null;
  compound: { id: string };
}

describe('monthly public disclosure (媒体公示)', () => {
  let platform: TestPlatform;
  let notifications: () => ReturnType<TestPlatform['database']>;
  let households: () => ReturnType<TestPlatform['database']>;
  /** Two district admins: a preparer and an approver. */
  let preparer: string;
  let approver: string;
  let streetAdmin: string;
  let expected: Expected[];
  /** Earning retirees and freelancers the rules leave out (no recorded ground), and every resident's full name. */
  let leftOut: { residentId: string; basis: string }[];
  let fullNames: string[];
  let disclosureId: string;
  let entries: Entry[];
  /** Compound id → street id, from households' own territory copy. */
  let streetOf: Map<string, string>;

  const byResident = (list: { residentId: string }[]) => [...list].sort((a, b) => a.residentId.localeCompare(b.residentId));

  /**
   * The entries a month's disclosure should hold, worked out here from households' own records: residents of
   * households graded QUALIFIED with at least 95 points after a QUALIFIED month (praise) or UNQUALIFIED (reminder),
   * who are RETIRED or FREELANCE, adults, with CONSENT or REGULATION recorded; named as 张*明, placed as
   * "community compound".
   */
  async function expectedEntries(month: string): Promise<{ expected: Expected[]; leftOut: { residentId: string; basis: string }[] }> {
    const rows: {
      residentId: string;
      name: string;
      occupation: string;
      minor: boolean;
      basis: string;
      grade: string;
      score: string;
      previous: string | null;
      community: string;
      compound: string;
    }[] = await households().query(
      `SELECT r.id AS "residentId", r.name, r.occupation, minor_on(r.birth_date, r.birth_date_precision, (now() AT TIME ZONE 'Asia/Shanghai')::date) AS minor, r.disclosure_basis AS basis,
              g.grade, g.score, p.grade AS previous, community.name AS community, compound.name AS compound
         FROM monthly_grade g
         JOIN resident r ON r.household_id = g.household_id
         JOIN household h ON h.id = g.household_id
         JOIN territory_unit compound ON compound.id = h.compound_id
         JOIN territory_unit community ON community.id = compound.parent_id
         LEFT JOIN monthly_grade p ON p.household_id = g.household_id AND p.month = $2
        WHERE g.month = $1 AND g.status = 'GRADED'`,
      [monthStart(month), monthStart(addMonths(month, -1))],
    );
    const result: Expected[] = [];
    const excluded: { residentId: string; basis: string }[] = [];
    for (const row of rows) {
      const kind: Kind | null =
        row.grade === 'QUALIFIED' && Number(row.score) >= 95 && row.previous === 'QUALIFIED'
          ? 'PRAISE'
          : row.grade === 'UNQUALIFIED'
            ? 'REMINDER'
            : null;
      if (!kind || !['RETIRED', 'FREELANCE'].includes(row.occupation) || row.minor) continue;
      if (!['CONSENT', 'REGULATION'].includes(row.basis)) {
        excluded.push({ residentId: row.residentId, basis: row.basis });
        continue;
      }
      result.push({
        residentId: row.residentId,
        kind,
        grade: row.grade,
        maskedName: maskName(row.name),
        place: `${row.community} ${row.compound}`,
      });
    }
    return { expected: result, leftOut: excluded };
  }

  /** What the database holds of a month's disclosure entries, by resident. */
  const storedEntries = async (month: string): Promise<(Expected & { id: string; excluded: boolean })[]> =>
    notifications().query(
      `SELECT e.id, e.resident_id AS "residentId", e.kind, e.grade, e.masked_name AS "maskedName", e.place, e.excluded_at IS NOT NULL AS excluded
         FROM public_disclosure_entry e JOIN public_disclosure d ON d.id = e.disclosure_id WHERE d.month = $1`,
      [monthStart(month)],
    );

  /** Everything a refused call must leave as it was: the disclosure row, its entries and its audit log. */
  const snapshot = async (id: string) => ({
    disclosure: await notifications().query(`SELECT * FROM public_disclosure WHERE id = $1`, [id]),
    entries: await notifications().query(`SELECT * FROM public_disclosure_entry WHERE disclosure_id = $1 ORDER BY id`, [id]),
    events: await notifications().query(`SELECT * FROM public_disclosure_event WHERE disclosure_id = $1 ORDER BY seq`, [id]),
  });

  async function disclosureOf(
    token: string,
    month: string,
  ): Promise<{ id: string; state: string; ruleVersion: number; preparedBy: string }> {
    const response: any = await platform.query(token, DISCLOSURES, { month });
    expect(response.errors).toBeUndefined();
    expect(response.data.publicDisclosures.totalCount).toBe(1);
    return response.data.publicDisclosures.edges[0].node;
  }

  async function read(token: string, id: string, variables: Record<string, unknown> = {}): Promise<any> {
    const response: any = await platform.query(token, DISCLOSURE, { id, first: 1, ...variables });
    expect(response.errors).toBeUndefined();
    const disclosure = response.data.publicDisclosure;
    expect(disclosure.events.totalCount).toBe(disclosure.events.edges.length);
    return { ...disclosure, events: disclosure.events.edges.map((edge: any) => edge.node) };
  }

  /** Every entry the caller sees, page by page. */
  async function allEntries(token: string, id: string, excluded?: boolean): Promise<Entry[]> {
    const seen: Entry[] = [];
    let after: string | null = null;
    do {
      const page = await read(token, id, { first: 7, after, excluded });
      seen.push(...page.entries.edges.map((edge: any) => edge.node));
      after = page.entries.pageInfo.hasNextPage ? page.entries.pageInfo.endCursor : null;
    } while (after);
    return seen;
  }

  /** Announces `households` as corrected grades of MONTH, as households would, and waits for them to be processed. */
  async function announceCorrection(grades: HouseholdGradesPublishedPayload['households']): Promise<void> {
    const [{ districtId }] = await notifications().query(`SELECT district_id AS "districtId" FROM evaluated_month WHERE month = $1`, [
      monthStart(MONTH),
    ]);
    const payload: HouseholdGradesPublishedPayload = { month: MONTH, districtId, runId: randomUUID(), households: grades };
    const queue = platformQueue(platform, QueueName.NotificationsEvents);
    try {
      const id = randomUUID();
      await queue.add(
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
      await waitFor('the corrected grades to be processed', async () => {
        const job = await queue.getJob(id);
        const state = await job?.getState();
        if (state === 'failed') throw new Error(`failed: ${job?.failedReason}`);
        return state === 'completed';
      });
    } finally {
      await queue.close();
    }
  }

  /** A household of MONTH graded without earning anything, in the given street, with its compound. */
  async function quietHousehold(streetId: string, skip: string[] = []): Promise<{ householdId: string; compoundId: string }> {
    const [row] = await notifications().query(
      `SELECT h.household_id AS "householdId", h.compound_id AS "compoundId" FROM graded_household h JOIN territory_unit t ON t.id = h.compound_id
        WHERE h.month = $1 AND h.status = 'GRADED' AND h.grade = 'BASICALLY_QUALIFIED' AND $2 = ANY(t.path) AND NOT (h.household_id = ANY($3::uuid[]))
        ORDER BY h.household_id LIMIT 1`,
      [monthStart(MONTH), streetId, skip],
    );
    return row;
  }

  const resident = (overrides: Partial<GradedResident>): GradedResident => ({
    residentId: randomUUID(),
    occupation: 'RETIRED',
    institutionId: null,
    partyMemberId: null,
    minor: false,
    maskedName: null,
    disclosureBasis: null,
    ...overrides,
  });

  const unqualified = (household: { householdId: string; compoundId: string }, residents: GradedResident[]) => ({
    ...household,
    status: 'GRADED' as const,
    grade: 'UNQUALIFIED' as const,
    previousGrade: 'QUALIFIED' as const,
    score: 52,
    ruleVersion: 1,
    issues: ['BAG_DUMPED' as const],
    residents,
    correction: true,
  });

  beforeAll(async () => {
    platform = await startPlatform({ streets: 2, households: 400 });
    notifications = () => platform.database(ServiceName.Notifications);
    households = () => platform.database(ServiceName.Households);
    preparer = await platform.token([Role.DISTRICT_ADMIN], null, 'admin-preparer');
    approver = await platform.token([Role.DISTRICT_ADMIN], null, 'admin-approver');
    streetAdmin = await platform.token([Role.STREET_ADMIN], platform.plan.streets[0].id, 'street-admin');
    await waitForDemoNotices(platform);
    ({ expected, leftOut } = await expectedEntries(MONTH));
    fullNames = (await households().query(`SELECT DISTINCT name FROM resident`)).map((row: { name: string }) => row.name);
    const compounds: { id: string; street: string }[] = await households().query(
      `SELECT c.id, s.id AS street FROM territory_unit c JOIN territory_unit s ON s.id = ANY(c.path) AND s.kind = 'STREET' WHERE c.kind = 'COMPOUND'`,
    );
    streetOf = new Map(compounds.map((c) => [c.id, c.street]));
  });

  afterAll(async () => {
    await platform.stop();
  });

  it('drafts exactly the adult retirees and freelancers the rules and their recorded grounds allow', async () => {
    // The month's data exercises every rule: both kinds, and earning residents left out for want of a ground.
    expect(expected.some((e) => e.kind === 'PRAISE')).toBe(true);
    expect(expected.some((e) => e.kind === 'REMINDER')).toBe(true);
    expect(new Set(expected.map((e) => e.residentId)).size).toBe(expected.length);
    expect(leftOut.some((e) => e.basis === 'NONE')).toBe(true);

    const disclosure = await disclosureOf(preparer, MONTH);
    disclosureId = disclosure.id;
    expect(disclosure).toMatchObject({ state: 'DRAFT', ruleVersion: 1, preparedBy: 'system:notice-generation' });
    const stored = await storedEntries(MONTH);
    expect(
      byResident(stored.map(({ residentId, kind, grade, maskedName, place }) => ({ residentId, kind, grade, maskedName, place }))),
    ).toEqual(byResident(expected));
    expect(stored.some((e) => leftOut.some((l) => l.residentId === e.residentId))).toBe(false);

    // The month before had no graded month before it: reminders only, for the same kind of resident.
    const earlier = await expectedEntries(MONTH_BEFORE);
    const storedEarlier = await storedEntries(MONTH_BEFORE);
    expect(storedEarlier.length).toBeGreaterThan(0);
    expect(
      byResident(storedEarlier.map(({ residentId, kind, grade, maskedName, place }) => ({ residentId, kind, grade, maskedName, place }))),
    ).toEqual(byResident(earlier.expected));
    expect(storedEarlier.every((e) => e.kind === 'REMINDER')).toBe(true);

    // Through the API: every entry, masked names and compound-level places only; counts by kind.
    entries = await allEntries(preparer, disclosureId);
    expect(entries).toHaveLength(expected.length);
    const names = new Set(fullNames);
    for (const entry of entries) {
      expect(entry.maskedName).toContain('*');
      expect(names.has(entry.maskedName)).toBe(false);
      expect(entry.place).not.toMatch(/[0-9０-９]|幢|栋|单元|室|号楼/);
      expect(streetOf.has(entry.compound.id)).toBe(true);
    }
    expect(entries.map((e) => `${e.maskedName}|${e.place}|${e.kind}`).sort()).toEqual(
      expected.map((e) => `${e.maskedName}|${e.place}|${e.kind}`).sort(),
    );
    const detail = await read(preparer, disclosureId);
    expect(detail.counts).toEqual({
      praise: expected.filter((e) => e.kind === 'PRAISE').length,
      reminder: expected.filter((e) => e.kind === 'REMINDER').length,
      included: expected.length,
      excluded: 0,
    });
    expect(detail.textBody).toBeNull();
    expect(detail.events).toEqual([expect.objectContaining({ action: 'PREPARED', actor: 'system:notice-generation' })]);
    expect(detail.pendingDifference).toBeNull();

    // Nothing outside the published text carries a full name: not the entries, not the log.
    const [{ leaks }] = await notifications().query(
      `SELECT (SELECT count(*) FROM public_disclosure_entry WHERE masked_name = ANY($1::text[]) OR masked_name NOT LIKE '%*%')::int
            + (SELECT count(*) FROM public_disclosure_event WHERE note = ANY($1::text[]))::int AS leaks`,
      [fullNames],
    );
    expect(leaks).toBe(0);
  });

  it('shows a street admin the district’s disclosure with only the entries in their street, and lets them prepare only those', async () => {
    const street = platform.plan.streets[0].id;
    const mine = entries.filter((e) => streetOf.get(e.compound.id) === street);
    const others = entries.filter((e) => streetOf.get(e.compound.id) !== street);
    expect(mine.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    expect((await disclosureOf(streetAdmin, MONTH)).id).toBe(disclosureId);
    const seen = await allEntries(streetAdmin, disclosureId);
    expect(seen.map((e) => e.id).sort()).toEqual(mine.map((e) => e.id).sort());
    const detail = await read(streetAdmin, disclosureId);
    expect(detail.counts.included).toBe(mine.length);

    const before = await snapshot(disclosureId);
    const foreign: any = await platform.query(streetAdmin, EXCLUDE, { id: others[0].id, reason: '不在本街道' });
    expect(errorCodes(foreign)).toEqual(['NOT_FOUND']);
    expect(await snapshot(disclosureId)).toEqual(before);
  });

  it('excludes and includes entries of the draft, with a reason, each recorded, and refuses repeats and empty reasons', async () => {
    const target = entries[0];
    const before = await snapshot(disclosureId);
    expect(errorCodes(await platform.query(preparer, EXCLUDE, { id: target.id, reason: '   ' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await platform.query(preparer, EXCLUDE, { id: target.id, reason: '长'.repeat(501) }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await platform.query(preparer, EXCLUDE, { id: randomUUID(), reason: '本人已搬离' }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await platform.query(preparer, EXCLUDE, { id: 'not-an-id', reason: '本人已搬离' }))).toEqual(['BAD_USER_INPUT']);
    expect(await snapshot(disclosureId)).toEqual(before);

    const excluded: any = await platform.query(preparer, EXCLUDE, { id: target.id, reason: '本人已搬离' });
    expect(excluded.errors).toBeUndefined();
    expect(excluded.data.excludeDisclosureEntry).toEqual({
      id: target.id,
      excluded: true,
      exclusionReason: '本人已搬离',
      excludedBy: 'admin-preparer',
    });
    const again: any = await platform.query(preparer, EXCLUDE, { id: target.id, reason: '本人已搬离' });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    expect(again.errors[0].extensions.reason).toBe('ENTRY_ALREADY_EXCLUDED');

    let detail = await read(preparer, disclosureId);
    expect(detail.counts.included).toBe(expected.length - 1);
    expect(detail.counts.excluded).toBe(1);
    expect((await allEntries(preparer, disclosureId, true)).map((e) => e.id)).toEqual([target.id]);
    expect(detail.lastEditedBy).toBe('admin-preparer');

    const included: any = await platform.query(approver, INCLUDE, { id: target.id });
    expect(included.data.includeDisclosureEntry).toEqual({ id: target.id, excluded: false, exclusionReason: null });
    const notExcluded: any = await platform.query(approver, INCLUDE, { id: target.id });
    expect(notExcluded.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'ENTRY_NOT_EXCLUDED' });

    // The preparer leaves it out again: they are the draft's last editor from here on.
    expect((await platform.query(preparer, EXCLUDE, { id: target.id, reason: '本人已搬离' })).errors).toBeUndefined();
    detail = await read(preparer, disclosureId);
    expect(detail.lastEditedBy).toBe('admin-preparer');
    expect(detail.events.map((e: any) => [e.action, e.actor, e.note, e.entryId])).toEqual([
      ['PREPARED', 'system:notice-generation', expect.any(String), null],
      ['ENTRY_EXCLUDED', 'admin-preparer', '本人已搬离', target.id],
      ['ENTRY_INCLUDED', 'admin-approver', null, target.id],
      ['ENTRY_EXCLUDED', 'admin-preparer', '本人已搬离', target.id],
    ]);
  });

  it('refreshes the draft with a corrected grade, never listing minors, residents without a ground or without a masked name; again changes nothing', async () => {
    const household = await quietHousehold(platform.plan.streets[0].id);
    const disclosed = resident({ maskedName: '钱*明', disclosureBasis: 'REGULATION', occupation: 'FREELANCE' });
    const withoutGround = resident({ maskedName: '孙*', disclosureBasis: 'NONE' });
    const minor = resident({ maskedName: '周*', disclosureBasis: 'CONSENT', minor: true });
    const unnamed = resident({ maskedName: null, disclosureBasis: 'CONSENT' });
    const employed = resident({ occupation: 'EMPLOYED', maskedName: '吴*', disclosureBasis: 'CONSENT' });
    const correction = unqualified(household, [disclosed, withoutGround, minor, unnamed, employed]);
    await announceCorrection([correction]);

    const stored = await storedEntries(MONTH);
    const ids = [disclosed, withoutGround, minor, unnamed, employed].map((r) => r.residentId);
    expect(
      stored
        .filter((e) => ids.includes(e.residentId))
        .map(({ residentId, kind, grade, maskedName }) => ({ residentId, kind, grade, maskedName })),
    ).toEqual([{ residentId: disclosed.residentId, kind: 'REMINDER', grade: 'UNQUALIFIED', maskedName: '钱*明' }]);
    expect(stored).toHaveLength(expected.length + 1);
    const detail = await read(preparer, disclosureId);
    expect(detail.events.at(-1)).toMatchObject({ action: 'REFRESHED', actor: 'system:notice-generation' });
    expect(detail.events.at(-1).note).toContain('1 added');
    // A refresh is not a person: the last editor stays who it was, and an excluded entry stays excluded.
    expect(detail.lastEditedBy).toBe('admin-preparer');
    expect(detail.counts.excluded).toBe(1);

    // The same correction again (a redelivery, a re-run): nothing changes, nothing is logged.
    const before = await snapshot(disclosureId);
    await announceCorrection([correction]);
    expect(await snapshot(disclosureId)).toEqual(before);
    entries = await allEntries(preparer, disclosureId);
  });

  it('lets only DISCLOSURE_APPROVE approve, never the draft’s last editor, and only a draft; refusals write nothing', async () => {
    const before = await snapshot(disclosureId);
    const byStreet: any = await platform.query(streetAdmin, APPROVE, { id: disclosureId });
    expect(byStreet.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_PERMISSION' });
    const byEditor: any = await platform.query(preparer, APPROVE, { id: disclosureId, note: '同意' });
    expect(byEditor.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'FOUR_EYES' });
    const early: any = await platform.query(approver, PUBLISH, { id: disclosureId });
    expect(early.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'DISCLOSURE_NOT_APPROVED' });
    expect(errorCodes(await platform.query(approver, APPROVE, { id: randomUUID() }))).toEqual(['NOT_FOUND']);
    expect(await snapshot(disclosureId)).toEqual(before);

    const approved: any = await platform.query(approver, APPROVE, { id: disclosureId, note: '经审核同意公示' });
    expect(approved.errors).toBeUndefined();
    expect(approved.data.approvePublicDisclosure).toEqual({
      id: disclosureId,
      state: 'APPROVED',
      approvedBy: 'admin-approver',
      approvalNote: '经审核同意公示',
    });

    // Approved means frozen: no more exclusions or inclusions, no second approval.
    const frozen = await snapshot(disclosureId);
    const included = entries.find((e) => !e.excluded)!;
    const excluded = entries.find((e) => e.excluded)!;
    for (const [query, variables] of [
      [EXCLUDE, { id: included.id, reason: '审核后修改' }],
      [INCLUDE, { id: excluded.id }],
      [APPROVE, { id: disclosureId }],
    ] as const) {
      const refused: any = await platform.query(approver, query, variables);
      expect(refused.errors[0].extensions).toMatchObject({
        code: 'CONFLICT',
        reason: 'DISCLOSURE_NOT_DRAFT',
        details: { state: 'APPROVED' },
      });
    }
    expect(await snapshot(disclosureId)).toEqual(frozen);
  });

  it('keeps an approved disclosure as approved when a grade is corrected, and shows the difference as pending, once', async () => {
    const before = await storedEntries(MONTH);
    const household = await quietHousehold(platform.plan.streets[1].id);
    const late = resident({ maskedName: '郑*华', disclosureBasis: 'CONSENT' });
    await announceCorrection([unqualified(household, [late])]);
    expect(byResident(await storedEntries(MONTH))).toEqual(byResident(before));
    let detail = await read(preparer, disclosureId);
    expect(detail.state).toBe('APPROVED');
    expect(detail.pendingDifference).toEqual({ households: 1, entriesToAdd: 1, entriesToRemove: 0, entriesChanged: 0 });
    expect(detail.events.filter((e: any) => e.action === 'CORRECTION_PENDING')).toHaveLength(1);
    // Outside the street admin's street: not theirs to see.
    expect((await read(streetAdmin, disclosureId)).pendingDifference).toBeNull();

    await announceCorrection([unqualified(household, [late])]);
    detail = await read(preparer, disclosureId);
    expect(detail.events.filter((e: any) => e.action === 'CORRECTION_PENDING')).toHaveLength(1);
  });

  it('publishes the approved list rendered from the template with the included entries, and records who did what', async () => {
    const published: any = await platform.query(approver, PUBLISH, { id: disclosureId });
    expect(published.errors).toBeUndefined();
    const { state, publishedBy, subject, textBody, htmlBody } = published.data.publishPublicDisclosure;
    const [year, month] = MONTH.split('-').map(Number);
    expect({ state, publishedBy, subject }).toEqual({
      state: 'PUBLISHED',
      publishedBy: 'admin-approver',
      subject: `${year}年${month}月鄞州区生活垃圾分类评价结果公示`,
    });
    expect(textBody).toContain(`现将${year}年${month}月评价情况公示如下`);
    expect(textBody).not.toMatch(/\{\{|\}\}/);
    const included = entries.filter((e) => !e.excluded);
    const excluded = entries.filter((e) => e.excluded);
    expect(excluded).toHaveLength(1);
    const lines = textBody.split('\n').filter((line: string) => /^\d+\. /.test(line));
    expect(lines).toHaveLength(included.length);
    for (const entry of included) {
      const words = entry.grade === 'QUALIFIED' ? '合格' : '不合格';
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^\\d+\\. ${escape(entry.maskedName)}，${escape(entry.place)}，评为“${words}”$`)),
      );
    }
    expect(lines.some((line: string) => line.includes(`${excluded[0].maskedName}，${excluded[0].place}，`))).toBe(
      included.some((e) => e.maskedName === excluded[0].maskedName && e.place === excluded[0].place),
    );
    expect(textBody).toContain(`表扬（共${included.filter((e) => e.kind === 'PRAISE').length}人）：`);
    expect(textBody).toContain(`提醒（共${included.filter((e) => e.kind === 'REMINDER').length}人）：`);
    // The correction pending since approval is not in it.
    expect(textBody).not.toContain('郑*华');
    expect(htmlBody.match(/<li>/g)).toHaveLength(included.length);
    expect(htmlBody).toContain('<ol>');

    const detail = await read(preparer, disclosureId);
    expect(detail.textBody).toBe(textBody);
    expect(detail.events.map((e: any) => [e.action, e.actor])).toEqual([
      ['PREPARED', 'system:notice-generation'],
      ['ENTRY_EXCLUDED', 'admin-preparer'],
      ['ENTRY_INCLUDED', 'admin-approver'],
      ['ENTRY_EXCLUDED', 'admin-preparer'],
      ['REFRESHED', 'system:notice-generation'],
      ['APPROVED', 'admin-approver'],
      ['CORRECTION_PENDING', 'system:notice-generation'],
      ['PUBLISHED', 'admin-approver'],
    ]);
    expect(detail.events.find((e: any) => e.action === 'APPROVED').note).toBe('经审核同意公示');

    const before = await snapshot(disclosureId);
    const again: any = await platform.query(approver, PUBLISH, { id: disclosureId });
    expect(again.errors[0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'DISCLOSURE_NOT_APPROVED',
      details: { state: 'PUBLISHED' },
    });
    expect(await snapshot(disclosureId)).toEqual(before);
    // The audit log is append-only, in the database too.
    await expect(notifications().query(`DELETE FROM public_disclosure_event WHERE disclosure_id = $1`, [disclosureId])).rejects.toThrow(
      /append-only/,
    );
  });

  it('withdraws with a reason, once; a withdrawn disclosure can be neither approved nor published', async () => {
    const { id } = await disclosureOf(preparer, MONTH_BEFORE);
    const before = await snapshot(id);
    expect(errorCodes(await platform.query(approver, WITHDRAW, { id, reason: '' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await platform.query(streetAdmin, WITHDRAW, { id, reason: '数据有误' }))).toEqual(['FORBIDDEN']);
    expect(await snapshot(id)).toEqual(before);

    const withdrawn: any = await platform.query(approver, WITHDRAW, { id, reason: '数据有误，重新评价' });
    expect(withdrawn.data.withdrawPublicDisclosure).toEqual({
      id,
      state: 'WITHDRAWN',
      withdrawnBy: 'admin-approver',
      withdrawalReason: '数据有误，重新评价',
    });
    const after = await snapshot(id);
    for (const [query, reason] of [
      [WITHDRAW, 'DISCLOSURE_WITHDRAWN'],
      [APPROVE, 'DISCLOSURE_NOT_DRAFT'],
      [PUBLISH, 'DISCLOSURE_NOT_APPROVED'],
    ] as const) {
      const refused: any = await platform.query(approver, query, { id, reason: '再次撤回' });
      expect(refused.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason });
    }
    expect(await snapshot(id)).toEqual(after);
    expect((await read(preparer, id)).events.map((e: any) => e.action)).toEqual(['PREPARED', 'WITHDRAWN']);

    const listed: any = await platform.query(preparer, DISCLOSURES, { state: 'WITHDRAWN' });
    expect(listed.data.publicDisclosures.edges.map((edge: any) => edge.node.id)).toEqual([id]);
  });

  it('is read only by staff who prepare disclosures or read notices', async () => {
    const inspector = await platform.token([Role.INSPECTOR], platform.plan.streets[0].id);
    expect(errorCodes(await platform.query(inspector, DISCLOSURES, {}))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await platform.query(inspector, DISCLOSURE, { id: disclosureId }))).toEqual(['FORBIDDEN']);
    const secretary = await platform.token([Role.COMMUNITY_SECRETARY], platform.plan.communities[0].id);
    const read: any = await platform.query(secretary, DISCLOSURE, { id: disclosureId, first: 1 });
    expect(read.errors).toBeUndefined();
    expect(errorCodes(await platform.query(secretary, EXCLUDE, { id: entries[0].id, reason: '无' }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await platform.query(preparer, DISCLOSURES, { month: '2026-13' }))).toEqual(['BAD_USER_INPUT']);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
