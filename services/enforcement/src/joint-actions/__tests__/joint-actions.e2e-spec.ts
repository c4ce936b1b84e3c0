import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Queue } from 'bullmq';
import ICAL from 'ical.js';
import { Role } from '#libs/auth';
import { JobName, QueueName, ServiceName } from '#libs/messaging';
import { errorCodes, platformQueue, reasonOf, uploadPhoto, waitFor } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';

const ACTION_FIELDS = `id title status labelZh startsAt endsAt revision leadBureau { id } targetUnits { id } teams { id name } officers { id name }
  history { revision change labelZh startsAt endsAt reason }`;
const SCHEDULE = `mutation($input: ScheduleJointActionInput!) { scheduleJointAction(input: $input) { ${ACTION_FIELDS} } }`;
const RESCHEDULE = `mutation($id: ID!, $startsAt: DateTime!, $endsAt: DateTime!, $reason: String!) {
  rescheduleJointAction(id: $id, startsAt: $startsAt, endsAt: $endsAt, reason: $reason) { ${ACTION_FIELDS} } }`;
const CANCEL = `mutation($id: ID!, $reason: String!) { cancelJointAction(id: $id, reason: $reason) { ${ACTION_FIELDS} } }`;
const CREATE_TEAM = `mutation($bureauId: ID!, $name: String!) { createEnforcementTeam(bureauId: $bureauId, name: $name) { id name bureau { id } } }`;
const CREATE_OFFICER = `mutation($bureauId: ID!, $name: String!, $userId: String) { createEnforcementOfficer(bureauId: $bureauId, name: $name, userId: $userId) { id name } }`;
const GRANT = `mutation($bureauId: ID!, $orgUnitId: ID!) { grantBureauRemit(bureauId: $bureauId, orgUnitId: $orgUnitId) { orgUnit { id } } }`;
const ROTATE = `mutation($bureauId: ID!) { rotateBureauCalendarToken(bureauId: $bureauId) { path url bureau { id } } }`;
const FINDING = `mutation($actionId: ID!, $input: RecordActionFindingInput!, $key: String!) {
  recordActionFinding(actionId: $actionId, input: $input, idempotencyKey: $key) { id targetKind targetLabelZh category labelZh householdId propertyCompany { id } } }`;
const LIST = `query($bureauId: ID, $from: DateTime, $to: DateTime, $unitId: ID) {
  jointActions(bureauId: $bureauId, from: $from, to: $to, unitId: $unitId, first: 100) { totalCount edges { node { id title status } } } }`;
const CHANGE_STATE = `mutation($id: ID!, $state: CampaignState!) { changeCampaignState(id: $id, state: $state) { id state } }`;

const detailsOf = (response: any) => response.errors?.[0]?.extensions?.details;

describe('joint actions through the gateway', () => {
  let platform: TestPlatform;
  let admin: string;
  let queue: Queue;
  let lead: { id: string; name: string };
  let partner: { id: string; name: string };
  let gatewayBase: string;
  const db = () => platform.database(ServiceName.Enforcement);
  const count = async (sql: string, params: unknown[] = []) => (await db().query(sql, params))[0].count as number;
  const department = (name: string) => platform.plan.institutions.find((i) => i.kind === 'DEPARTMENT' && i.name === name)!;
  const communitiesOf = (streetId: string) => platform.plan.communities.filter((c) => c.parentId === streetId);
  let teamCounter = 0;
  const newTeam = async (bureauId = lead.id): Promise<string> => {
    const response: any = await platform.query(admin, CREATE_TEAM, { bureauId, name: `测试中队${++teamCounter}` });
    expect(response.errors).toBeUndefined();
    return response.data.createEnforcementTeam.id;
  };
  const schedule = (input: Record<string, unknown>, token = admin) =>
    platform.query(token, SCHEDULE, { input: { title: '联合执法', leadBureauId: lead.id, teamIds: [], officerIds: [], ...input } });
  /** A window on `day` (far from the demo's actions) from `from` to `to` o'clock, Shanghai time. */
  const at = (day: string, hour: number, minute = 0) =>
    `${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`;

  beforeAll(async () => {
    platform = await startPlatform();
    admin = await platform.token([Role.DISTRICT_ADMIN]);
    lead = department('鄞州区综合行政执法局');
    partner = department('鄞州区市场监督管理局');
    gatewayBase = platform.gatewayUrl.replace(/\/graphql$/, '');
    const departments = platform.plan.institutions.filter((i) => i.kind === 'DEPARTMENT').length;
    await waitFor(
      "enforcement's copy of the institutions",
      async () => (await count(`SELECT count(*)::int AS count FROM institution_copy WHERE kind = 'DEPARTMENT'`)) === departments,
    );
    queue = platformQueue(platform, QueueName.EnforcementJobs);
  });

  // A hook per resource: each is released even when setup failed before the next one existed.
  afterAll(() => queue.close());
  afterAll(() => platform.stop());

  it('seeds a quarterly campaign per street for the current quarter with joint actions, listed for the street', async () => {
    const street = platform.plan.streets[0];
    const token = await platform.token([Role.STREET_ADMIN], street.id);
    const response: any = await platform.query(token, LIST, { unitId: street.id });
    expect(response.errors).toBeUndefined();
    expect(response.data.jointActions.totalCount).toBeGreaterThanOrEqual(2);
    expect(await count(`SELECT count(*)::int AS count FROM joint_action WHERE campaign_id IS NULL AND created_by = 'demo-seed'`)).toBe(0);
  });

  describe('double-booking is decided by the database', () => {
    it('lets exactly one of many concurrent actions booking the same team win and names it to the others', async () => {
      const team = await newTeam();
      const communities = platform.plan.communities.slice(0, 6);
      const responses: any[] = await Promise.all(
        communities.map((community, i) =>
          schedule({
            title: `同队并发${i}`,
            startsAt: at('2035-03-05', 9, i * 10),
            endsAt: at('2035-03-05', 11, i * 10),
            targetUnitIds: [community.id],
            teamIds: [team],
          }),
        ),
      );
      const winners = responses.filter((r) => !r.errors);
      const losers = responses.filter((r) => r.errors);
      expect(winners).toHaveLength(1);
      const winner = winners[0].data.scheduleJointAction;
      expect(losers).toHaveLength(communities.length - 1);
      for (const loser of losers) {
        expect(errorCodes(loser)).toEqual(['CONFLICT']);
        expect(reasonOf(loser)).toBe('SCHEDULE_CONFLICT');
        expect(detailsOf(loser)).toMatchObject({
          conflictingAction: { id: winner.id, title: winner.title, startsAt: winner.startsAt, endsAt: winner.endsAt },
          resource: { kind: 'TEAM', id: team },
        });
      }
      expect(await count(`SELECT count(*)::int AS count FROM joint_action WHERE team_ids @> ARRAY[$1::uuid]`, [team])).toBe(1);
    });

    it('lets exactly one of many concurrent actions on the same unit win', async () => {
      const community = platform.plan.communities[0];
      const teams = await Promise.all([1, 2, 3, 4, 5].map(() => newTeam()));
      const responses: any[] = await Promise.all(
        teams.map((team, i) =>
          schedule({
            title: `同区并发${i}`,
            startsAt: at('2035-04-10', 9, i * 5),
            endsAt: at('2035-04-10', 10, i * 5),
            targetUnitIds: [community.id],
            teamIds: [team],
          }),
        ),
      );
      const winners = responses.filter((r) => !r.errors);
      expect(winners).toHaveLength(1);
      const winner = winners[0].data.scheduleJointAction;
      for (const loser of responses.filter((r) => r.errors)) {
        expect(reasonOf(loser)).toBe('SCHEDULE_CONFLICT');
        expect(detailsOf(loser)).toMatchObject({ conflictingAction: { id: winner.id }, resource: { kind: 'UNIT', id: community.id } });
      }
    });

    it('refuses an action on a street while one runs on a community inside it, and the other way round; siblings both run', async () => {
      const street = platform.plan.streets[1];
      const [first, second] = communitiesOf(street.id);
      const onFirst: any = await schedule({
        title: '社区行动',
        startsAt: at('2035-05-12', 9),
        endsAt: at('2035-05-12', 12),
        targetUnitIds: [first.id],
      });
      expect(onFirst.errors).toBeUndefined();
      const onSibling: any = await schedule({
        title: '相邻社区行动',
        startsAt: at('2035-05-12', 10),
        endsAt: at('2035-05-12', 13),
        targetUnitIds: [second.id],
      });
      expect(onSibling.errors).toBeUndefined();
      const onStreet: any = await schedule({
        title: '全街道行动',
        startsAt: at('2035-05-12', 11),
        endsAt: at('2035-05-12', 15),
        targetUnitIds: [street.id],
      });
      expect(reasonOf(onStreet)).toBe('SCHEDULE_CONFLICT');
      expect([onFirst.data.scheduleJointAction.id, onSibling.data.scheduleJointAction.id]).toContain(
        detailsOf(onStreet).conflictingAction.id,
      );

      const streetFirst: any = await schedule({
        title: '全街道行动',
        startsAt: at('2035-05-13', 9),
        endsAt: at('2035-05-13', 12),
        targetUnitIds: [street.id],
      });
      expect(streetFirst.errors).toBeUndefined();
      const inside: any = await schedule({
        title: '社区行动',
        startsAt: at('2035-05-13', 11),
        endsAt: at('2035-05-13', 14),
        targetUnitIds: [first.id],
      });
      expect(reasonOf(inside)).toBe('SCHEDULE_CONFLICT');
      expect(detailsOf(inside).conflictingAction.id).toBe(streetFirst.data.scheduleJointAction.id);
    });

    it('books the same team and unit back to back', async () => {
      const team = await newTeam();
      const community = platform.plan.communities[2];
      const morning: any = await schedule({
        title: '上午',
        startsAt: at('2035-06-01', 9),
        endsAt: at('2035-06-01', 12),
        targetUnitIds: [community.id],
        teamIds: [team],
      });
      const afternoon: any = await schedule({
        title: '下午',
        startsAt: at('2035-06-01', 12),
        endsAt: at('2035-06-01', 15),
        targetUnitIds: [community.id],
        teamIds: [team],
      });
      expect(morning.errors).toBeUndefined();
      expect(afternoon.errors).toBeUndefined();
    });

    it('refuses double-booking an officer, frees the place on cancel, and checks a reschedule against the others', async () => {
      const officer: any = await platform.query(admin, CREATE_OFFICER, { bureauId: lead.id, name: '测试队员', userId: null });
      expect(officer.errors).toBeUndefined();
      const officerId = officer.data.createEnforcementOfficer.id;
      const [a, b] = platform.plan.communities.slice(3, 5);
      const first: any = await schedule({
        title: '甲',
        startsAt: at('2035-07-01', 9),
        endsAt: at('2035-07-01', 12),
        targetUnitIds: [a.id],
        officerIds: [officerId],
      });
      const second: any = await schedule({
        title: '乙',
        startsAt: at('2035-07-01', 14),
        endsAt: at('2035-07-01', 16),
        targetUnitIds: [b.id],
        officerIds: [officerId],
      });
      expect(first.errors).toBeUndefined();
      expect(second.errors).toBeUndefined();
      const clash: any = await schedule({
        title: '丙',
        startsAt: at('2035-07-01', 11),
        endsAt: at('2035-07-01', 13),
        targetUnitIds: [b.id],
        officerIds: [officerId],
      });
      expect(detailsOf(clash)).toMatchObject({
        conflictingAction: { id: first.data.scheduleJointAction.id },
        resource: { kind: 'OFFICER', id: officerId },
      });
      const moved: any = await platform.query(admin, RESCHEDULE, {
        id: second.data.scheduleJointAction.id,
        startsAt: at('2035-07-01', 10),
        endsAt: at('2035-07-01', 13),
        reason: '提前',
      });
      expect(reasonOf(moved)).toBe('SCHEDULE_CONFLICT');
      expect(detailsOf(moved).conflictingAction.id).toBe(first.data.scheduleJointAction.id);
      const cancelled: any = await platform.query(admin, CANCEL, { id: first.data.scheduleJointAction.id, reason: '天气原因' });
      expect(cancelled.data.cancelJointAction).toMatchObject({ status: 'CANCELLED', labelZh: '已取消', revision: 1 });
      const again: any = await schedule({
        title: '丙',
        startsAt: at('2035-07-01', 11),
        endsAt: at('2035-07-01', 13),
        targetUnitIds: [b.id],
        officerIds: [officerId],
      });
      expect(again.errors).toBeUndefined();
    });
  });

  describe('bad input', () => {
    it('refuses an action ending before it starts and writes nothing', async () => {
      const before = await count(`SELECT count(*)::int AS count FROM joint_action`);
      const response: any = await schedule({
        startsAt: at('2035-08-01', 12),
        endsAt: at('2035-08-01', 9),
        targetUnitIds: [platform.plan.communities[0].id],
      });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(reasonOf(response)).toBe('ENDS_BEFORE_START');
      expect(await count(`SELECT count(*)::int AS count FROM joint_action`)).toBe(before);
    });

    it("refuses a territory outside the lead bureau's remit and writes nothing", async () => {
      const [streetA, streetB] = platform.plan.streets;
      const transport = department('鄞州区交通运输局');
      expect((await platform.query(admin, GRANT, { bureauId: transport.id, orgUnitId: streetA.id })).errors).toBeUndefined();
      const before = await count(`SELECT count(*)::int AS count FROM joint_action`);
      const bookings = await count(`SELECT count(*)::int AS count FROM joint_action_booking`);
      const outside: any = await schedule({
        leadBureauId: transport.id,
        startsAt: at('2035-08-02', 9),
        endsAt: at('2035-08-02', 11),
        targetUnitIds: [communitiesOf(streetB.id)[0].id],
      });
      expect(errorCodes(outside)).toEqual(['BAD_USER_INPUT']);
      expect(reasonOf(outside)).toBe('OUTSIDE_REMIT');
      expect(await count(`SELECT count(*)::int AS count FROM joint_action`)).toBe(before);
      expect(await count(`SELECT count(*)::int AS count FROM joint_action_booking`)).toBe(bookings);
      const inside: any = await schedule({
        leadBureauId: transport.id,
        startsAt: at('2035-08-02', 9),
        endsAt: at('2035-08-02', 11),
        targetUnitIds: [communitiesOf(streetA.id)[0].id],
      });
      expect(inside.errors).toBeUndefined();
    });

    it('refuses a lead that is not a bureau, and a bureau officer acting for another bureau', async () => {
      const school = platform.plan.institutions.find((i) => i.kind === 'SCHOOL')!;
      await waitFor(
        'the school in the copy',
        async () => (await count(`SELECT count(*)::int AS count FROM institution_copy WHERE id = $1`, [school.id])) === 1,
      );
      const notBureau: any = await schedule({
        leadBureauId: school.id,
        startsAt: at('2035-08-03', 9),
        endsAt: at('2035-08-03', 11),
        targetUnitIds: [platform.plan.communities[0].id],
      });
      expect(reasonOf(notBureau)).toBe('NOT_A_BUREAU');

      expect(
        (await platform.query(admin, CREATE_OFFICER, { bureauId: partner.id, name: '市监队员', userId: 'officer-partner' })).errors,
      ).toBeUndefined();
      const officer = await platform.token([Role.BUREAU_OFFICER], null, 'officer-partner');
      const forOther: any = await schedule(
        { startsAt: at('2035-08-03', 9), endsAt: at('2035-08-03', 11), targetUnitIds: [platform.plan.communities[1].id] },
        officer,
      );
      expect(errorCodes(forOther)).toEqual(['FORBIDDEN']);
      expect(reasonOf(forOther)).toBe('OTHER_BUREAU');
      const own: any = await schedule(
        {
          leadBureauId: partner.id,
          startsAt: at('2035-08-03', 9),
          endsAt: at('2035-08-03', 11),
          targetUnitIds: [platform.plan.communities[1].id],
        },
        officer,
      );
      expect(own.errors).toBeUndefined();
    });
  });

  describe("a bureau's iCalendar feed", () => {
    const fetchFeed = (path: string) => fetch(`${gatewayBase}${path}`);
    const events = async (path: string) => {
      const response = await fetchFeed(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
      const text = await response.text();
      expect(text.split('\r\n').every((line) => Buffer.byteLength(line, 'utf8') <= 75)).toBe(true);
      const calendar = new ICAL.Component(ICAL.parse(text));
      return calendar.getAllSubcomponents('vevent');
    };

    it('serves the actions at a secret address, follows reschedules and cancellations, and forgets a rotated address', async () => {
      const rotated: any = await platform.query(admin, ROTATE, { bureauId: partner.id });
      expect(rotated.errors).toBeUndefined();
      const path: string = rotated.data.rotateBureauCalendarToken.path;
      expect(path).toMatch(/^\/calendars\/[A-Za-z0-9_-]{43}\.ics$/);
      // The whole address to subscribe to: the gateway's public origin (PUBLIC_GATEWAY_URL, its default here) and the path.
      expect(rotated.data.rotateBureauCalendarToken.url).toBe(`http://localhost:4000${path}`);

      const officer: any = await platform.query(admin, CREATE_OFFICER, { bureauId: partner.id, name: '赵一鸣', userId: null });
      const community = platform.plan.communities[5];
      const title = '春季联合执法, 垃圾分类; 专项检查：桶边督导与投放点规范化整治（覆盖全部小区及沿街商铺）';
      const scheduled: any = await schedule({
        title,
        leadBureauId: partner.id,
        startsAt: at('2036-03-10', 9),
        endsAt: at('2036-03-10', 12),
        targetUnitIds: [community.id],
        teamIds: [await newTeam(partner.id)],
        officerIds: [officer.data.createEnforcementOfficer.id],
      });
      expect(scheduled.errors).toBeUndefined();
      const id = scheduled.data.scheduleJointAction.id;
      const uid = `${id}@joint-actions.enforcement`;
      const find = (list: any[]) => list.find((e) => e.getFirstPropertyValue('uid') === uid);

      let event = find(await events(path));
      expect(event.getFirstPropertyValue('summary')).toBe(title);
      expect(event.getFirstPropertyValue('sequence')).toBe(0);
      expect(event.getFirstPropertyValue('status')).toBe('CONFIRMED');
      expect(event.getFirstPropertyValue('dtstart').toJSDate().toISOString()).toBe('2036-03-10T01:00:00.000Z');
      expect(event.getFirstPropertyValue('location')).toContain(community.name);
      expect(event.getFirstPropertyValue('description')).toContain(partner.name);
      expect(event.getFirstPropertyValue('description')).not.toContain('赵一鸣');

      const moved: any = await platform.query(admin, RESCHEDULE, {
        id,
        startsAt: at('2036-03-12', 14),
        endsAt: at('2036-03-12', 17),
        reason: '与区级检查时间冲突',
      });
      expect(moved.errors).toBeUndefined();
      event = find(await events(path));
      expect(event.getFirstPropertyValue('sequence')).toBe(1);
      expect(event.getFirstPropertyValue('dtstart').toJSDate().toISOString()).toBe('2036-03-12T06:00:00.000Z');
      expect(event.getFirstPropertyValue('dtend').toJSDate().toISOString()).toBe('2036-03-12T09:00:00.000Z');

      const cancelled: any = await platform.query(admin, CANCEL, { id, reason: '暴雨预警' });
      expect(cancelled.data.cancelJointAction.history.map((h: any) => [h.revision, h.change, h.reason])).toEqual([
        [0, 'SCHEDULED', null],
        [1, 'RESCHEDULED', '与区级检查时间冲突'],
        [2, 'CANCELLED', '暴雨预警'],
      ]);
      event = find(await events(path));
      expect(event.getFirstPropertyValue('status')).toBe('CANCELLED');
      expect(event.getFirstPropertyValue('sequence')).toBe(2);

      expect((await fetchFeed(`/calendars/${'A'.repeat(43)}.ics`)).status).toBe(404);
      expect((await fetchFeed('/calendars/nonsense')).status).toBe(404);
      const again: any = await platform.query(admin, ROTATE, { bureauId: partner.id });
      expect((await fetchFeed(path)).status).toBe(404);
      expect((await fetchFeed(again.data.rotateBureauCalendarToken.path)).status).toBe(200);
    });
  });

  describe('the quarterly draft job', () => {
    const drafts = (startsOn: string) =>
      db().query(
        `SELECT target_unit_ids[1]::text AS street, state, name, bureau_ids::text[] AS bureaus, created_by AS "createdBy"
         FROM campaign WHERE kind = 'QUARTERLY_JOINT_ACTION' AND starts_on = $1 ORDER BY name`,
        [startsOn],
      );

    it('is scheduled daily at 03:00 in Shanghai', async () => {
      const scheduler = await waitFor('the quarterly draft schedule', () => queue.getJobScheduler('quarterly-action-draft'));
      expect(scheduler).toMatchObject({ name: JobName.QuarterlyActionDraft, pattern: '0 3 * * *', tz: 'Asia/Shanghai' });
    });

    it("drafts next quarter's campaign for every street two weeks before it, once however often it runs", async () => {
      const early = await queue.add(JobName.QuarterlyActionDraft, { firedAt: '2034-03-17T03:00:00+08:00' });
      await waitFor('the early run to finish', async () => (await early.getState()) === 'completed');
      expect(await drafts('2034-04-01')).toEqual([]);

      const first = await queue.add(JobName.QuarterlyActionDraft, { firedAt: '2034-03-18T03:00:00+08:00' });
      await waitFor('the drafting run to finish', async () => (await first.getState()) === 'completed');
      const drafted = await drafts('2034-04-01');
      expect(drafted).toHaveLength(platform.plan.streets.length);
      expect(new Set(drafted.map((d: any) => d.street))).toEqual(new Set(platform.plan.streets.map((s) => s.id)));
      for (const draft of drafted) {
        const street = platform.plan.streets.find((s) => s.id === draft.street)!;
        expect(draft).toMatchObject({ state: 'DRAFT', name: `${street.name}2034年第2季度管执联动行动`, createdBy: `job:${first.id}` });
        expect(draft.bureaus).toContain(lead.id);
      }
      const [{ endsOn }] = await db().query(`SELECT ends_on::text AS "endsOn" FROM campaign WHERE starts_on = '2034-04-01' LIMIT 1`);
      expect(endsOn).toBe('2034-06-30');

      const reruns = await Promise.all(
        ['2034-03-18T09:00:00+08:00', '2034-03-25T03:00:00+08:00'].map((firedAt) => queue.add(JobName.QuarterlyActionDraft, { firedAt })),
      );
      await waitFor('the reruns to finish', async () =>
        (await Promise.all(reruns.map((j) => j.getState()))).every((s) => s === 'completed'),
      );
      expect(await drafts('2034-04-01')).toEqual(drafted);
    });

    it('drafts the first quarter of the next year in December', async () => {
      const job = await queue.add(JobName.QuarterlyActionDraft, { firedAt: '2034-12-20T03:00:00+08:00' });
      await waitFor('the run to finish', async () => (await job.getState()) === 'completed');
      const drafted = await drafts('2035-01-01');
      expect(drafted).toHaveLength(platform.plan.streets.length);
      expect(drafted[0].name).toContain('2035年第1季度');
    });
  });

  describe('findings', () => {
    it('turns a finding about a household into an inspection in households, and keeps one about a property company as a violation candidate that becomes one case', async () => {
      const households = platform.database(ServiceName.Households);
      const [household] = await households.query(
        `SELECT h.id, t.path::text[] AS path FROM household h JOIN territory_unit t ON t.id = h.compound_id ORDER BY h.id LIMIT 1`,
      );
      const community = household.path[2];
      const scheduled: any = await schedule({
        title: '入户联合检查',
        startsAt: at('2035-09-01', 9),
        endsAt: at('2035-09-01', 12),
        targetUnitIds: [community],
      });
      expect(scheduled.errors).toBeUndefined();
      const actionId = scheduled.data.scheduleJointAction.id;

      // Evidence is the recorder's own photo: another person's is refused and nothing is recorded.
      const theirs = await uploadPhoto(platform, await platform.token([Role.INSPECTOR], community, 'inspector-of-the-community'));
      const refused: any = await platform.query(admin, FINDING, {
        actionId,
        key: 'finding-theirs',
        input: { householdId: household.id, category: 'MIXED_WASTE', description: '别人的照片', photoIds: [theirs] },
      });
      expect(refused.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_YOUR_PHOTO' });
      expect(await count(`SELECT count(*)::int AS count FROM action_finding WHERE action_id = $1`, [actionId])).toBe(0);

      const photo = await uploadPhoto(platform, admin);
      const householdFinding = {
        actionId,
        key: 'finding-household-1',
        input: { householdId: household.id, category: 'MIXED_WASTE', description: '厨余垃圾中混有塑料瓶', photoIds: [photo] },
      };
      const recorded: any = await platform.query(admin, FINDING, householdFinding);
      expect(recorded.errors).toBeUndefined();
      expect(
        await households.query(`SELECT record_kind AS kind, household_id AS "householdId" FROM upload_citation WHERE upload_id = $1`, [
          photo,
        ]),
      ).toEqual([{ kind: 'ACTION_FINDING', householdId: household.id }]);
      // A phone's retry with the same key records nothing more; the same key for something else is refused.
      const retried: any = await platform.query(admin, FINDING, householdFinding);
      expect(retried.data.recordActionFinding.id).toBe(recorded.data.recordActionFinding.id);
      const reused: any = await platform.query(admin, FINDING, {
        ...householdFinding,
        input: { ...householdFinding.input, description: '另一件事' },
      });
      expect(reasonOf(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await count(`SELECT count(*)::int AS count FROM action_finding WHERE action_id = $1`, [actionId])).toBe(1);
      expect(recorded.data.recordActionFinding).toMatchObject({ targetKind: 'HOUSEHOLD', targetLabelZh: '住户', labelZh: '混投混放' });
      const [inspection] = await waitFor('the inspection in households', async () => {
        const rows = await households.query(
          `SELECT household_id AS "householdId", kind, result, issues, note FROM inspection WHERE inspector_id = $1`,
          [`joint-action:${actionId}`],
        );
        return rows.length > 0 ? rows : null;
      });
      expect(inspection).toEqual({
        householdId: household.id,
        kind: 'PATROL',
        result: 'FAIL',
        issues: ['RECYCLABLES_MIXED'],
        note: '联合执法发现：厨余垃圾中混有塑料瓶',
      });

      // Delivered again (at-least-once): households' inbox records nothing twice.
      const [event] = await db().query(
        `SELECT id, type, payload::text AS "payloadJson", occurred_at AS "occurredAt" FROM outbox_event WHERE type = 'action-finding.recorded' AND payload->>'actionId' = $1`,
        [actionId],
      );
      const householdsQueue = platformQueue(platform, QueueName.HouseholdsEvents);
      try {
        const again = await householdsQueue.add(
          event.type,
          { ...event, source: ServiceName.Enforcement, occurredAt: event.occurredAt.toISOString() },
          { jobId: `${event.id}-again` },
        );
        await waitFor('the redelivery to be handled', async () => (await again.getState()) === 'completed');
      } finally {
        await householdsQueue.close();
      }
      const [{ count: inspections }] = await households.query(`SELECT count(*)::int AS count FROM inspection WHERE inspector_id = $1`, [
        `joint-action:${actionId}`,
      ]);
      expect(inspections).toBe(1);

      const company = platform.plan.institutions.find((i) => i.kind === 'PROPERTY_COMPANY')!;
      const outbox = await count(`SELECT count(*)::int AS count FROM outbox_event WHERE type = 'action-finding.recorded'`);
      const candidate: any = await platform.query(admin, FINDING, {
        actionId,
        key: 'finding-company-1',
        input: { propertyCompanyId: company.id, category: 'BIN_POINT_UNMANAGED', description: '投放点无人值守，桶边满溢' },
      });
      expect(candidate.errors).toBeUndefined();
      expect(candidate.data.recordActionFinding).toMatchObject({ targetKind: 'PROPERTY_COMPANY', propertyCompany: { id: company.id } });
      expect(
        await count(`SELECT count(*)::int AS count FROM action_finding WHERE action_id = $1 AND target_kind = 'PROPERTY_COMPANY'`, [
          actionId,
        ]),
      ).toBe(1);
      expect(await count(`SELECT count(*)::int AS count FROM outbox_event WHERE type = 'action-finding.recorded'`)).toBe(outbox);

      // The candidate becomes a case against the company, once; a case about another target cannot claim it.
      const OPEN_CASE = `mutation($input: OpenCaseInput!) { openCase(input: $input) { id state targetKind actionFindingId institution { id } } }`;
      const caseInput = {
        targetKind: 'PROPERTY_COMPANY',
        institutionId: company.id,
        orgUnitId: community,
        articleCode: 'NB-WASTE-61',
        evidenceDescription: '联合执法发现：投放点无人值守',
        actionFindingId: candidate.data.recordActionFinding.id,
      };
      const otherCompany = platform.plan.institutions.filter((i) => i.kind === 'PROPERTY_COMPANY')[1];
      const mismatched: any = await platform.query(admin, OPEN_CASE, { input: { ...caseInput, institutionId: otherCompany.id } });
      expect(reasonOf(mismatched)).toBe('FINDING_TARGET_MISMATCH');
      const opened: any = await platform.query(admin, OPEN_CASE, { input: caseInput });
      expect(opened.errors).toBeUndefined();
      expect(opened.data.openCase).toMatchObject({
        state: 'OPENED',
        targetKind: 'PROPERTY_COMPANY',
        actionFindingId: candidate.data.recordActionFinding.id,
        institution: { id: company.id },
      });
      const twice: any = await platform.query(admin, OPEN_CASE, { input: caseInput });
      expect(twice.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'FINDING_ALREADY_OPENED' });
      expect(
        await count(`SELECT count(*)::int AS count FROM enforcement_case WHERE action_finding_id = $1`, [
          candidate.data.recordActionFinding.id,
        ]),
      ).toBe(1);

      const two: any = await platform.query(admin, FINDING, {
        actionId,
        key: 'finding-two-1',
        input: { householdId: household.id, orgUnitId: community, category: 'OTHER', description: '两个对象' },
      });
      expect(reasonOf(two)).toBe('ONE_TARGET');

      // A household finding names a household of the registry, inside the action's target units; nothing is recorded otherwise.
      const findings = await count(`SELECT count(*)::int AS count FROM action_finding WHERE action_id = $1`, [actionId]);
      const unknown: any = await platform.query(admin, FINDING, {
        actionId,
        key: 'finding-unknown-1',
        input: { householdId: randomUUID(), category: 'OTHER', description: '无此住户' },
      });
      expect(unknown.errors![0].extensions!.code).toBe('NOT_FOUND');
      const [outside] = await households.query(
        `SELECT h.id FROM household h JOIN territory_unit t ON t.id = h.compound_id WHERE NOT t.path @> ARRAY[$1::uuid] LIMIT 1`,
        [community],
      );
      const elsewhere: any = await platform.query(admin, FINDING, {
        actionId,
        key: 'finding-elsewhere-1',
        input: { householdId: outside.id, category: 'OTHER', description: '别的社区的住户' },
      });
      expect(reasonOf(elsewhere)).toBe('OUTSIDE_ACTION');
      expect(await count(`SELECT count(*)::int AS count FROM action_finding WHERE action_id = $1`, [actionId])).toBe(findings);
    });
  });

  describe('reading and scope', () => {
    it("lists a bureau's actions in a window, teams' bureaus included, and keeps a street administrator to their street", async () => {
      const [streetA, streetB] = platform.plan.streets;
      const partnerTeam = await newTeam(partner.id);
      const led: any = await schedule({
        title: '执法局牵头',
        startsAt: at('2037-01-05', 9),
        endsAt: at('2037-01-05', 11),
        targetUnitIds: [communitiesOf(streetA.id)[0].id],
        teamIds: [partnerTeam],
      });
      const other: any = await schedule({
        title: '另一行动',
        startsAt: at('2037-01-06', 9),
        endsAt: at('2037-01-06', 11),
        targetUnitIds: [communitiesOf(streetB.id)[0].id],
      });
      expect(led.errors).toBeUndefined();
      expect(other.errors).toBeUndefined();
      const forPartner: any = await platform.query(admin, LIST, {
        bureauId: partner.id,
        from: at('2037-01-01', 0),
        to: at('2037-02-01', 0),
      });
      expect(forPartner.data.jointActions.edges.map((e: any) => e.node.title)).toEqual(['执法局牵头']);
      const forLead: any = await platform.query(admin, LIST, { bureauId: lead.id, from: at('2037-01-01', 0), to: at('2037-02-01', 0) });
      expect(forLead.data.jointActions.edges.map((e: any) => e.node.title)).toEqual(['执法局牵头', '另一行动']);

      const streetAdmin = await platform.token([Role.STREET_ADMIN], streetA.id);
      const seen: any = await platform.query(streetAdmin, LIST, { from: at('2037-01-01', 0), to: at('2037-02-01', 0) });
      expect(seen.data.jointActions.edges.map((e: any) => e.node.title)).toEqual(['执法局牵头']);
      const before = await count(`SELECT count(*)::int AS count FROM joint_action`);
      const outside: any = await schedule(
        { startsAt: at('2037-01-07', 9), endsAt: at('2037-01-07', 11), targetUnitIds: [streetB.id] },
        streetAdmin,
      );
      expect(errorCodes(outside)).toEqual(['FORBIDDEN']);
      expect(await count(`SELECT count(*)::int AS count FROM joint_action`)).toBe(before);
      const cannotRotate: any = await platform.query(streetAdmin, ROTATE, { bureauId: lead.id });
      expect(errorCodes(cannotRotate)).toEqual(['FORBIDDEN']);
    });

    it('refuses a campaign whose participating bureau is not a DEPARTMENT', async () => {
      const school = platform.plan.institutions.find((i) => i.kind === 'SCHOOL')!;
      const response: any = await platform.query(admin, `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`, {
        input: {
          kind: 'SPECIAL_ACTION',
          name: '专项行动',
          startsOn: '2037-01-01',
          endsOn: '2037-01-31',
          targetUnitIds: [platform.plan.streets[0].id],
          participatingBureauIds: [school.id],
        },
      });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(reasonOf(response)).toBe('NOT_A_BUREAU');
    });
  });

  describe('campaign states', () => {
    it('moves a campaign one step at a time and refuses any other move', async () => {
      const [draft] = await db().query(`SELECT id FROM campaign WHERE state = 'DRAFT' LIMIT 1`);
      const scheduled: any = await platform.query(admin, CHANGE_STATE, { id: draft.id, state: 'SCHEDULED' });
      expect(scheduled.errors).toBeUndefined();
      expect(scheduled.data.changeCampaignState.state).toBe('SCHEDULED');
      const skip: any = await platform.query(admin, CHANGE_STATE, { id: draft.id, state: 'REPORTED' });
      expect(errorCodes(skip)).toEqual(['CONFLICT']);
      expect(reasonOf(skip)).toBe('INVALID_TRANSITION');
      const back: any = await platform.query(admin, CHANGE_STATE, { id: draft.id, state: 'DRAFT' });
      expect(reasonOf(back)).toBe('INVALID_TRANSITION');
    });
  });
});
