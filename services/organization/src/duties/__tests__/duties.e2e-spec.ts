import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Queue } from 'bullmq';
import { Role } from '#libs/auth';
import { JobName, QueueName, ServiceName } from '#libs/messaging';
import { codeOf, platformQueue, reasonOf, waitFor, waitForJob, type GraphQLResponse } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';
import { seedDuties } from '../../seed/duties.seed.js';
import { closeDutyDay } from '../duty-check-sql.js';
import { PartyBuilder, type Unit } from './party-builder.js';

const LOG_FIELDS = `id duty labelZh cadence cadenceLabelZh partyMemberId partyOrgId partyOrgName performedAt performedOn note
  orgUnit { id } institution { id kind } leaderId leader { id title }`;
const RECORD = `mutation($input: RecordDutyLogInput!) { recordDutyLog(input: $input) { ${LOG_FIELDS} } }`;
const PERIOD_FIELDS = `id duty labelZh cadence cadenceLabelZh partyMemberId memberNameMasked partyOrgId partyOrgName periodStart periodEnd
  status statusLabelZh logsCount checkedAt metLateAt escalatedToPartyOrgId escalatedToPartyOrgName`;
const PERIODS = `query($month: String, $org: ID, $member: ID, $duty: DutyKind, $status: DutyPeriodStatus, $first: Int, $after: String) {
  dutyPeriods(month: $month, partyOrgId: $org, memberId: $member, duty: $duty, status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${PERIOD_FIELDS} } } } }`;
const ESCALATIONS = `query($org: ID, $month: String, $first: Int, $after: String) {
  dutyEscalations(partyOrgId: $org, month: $month, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id labelZh escalatedToPartyOrgId escalatedToPartyOrgName repeated createdAt resolvedAt
      escalatedTo { id kind labelZh } period { ${PERIOD_FIELDS} partyOrg { id kind parent { id } } } } } } }`;
const RATE = 'duty labelZh cadence due met missed rate';
const COMPLIANCE = `query($month: String!, $org: ID, $member: ID) {
  dutyCompliance(month: $month, partyOrgId: $org, memberId: $member) {
    month partyOrgId memberId total { ${RATE} } byDuty { ${RATE} }
    members(first: 500) { totalCount edges { node { partyMemberId memberNameMasked rate { ${RATE} } } } } } }`;
const MY_DUTIES = `query($month: String!) { myDuties(month: $month) {
  month partyMemberId duties { duty labelZh cadence cadenceLabelZh partyOrgId partyOrgName owed met missed logs } } }`;

/** A Shanghai wall-clock time as an instant. */
const at = (date: string, time = '09:00') => `${date}T${time}:00+08:00`;

interface Holder {
  memberId: string;
  token: string;
}

describe('duty cadences (履职) through the gateway', () => {
  let platform: TestPlatform;
  let queue: Queue;
  let build: PartyBuilder;
  let district: Unit;
  let street: Unit;
  let community1: Unit;
  let community2: Unit;
  let compound1: Unit;
  let otherCommunity: Unit;
  let districtCommittee: Unit;
  let streetCommittee: Unit;
  let communityCommittee1: Unit;
  let communityCommittee2: Unit;
  let departmentCommittee: Unit;
  let changedStreetCommittee: Unit;
  let school: string;
  let employer: string;
  let streetSecretary: Holder;
  let secretary1: Holder;
  let secretary2: Holder;
  let departmentHead: Holder;
  let leavingSecretary: Holder;
  let arrivingSecretary: Holder;
  let plainMember: Holder;
  let districtAdmin: string;
  let streetAdmin: string;

  const db = () => platform.database(ServiceName.Organization);
  const count = async (sql: string, params: unknown[] = []): Promise<number> => (await db().query(sql, params))[0].count;
  const logCount = () => count(`SELECT count(*)::int AS count FROM duty_log`);
  const key = () => `duty-${randomUUID()}`;

  async function record(holder: Holder, input: Record<string, unknown>): Promise<GraphQLResponse> {
    return platform.query(holder.token, RECORD, { input: { idempotencyKey: key(), note: null, ...input } });
  }

  async function recorded(holder: Holder, input: Record<string, unknown>): Promise<any> {
    const response: any = await record(holder, input);
    expect(response.errors).toBeUndefined();
    return response.data.recordDutyLog;
  }

  /** Runs the daily check through the real queue as the scheduler would fire it at `firedAt`, and waits for it. */
  async function runCheck(firedAt: string): Promise<void> {
    await waitForJob(queue, await queue.add(JobName.DutyCheckDaily, { firedAt }), `the duty check fired at ${firedAt}`);
  }

  /** Rows of this test's posts only (the job closes every post of the district). */
  const ownPeriods = (orgIds: string[]) =>
    db().query(
      `SELECT party_org_id AS "orgId", party_member_id AS "memberId", duty, period_start AS start, period_end AS "end", status, logs_count AS logs
         FROM duty_period WHERE party_org_id = ANY($1::uuid[]) ORDER BY period_start, party_org_id`,
      [orgIds],
    );
  const ownEscalations = (orgIds: string[]) =>
    db().query(
      `SELECT d.party_org_id AS "orgId", d.period_start AS start, e.escalated_to_party_org_id AS "to", e.repeated
         FROM duty_escalation e JOIN duty_period d ON d.id = e.duty_period_id
        WHERE d.party_org_id = ANY($1::uuid[]) ORDER BY d.period_start, d.party_org_id`,
      [orgIds],
    );

  beforeAll(async () => {
    platform = await startPlatform({ streets: 1, households: 40 });
    build = new PartyBuilder(db());
    district = await build.districtUnit();
    street = await build.orgUnit('STREET', district, '履职测试街道');
    community1 = await build.orgUnit('COMMUNITY', street, '一社区');
    community2 = await build.orgUnit('COMMUNITY', street, '二社区');
    compound1 = await build.orgUnit('COMPOUND', community1, '一小区');
    [otherCommunity] = await db().query(
      `SELECT id, path::text[] AS path FROM org_unit WHERE kind = 'COMMUNITY' AND parent_id = $1 ORDER BY code LIMIT 1`,
      [platform.plan.streets[0].id],
    );
    const department = await build.institution('DEPARTMENT', district.id, null, '区教育局（测试）');
    school = await build.institution('SCHOOL', street.id, department, '实验小学（测试）');
    employer = await build.institution('EMPLOYER', street.id, null, '某公司（测试）');

    districtCommittee = await build.districtCommittee();
    streetCommittee = await build.partyOrg('STREET_COMMITTEE', districtCommittee, { orgUnitId: street.id }, '履职测试街道党工委');
    communityCommittee1 = await build.partyOrg('COMMUNITY_COMMITTEE', streetCommittee, { orgUnitId: community1.id }, '一社区党委');
    communityCommittee2 = await build.partyOrg('COMMUNITY_COMMITTEE', streetCommittee, { orgUnitId: community2.id }, '二社区党委');
    departmentCommittee = await build.partyOrg(
      'DEPARTMENT_COMMITTEE',
      districtCommittee,
      { institutionId: department },
      '区教育局党委（测试）',
    );
    const street2 = await build.orgUnit('STREET', district, '换届测试街道');
    await build.orgUnit('COMMUNITY', street2, '换届社区');
    changedStreetCommittee = await build.partyOrg('STREET_COMMITTEE', districtCommittee, { orgUnitId: street2.id }, '换届测试街道党工委');

    const holder = async (
      name: string,
      roles: Role[],
      orgUnitId: string | null,
      org: Unit | null,
      startsOn = '2025-01-01',
      endsOn: string | null = null,
    ) => {
      const member = await build.member(name);
      if (org) await build.secretary(org, member.id, startsOn, endsOn);
      return { memberId: member.id, token: await platform.token(roles, orgUnitId, member.userId!) };
    };
    streetSecretary = await holder('王街道', [Role.STREET_ADMIN], street.id, streetCommittee);
    secretary1 = await holder('李一社', [Role.COMMUNITY_SECRETARY], community1.id, communityCommittee1);
    secretary2 = await holder('赵二社', [Role.COMMUNITY_SECRETARY], community2.id, communityCommittee2);
    departmentHead = await holder('陈局长', [Role.PARTY_MEMBER], district.id, departmentCommittee);
    leavingSecretary = await holder('周离任', [Role.PARTY_MEMBER], district.id, changedStreetCommittee, '2025-01-01', '2025-04-10');
    arrivingSecretary = await holder('吴新任', [Role.PARTY_MEMBER], district.id, changedStreetCommittee, '2025-04-11');
    plainMember = await holder('孙党员', [Role.PARTY_MEMBER], community1.id, null);
    districtAdmin = await platform.token([Role.DISTRICT_ADMIN], null, 'district-admin');
    streetAdmin = streetSecretary.token;
    queue = platformQueue(platform, QueueName.OrganizationJobs);
  });

  afterAll(async () => {
    await queue.close();
    await platform.stop();
  });

  describe('recording duty logs', () => {
    it("records a patrol of the community for its secretary, in the post's period by Shanghai date", async () => {
      const log = await recorded(secretary1, {
        duty: 'PATROL',
        performedAt: '2025-02-09T16:30:00Z',
        orgUnitId: compound1.id,
        note: '桶边巡查',
      });
      expect(log).toMatchObject({
        duty: 'PATROL',
        labelZh: '每日巡查',
        cadence: 'DAILY',
        cadenceLabelZh: '每日',
        partyMemberId: secretary1.memberId,
        partyOrgId: communityCommittee1.id,
        partyOrgName: '一社区党委',
        performedOn: '2025-02-10',
        note: '桶边巡查',
        orgUnit: { id: compound1.id },
        institution: null,
      });
    });

    it('returns the same log for the same idempotency key, and refuses the key with another body', async () => {
      const idempotencyKey = key();
      const input = { duty: 'PATROL', performedAt: at('2025-02-11'), orgUnitId: community1.id, idempotencyKey, note: null };
      const first: any = await platform.query(secretary1.token, RECORD, { input });
      expect(first.errors).toBeUndefined();
      const before = await logCount();
      const again: any = await platform.query(secretary1.token, RECORD, { input });
      expect(again.errors).toBeUndefined();
      expect(again.data.recordDutyLog.id).toBe(first.data.recordDutyLog.id);
      expect(await logCount()).toBe(before);
      const changed = await platform.query(secretary1.token, RECORD, { input: { ...input, performedAt: at('2025-02-12') } });
      expect(codeOf(changed)).toBe('CONFLICT');
      expect(reasonOf(changed)).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await logCount()).toBe(before);
    });

    it('refuses a duty the caller does not owe on that date (NO_SUCH_DUTY), writing nothing', async () => {
      const before = await logCount();
      const records = await count(`SELECT count(*)::int AS count FROM idempotency_record`);
      const cases = [
        await record(plainMember, { duty: 'PATROL', performedAt: at('2025-02-11'), orgUnitId: community1.id }),
        // A community secretary owes patrols, not door-to-door explanation.
        await record(secretary1, { duty: 'DOOR_TO_DOOR_EXPLANATION', performedAt: at('2025-02-11'), orgUnitId: community1.id }),
        // Before the post began.
        await record(secretary1, { duty: 'PATROL', performedAt: at('2024-12-31'), orgUnitId: community1.id }),
        // After the post ended.
        await record(leavingSecretary, { duty: 'DOOR_TO_DOOR_EXPLANATION', performedAt: at('2025-04-11'), orgUnitId: community1.id }),
      ];
      for (const response of cases) {
        expect(codeOf(response)).toBe('FORBIDDEN');
        expect(reasonOf(response)).toBe('NO_SUCH_DUTY');
      }
      expect(await logCount()).toBe(before);
      expect(await count(`SELECT count(*)::int AS count FROM idempotency_record`)).toBe(records);
    });

    it("refuses places outside the post's territory, units that are not sector units, and future times", async () => {
      const before = await logCount();
      const outside = await record(secretary1, { duty: 'PATROL', performedAt: at('2025-02-11'), orgUnitId: community2.id });
      expect([codeOf(outside), reasonOf(outside)]).toEqual(['BAD_USER_INPUT', 'OUTSIDE_TERRITORY']);
      const otherStreet = await record(streetSecretary, {
        duty: 'DOOR_TO_DOOR_EXPLANATION',
        performedAt: at('2025-02-11'),
        orgUnitId: otherCommunity.id,
      });
      expect([codeOf(otherStreet), reasonOf(otherStreet)]).toEqual(['BAD_USER_INPUT', 'OUTSIDE_TERRITORY']);
      const notSector = await record(departmentHead, {
        duty: 'SECTOR_SUPERVISION',
        performedAt: at('2025-02-11'),
        institutionId: employer,
      });
      expect([codeOf(notSector), reasonOf(notSector)]).toEqual(['BAD_USER_INPUT', 'NOT_A_SECTOR_UNIT']);
      const noPlace = await record(secretary1, { duty: 'PATROL', performedAt: at('2025-02-11') });
      expect([codeOf(noPlace), reasonOf(noPlace)]).toEqual(['BAD_USER_INPUT', 'PLACE_REQUIRED']);
      const future = await record(secretary1, {
        duty: 'PATROL',
        performedAt: new Date(Date.now() + 3600_000).toISOString(),
        orgUnitId: community1.id,
      });
      expect([codeOf(future), reasonOf(future)]).toEqual(['BAD_USER_INPUT', 'FUTURE_DATE']);
      expect(await logCount()).toBe(before);
    });

    it("records a department head's supervision of a sector unit", async () => {
      const log = await recorded(departmentHead, { duty: 'SECTOR_SUPERVISION', performedAt: at('2025-02-20'), institutionId: school });
      expect(log).toMatchObject({
        labelZh: '每月督查下属行业单位',
        cadence: 'MONTHLY',
        partyOrgId: departmentCommittee.id,
        orgUnit: null,
        institution: { id: school, kind: 'SCHOOL' },
      });
    });
  });

  describe('the cadence table', () => {
    it('tells front ends which post owes which duty, how often, in Chinese too', async () => {
      const response: any = await platform.query(
        secretary1.token,
        `{ dutyRules { duty labelZh cadence cadenceLabelZh postKind postLabelZh } }`,
      );
      expect(response.errors).toBeUndefined();
      expect(response.data.dutyRules).toEqual([
        {
          duty: 'DISTRICT_SUPERVISION',
          labelZh: '区委书记现场督导',
          cadence: 'MONTHLY',
          cadenceLabelZh: '每月',
          postKind: 'DISTRICT_COMMITTEE',
          postLabelZh: '区委书记',
        },
        {
          duty: 'LIAISON_VISIT',
          labelZh: '对口联系走访',
          cadence: 'QUARTERLY',
          cadenceLabelZh: '每季度',
          postKind: 'STREET_LIAISON',
          postLabelZh: '区四套班子联系领导',
        },
        {
          duty: 'DOOR_TO_DOOR_EXPLANATION',
          labelZh: '每月上门讲解',
          cadence: 'MONTHLY',
          cadenceLabelZh: '每月',
          postKind: 'STREET_COMMITTEE',
          postLabelZh: '镇街党委书记',
        },
        {
          duty: 'SECTOR_SUPERVISION',
          labelZh: '每月督查下属行业单位',
          cadence: 'MONTHLY',
          cadenceLabelZh: '每月',
          postKind: 'DEPARTMENT_COMMITTEE',
          postLabelZh: '职能部门党委书记（部门负责人）',
        },
        {
          duty: 'PATROL',
          labelZh: '每日巡查',
          cadence: 'DAILY',
          cadenceLabelZh: '每日',
          postKind: 'COMMUNITY_COMMITTEE',
          postLabelZh: '社区党委书记',
        },
      ]);
    });
  });

  describe('the daily duty check', () => {
    it('is scheduled every day at 00:30 in Shanghai', async () => {
      const scheduler = await waitFor('the duty check schedule', () => queue.getJobScheduler('duty-check'));
      expect(scheduler).toMatchObject({ name: JobName.DutyCheckDaily, pattern: '30 0 * * *', tz: 'Asia/Shanghai' });
    });

    it("closes each day's patrols MET or MISSED and escalates each miss once to the street committee", async () => {
      const communities = [communityCommittee1.id, communityCommittee2.id];
      // Community 1 patrols on the 1st and 2nd of March, not on the 3rd; community 2 never.
      await recorded(secretary1, { duty: 'PATROL', performedAt: at('2025-03-01', '07:40'), orgUnitId: community1.id });
      await recorded(secretary1, { duty: 'PATROL', performedAt: at('2025-03-02', '23:50'), orgUnitId: compound1.id });
      await recorded(secretary1, { duty: 'PATROL', performedAt: at('2025-03-02', '18:00'), orgUnitId: community1.id });
      for (const day of ['02', '03', '04']) await runCheck(at(`2025-03-${day}`, '00:30'));

      const periods = await ownPeriods(communities);
      expect(periods.filter((p: any) => p.orgId === communityCommittee1.id)).toEqual([
        {
          orgId: communityCommittee1.id,
          memberId: secretary1.memberId,
          duty: 'PATROL',
          start: '2025-03-01',
          end: '2025-03-01',
          status: 'MET',
          logs: 1,
        },
        {
          orgId: communityCommittee1.id,
          memberId: secretary1.memberId,
          duty: 'PATROL',
          start: '2025-03-02',
          end: '2025-03-02',
          status: 'MET',
          logs: 2,
        },
        {
          orgId: communityCommittee1.id,
          memberId: secretary1.memberId,
          duty: 'PATROL',
          start: '2025-03-03',
          end: '2025-03-03',
          status: 'MISSED',
          logs: 0,
        },
      ]);
      expect(periods.filter((p: any) => p.orgId === communityCommittee2.id).map((p: any) => p.status)).toEqual([
        'MISSED',
        'MISSED',
        'MISSED',
      ]);
      const label = (orgId: string) => (orgId === communityCommittee1.id ? 'community 1' : 'community 2');
      const escalated = (await ownEscalations(communities)).map((e: any) => [label(e.orgId), e.start, e.to, e.repeated]).sort();
      expect(escalated).toEqual([
        ['community 1', '2025-03-03', streetCommittee.id, false],
        ['community 2', '2025-03-01', streetCommittee.id, false],
        ['community 2', '2025-03-02', streetCommittee.id, true],
        ['community 2', '2025-03-03', streetCommittee.id, true],
      ]);
      // The street's monthly duty is not due until the month is over.
      expect(await ownPeriods([streetCommittee.id])).toEqual([]);
    });

    it('changes nothing when run again or redelivered', async () => {
      const snapshot = async () => [
        await db().query(`SELECT id, status, logs_count, checked_at FROM duty_period ORDER BY id`),
        await db().query(`SELECT id, duty_period_id, created_at FROM duty_escalation ORDER BY id`),
      ];
      const before = await snapshot();
      await runCheck(at('2025-03-04', '00:30'));
      await runCheck(at('2025-03-04', '11:15'));
      expect(await snapshot()).toEqual(before);
    });

    it("shows the street committee its communities' misses, and compliance rates per person, unit and month", async () => {
      const escalations: any = await platform.query(streetAdmin, ESCALATIONS, { org: streetCommittee.id, month: '2025-03', first: 500 });
      expect(escalations.errors).toBeUndefined();
      const nodes = escalations.data.dutyEscalations.edges.map((e: any) => e.node);
      expect(nodes).toHaveLength(4);
      expect(nodes[0]).toMatchObject({
        labelZh: '未履职上报',
        escalatedToPartyOrgId: streetCommittee.id,
        escalatedToPartyOrgName: '履职测试街道党工委',
        resolvedAt: null,
      });
      // Linked as party organisations: the community committee that missed, and the street committee above it.
      expect(nodes[0].escalatedTo).toEqual({ id: streetCommittee.id, kind: 'STREET_COMMITTEE', labelZh: expect.any(String) });
      expect(nodes[0].period.partyOrg).toMatchObject({ kind: 'COMMUNITY_COMMITTEE', parent: { id: streetCommittee.id } });
      expect(nodes.map((n: any) => [n.period.partyOrgName, n.period.periodStart, n.period.status]).sort()).toEqual([
        ['一社区党委', '2025-03-03', 'MISSED'],
        ['二社区党委', '2025-03-01', 'MISSED'],
        ['二社区党委', '2025-03-02', 'MISSED'],
        ['二社区党委', '2025-03-03', 'MISSED'],
      ]);
      expect(nodes.find((n: any) => n.period.partyOrgName === '二社区党委').period).toMatchObject({
        labelZh: '每日巡查',
        memberNameMasked: '赵*社',
        statusLabelZh: '未履职',
        logsCount: 0,
        escalatedToPartyOrgId: streetCommittee.id,
      });

      // The street committee's subtree in March: community 1 met 2 of 3 days, community 2 none of 3.
      const street: any = await platform.query(streetAdmin, COMPLIANCE, { month: '2025-03', org: streetCommittee.id });
      expect(street.errors).toBeUndefined();
      const compliance = street.data.dutyCompliance;
      expect(compliance.total).toEqual({ duty: null, labelZh: '全部履职事项', cadence: null, due: 6, met: 2, missed: 4, rate: 2 / 6 });
      expect(compliance.byDuty).toEqual([
        { duty: 'DISTRICT_SUPERVISION', labelZh: '区委书记现场督导', cadence: 'MONTHLY', due: 0, met: 0, missed: 0, rate: null },
        { duty: 'LIAISON_VISIT', labelZh: '对口联系走访', cadence: 'QUARTERLY', due: 0, met: 0, missed: 0, rate: null },
        { duty: 'DOOR_TO_DOOR_EXPLANATION', labelZh: '每月上门讲解', cadence: 'MONTHLY', due: 0, met: 0, missed: 0, rate: null },
        { duty: 'SECTOR_SUPERVISION', labelZh: '每月督查下属行业单位', cadence: 'MONTHLY', due: 0, met: 0, missed: 0, rate: null },
        { duty: 'PATROL', labelZh: '每日巡查', cadence: 'DAILY', due: 6, met: 2, missed: 4, rate: 2 / 6 },
      ]);
      const perMember = new Map(compliance.members.edges.map((e: any) => [e.node.partyMemberId, e.node]));
      expect(perMember.size).toBe(2);
      expect((perMember.get(secretary1.memberId) as any).rate).toMatchObject({ duty: 'PATROL', due: 3, met: 2, missed: 1, rate: 2 / 3 });
      expect((perMember.get(secretary2.memberId) as any).rate).toMatchObject({ duty: 'PATROL', due: 3, met: 0, missed: 3, rate: 0 });

      // One unit: community 1's committee; one person: community 2's secretary.
      const unit: any = await platform.query(streetAdmin, COMPLIANCE, { month: '2025-03', org: communityCommittee1.id });
      expect(unit.data.dutyCompliance.total).toMatchObject({ due: 3, met: 2, missed: 1, rate: 2 / 3 });
      const person: any = await platform.query(districtAdmin, COMPLIANCE, { month: '2025-03', member: secretary2.memberId });
      expect(person.data.dutyCompliance.total).toMatchObject({ due: 3, met: 0, missed: 3, rate: 0 });
      // Another month has nothing due.
      const february: any = await platform.query(streetAdmin, COMPLIANCE, { month: '2025-02', org: streetCommittee.id });
      expect(february.data.dutyCompliance.total).toMatchObject({ due: 0, met: 0, rate: null });
    });

    it("lets a community secretary see only their community's periods", async () => {
      const own: any = await platform.query(secretary1.token, PERIODS, { month: '2025-03', first: 500 });
      expect(own.errors).toBeUndefined();
      const orgs = new Set(own.data.dutyPeriods.edges.map((e: any) => e.node.partyOrgId));
      expect(orgs).toEqual(new Set([communityCommittee1.id]));
      expect(own.data.dutyPeriods.totalCount).toBe(3);
      // Latest first, paginated.
      const page1: any = await platform.query(secretary1.token, PERIODS, { month: '2025-03', first: 2 });
      const page2: any = await platform.query(secretary1.token, PERIODS, {
        month: '2025-03',
        first: 2,
        after: page1.data.dutyPeriods.pageInfo.endCursor,
      });
      expect([...page1.data.dutyPeriods.edges, ...page2.data.dutyPeriods.edges].map((e: any) => e.node.periodStart)).toEqual([
        '2025-03-03',
        '2025-03-02',
        '2025-03-01',
      ]);
      expect(page2.data.dutyPeriods.pageInfo.hasNextPage).toBe(false);

      for (const org of [communityCommittee2.id, streetCommittee.id]) {
        const other = await platform.query(secretary1.token, PERIODS, { org, first: 10 });
        expect([codeOf(other), reasonOf(other)]).toEqual(['FORBIDDEN', 'OUT_OF_SCOPE']);
      }
      const escalations = await platform.query(secretary1.token, ESCALATIONS, { org: streetCommittee.id });
      expect(reasonOf(escalations)).toBe('OUT_OF_SCOPE');
      const compliance: any = await platform.query(secretary1.token, COMPLIANCE, { month: '2025-03' });
      expect(compliance.data.dutyCompliance.total).toMatchObject({ due: 3, met: 2 });

      // The street admin sees the whole street's, a member without a console sees none.
      const streetView: any = await platform.query(streetAdmin, PERIODS, { month: '2025-03', first: 500 });
      expect(new Set(streetView.data.dutyPeriods.edges.map((e: any) => e.node.partyOrgId))).toEqual(
        new Set([communityCommittee1.id, communityCommittee2.id]),
      );
      const member = await platform.query(plainMember.token, PERIODS, { month: '2025-03' });
      expect(reasonOf(member)).toBe('MISSING_PERMISSION');
    });

    it('turns a missed day MET when its patrol is recorded late, keeping the escalation as resolved', async () => {
      const late = await recorded(secretary1, {
        duty: 'PATROL',
        performedAt: at('2025-03-03', '21:00'),
        orgUnitId: community1.id,
        note: '补录',
      });
      expect(late.performedOn).toBe('2025-03-03');
      const periods: any = await platform.query(secretary1.token, PERIODS, { month: '2025-03', first: 500 });
      const third = periods.data.dutyPeriods.edges.map((e: any) => e.node).find((p: any) => p.periodStart === '2025-03-03');
      expect(third).toMatchObject({ status: 'MET', logsCount: 1, escalatedToPartyOrgId: streetCommittee.id });
      expect(third.metLateAt).not.toBeNull();
      const escalations: any = await platform.query(streetAdmin, ESCALATIONS, { org: streetCommittee.id, month: '2025-03', first: 500 });
      const resolved = escalations.data.dutyEscalations.edges.map((e: any) => e.node).find((n: any) => n.period.id === third.id);
      expect(resolved.resolvedAt).not.toBeNull();
      expect(escalations.data.dutyEscalations.totalCount).toBe(4);

      const mine: any = await platform.query(secretary1.token, MY_DUTIES, { month: '2025-03' });
      expect(mine.errors).toBeUndefined();
      expect(mine.data.myDuties).toEqual({
        month: '2025-03',
        partyMemberId: secretary1.memberId,
        duties: [
          {
            duty: 'PATROL',
            labelZh: '每日巡查',
            cadence: 'DAILY',
            cadenceLabelZh: '每日',
            partyOrgId: communityCommittee1.id,
            partyOrgName: '一社区党委',
            owed: 31,
            met: 3,
            missed: 0,
            logs: 4,
          },
        ],
      });
    });

    it('closes the monthly duties on the 1st: a street secretary without a visit is escalated to the district committee, a department head who supervised is MET', async () => {
      await recorded(departmentHead, { duty: 'SECTOR_SUPERVISION', performedAt: at('2025-04-15'), institutionId: school });
      // The changed street: the leaving secretary visited on the 5th; the post changed hands on the 11th.
      const street2Community = (await db().query(`SELECT id FROM org_unit WHERE name = '换届社区'`))[0].id;
      await recorded(leavingSecretary, { duty: 'DOOR_TO_DOOR_EXPLANATION', performedAt: at('2025-04-05'), orgUnitId: street2Community });
      await runCheck(at('2025-05-01', '00:30'));

      const monthly = await ownPeriods([streetCommittee.id, departmentCommittee.id, changedStreetCommittee.id]);
      expect(monthly).toEqual(
        expect.arrayContaining([
          {
            orgId: streetCommittee.id,
            memberId: streetSecretary.memberId,
            duty: 'DOOR_TO_DOOR_EXPLANATION',
            start: '2025-04-01',
            end: '2025-04-30',
            status: 'MISSED',
            logs: 0,
          },
          {
            orgId: departmentCommittee.id,
            memberId: departmentHead.memberId,
            duty: 'SECTOR_SUPERVISION',
            start: '2025-04-01',
            end: '2025-04-30',
            status: 'MET',
            logs: 1,
          },
          // Owed by whoever holds the post on the month's last day; the post's visit counts whoever made it.
          {
            orgId: changedStreetCommittee.id,
            memberId: arrivingSecretary.memberId,
            duty: 'DOOR_TO_DOOR_EXPLANATION',
            start: '2025-04-01',
            end: '2025-04-30',
            status: 'MET',
            logs: 1,
          },
        ]),
      );
      expect(monthly).toHaveLength(3);
      expect(await ownEscalations([streetCommittee.id, departmentCommittee.id, changedStreetCommittee.id])).toEqual([
        { orgId: streetCommittee.id, start: '2025-04-01', to: districtCommittee.id, repeated: false },
      ]);
      const escalations: any = await platform.query(districtAdmin, ESCALATIONS, {
        org: districtCommittee.id,
        month: '2025-04',
        first: 500,
      });
      expect(escalations.data.dutyEscalations.edges.map((e: any) => e.node.period.partyOrgId)).toContain(streetCommittee.id);
      const head: any = await platform.query(districtAdmin, COMPLIANCE, { month: '2025-04', member: departmentHead.memberId });
      expect(head.data.dutyCompliance.total).toMatchObject({ due: 1, met: 1, missed: 0, rate: 1 });
      // The district committee is the top: nothing above it to escalate to; the street admin does not see it.
      const hidden = await platform.query(streetAdmin, ESCALATIONS, { org: districtCommittee.id });
      expect(reasonOf(hidden)).toBe('OUT_OF_SCOPE');

      // Missed again in May: escalated again, marked as the second month running.
      await runCheck(at('2025-06-01', '00:30'));
      expect((await ownEscalations([streetCommittee.id])).map((e: any) => [e.start, e.repeated])).toEqual([
        ['2025-04-01', false],
        ['2025-05-01', true],
      ]);
    });

    it('feeds the vanguard index through member_duty_compliance', async () => {
      const rows = await db().query(
        `SELECT party_member_id AS "memberId", month::text AS month, due, met FROM member_duty_compliance WHERE party_member_id = ANY($1::uuid[]) ORDER BY month, party_member_id`,
        [[secretary1.memberId, departmentHead.memberId]],
      );
      expect(rows).toEqual(
        expect.arrayContaining([
          { memberId: secretary1.memberId, month: '2025-03-01', due: 3, met: 3 },
          { memberId: departmentHead.memberId, month: '2025-04-01', due: 1, met: 1 },
        ]),
      );
    });
  });

  describe('demo data', () => {
    it('writes a month of logs derived from the secretary posts, and that month closed as the job closes it', async () => {
      const orgs = [communityCommittee1.id, communityCommittee2.id, streetCommittee.id, departmentCommittee.id, changedStreetCommittee.id];
      const summary = await seedDuties(db(), new Date(at('2025-08-15', '12:00')));
      expect(summary).toMatch(/duty logs of 2025-07/);
      const periods: any[] = await db().query(
        `SELECT d.party_org_id AS "orgId", d.cadence, d.status, d.logs_count AS logs,
                (SELECT count(*)::int FROM duty_log l
                  WHERE l.party_org_id = d.party_org_id AND l.duty = d.duty AND l.performed_on BETWEEN d.period_start AND d.period_end) AS "actualLogs",
                EXISTS (SELECT 1 FROM duty_escalation e WHERE e.duty_period_id = d.id) AS escalated
           FROM duty_period d WHERE d.period_start BETWEEN '2025-07-01' AND '2025-07-31' AND d.party_org_id = ANY($1::uuid[])`,
        [orgs],
      );
      const daily = periods.filter((p) => p.cadence === 'DAILY');
      expect(daily).toHaveLength(2 * 31);
      expect(periods.filter((p) => p.cadence === 'MONTHLY')).toHaveLength(3);
      for (const period of periods) {
        expect(period.logs).toBe(period.actualLogs);
        expect(period.status).toBe(period.logs > 0 ? 'MET' : 'MISSED');
        expect(period.escalated).toBe(period.status === 'MISSED');
      }
      // Mostly met (about one day in ten is missed).
      const met = daily.filter((p) => p.status === 'MET').length;
      expect(met).toBeGreaterThan(daily.length * 0.7);
      // What the job would do on the 1st of August has been done.
      expect(await closeDutyDay(db(), '2025-07-31', new Date(at('2025-08-01', '00:30')))).toMatchObject({ periods: 0, escalations: 0 });

      // The "1": the last quarter closed by then (April–June), its liaison visits and the district secretary's months.
      expect(summary).toMatch(/\d+ liaison visits and \d+ on-site supervisions of the quarter from 2025-04-01/);
      const leaderPeriods: any[] = await db().query(
        `SELECT d.duty, d.cadence, d.period_start::text AS start, d.status, d.logs_count AS logs, d.leader_id IS NOT NULL AS "hasLeader",
                (SELECT count(*)::int FROM duty_log l
                  WHERE l.party_org_id = d.party_org_id AND l.duty = d.duty AND l.performed_on BETWEEN d.period_start AND d.period_end) AS "actualLogs",
                EXISTS (SELECT 1 FROM duty_escalation e WHERE e.duty_period_id = d.id) AS escalated
           FROM duty_period d WHERE d.duty IN ('LIAISON_VISIT', 'DISTRICT_SUPERVISION') AND d.period_start BETWEEN '2025-04-01' AND '2025-06-30'`,
      );
      const liaisons = leaderPeriods.filter((p) => p.duty === 'LIAISON_VISIT');
      expect(liaisons.length).toBeGreaterThan(0);
      for (const period of liaisons)
        expect(period).toMatchObject({ cadence: 'QUARTERLY', start: '2025-04-01', hasLeader: true, escalated: period.status === 'MISSED' });
      // May was closed MISSED by the check earlier in this file, before the seed; June's supervision was seeded and met.
      expect(
        leaderPeriods
          .filter((p) => p.duty === 'DISTRICT_SUPERVISION')
          .map((p) => [p.start, p.status])
          .sort(),
      ).toEqual([
        ['2025-04-01', 'MISSED'],
        ['2025-05-01', 'MISSED'],
        ['2025-06-01', 'MET'],
      ]);
      for (const period of leaderPeriods) {
        expect(period.logs).toBe(period.actualLogs);
        expect(period.status).toBe(period.logs > 0 ? 'MET' : 'MISSED');
      }
    });

    it('writes nothing for a month without secretary posts', async () => {
      const before = await logCount();
      expect(await seedDuties(db(), new Date(at('2000-02-15', '12:00')))).toBe('no duties (no secretary posts)');
      expect(await logCount()).toBe(before);
    });
  });

  describe('the duties of the "1": leaders\' liaison visits and the district secretary\'s on-site supervision', () => {
    const LEADER_PERIODS = `query($month: String, $org: ID, $duty: DutyKind) {
      dutyPeriods(month: $month, partyOrgId: $org, duty: $duty, first: 500) {
        totalCount edges { node { duty cadence cadenceLabelZh partyOrgId partyMemberId leaderId memberNameMasked periodStart periodEnd status logsCount
          escalatedToPartyOrgId leader { id } } } } }`;
    let liaisonStreet: Unit;
    let liaisonCommunity: Unit;
    let unvisitedStreet: Unit;
    let liaisonCommittee: Unit;
    let unvisitedCommittee: Unit;
    let visitor: Holder & { leaderId: string };
    let absentee: Holder & { leaderId: string };
    let districtSecretary: Holder;

    const leaderLogCount = () =>
      count(`SELECT count(*)::int AS count FROM duty_log WHERE duty IN ('LIAISON_VISIT', 'DISTRICT_SUPERVISION')`);

    beforeAll(async () => {
      liaisonStreet = await build.orgUnit('STREET', district, '联系测试街道');
      liaisonCommunity = await build.orgUnit('COMMUNITY', liaisonStreet, '联系社区');
      unvisitedStreet = await build.orgUnit('STREET', district, '未走访街道');
      liaisonCommittee = await build.partyOrg('STREET_COMMITTEE', districtCommittee, { orgUnitId: liaisonStreet.id }, '联系测试街道党工委');
      unvisitedCommittee = await build.partyOrg(
        'STREET_COMMITTEE',
        districtCommittee,
        { orgUnitId: unvisitedStreet.id },
        '未走访街道党工委',
      );
      // Leaders are created and assigned through the API; each is a party member and signs in as one.
      const leader = async (name: string, title: string, street: Unit) => {
        const member = await build.member(name);
        const created: any = await platform.query(
          districtAdmin,
          `mutation($input: CreateLeaderInput!) { createLeader(input: $input) { id } }`,
          {
            input: { name, body: 'GOVERNMENT', title, partyMemberId: member.id },
          },
        );
        expect(created.errors).toBeUndefined();
        const leaderId = created.data.createLeader.id;
        const assigned: any = await platform.query(
          districtAdmin,
          `mutation($l: ID!, $s: ID!) { assignLiaison(leaderId: $l, streetId: $s, startsOn: "2024-10-01") { id } }`,
          {
            l: leaderId,
            s: street.id,
          },
        );
        expect(assigned.errors).toBeUndefined();
        return { memberId: member.id, leaderId, token: await platform.token([Role.PARTY_MEMBER], district.id, member.userId!) };
      };
      visitor = await leader('钱副区', '副区长（测试）', liaisonStreet);
      absentee = await leader('孙副区', '副区长（测试二）', unvisitedStreet);
      // The district committee's secretary from 2024-10-01 (the seeded one hands over the day before).
      await db().query(`DELETE FROM party_org_position WHERE party_org_id = $1 AND starts_on > '2024-09-30'`, [districtCommittee.id]);
      await db().query(
        `UPDATE party_org_position SET ends_on = '2024-09-30' WHERE party_org_id = $1 AND position = 'SECRETARY' AND ends_on IS NULL`,
        [districtCommittee.id],
      );
      const secretary = await build.member('郑书记');
      await build.secretary(districtCommittee, secretary.id, '2024-10-01');
      districtSecretary = { memberId: secretary.id, token: await platform.token([Role.PARTY_MEMBER], district.id, secretary.userId!) };
    });

    it("records a leader's visit to the street they liaise with, and refuses another street, another date and non-leaders, writing nothing", async () => {
      const log = await recorded(visitor, {
        duty: 'LIAISON_VISIT',
        performedAt: at('2024-11-05', '14:00'),
        orgUnitId: liaisonCommunity.id,
        note: '走访社区，协调清运',
      });
      expect(log).toMatchObject({
        duty: 'LIAISON_VISIT',
        labelZh: '对口联系走访',
        cadence: 'QUARTERLY',
        cadenceLabelZh: '每季度',
        partyMemberId: visitor.memberId,
        leaderId: visitor.leaderId,
        partyOrgId: liaisonCommittee.id,
        performedOn: '2024-11-05',
        note: '走访社区，协调清运',
        orgUnit: { id: liaisonCommunity.id },
        leader: { id: visitor.leaderId, title: '副区长（测试）' },
      });
      const before = await leaderLogCount();
      const otherStreet = await record(visitor, { duty: 'LIAISON_VISIT', performedAt: at('2024-11-06'), orgUnitId: unvisitedStreet.id });
      expect([codeOf(otherStreet), reasonOf(otherStreet)]).toEqual(['BAD_USER_INPUT', 'NOT_LIAISON_STREET']);
      const beforeLiaison = await record(visitor, { duty: 'LIAISON_VISIT', performedAt: at('2024-09-30'), orgUnitId: liaisonStreet.id });
      expect([codeOf(beforeLiaison), reasonOf(beforeLiaison)]).toEqual(['FORBIDDEN', 'NO_SUCH_DUTY']);
      const notLeader = await record(plainMember, { duty: 'LIAISON_VISIT', performedAt: at('2024-11-06'), orgUnitId: liaisonStreet.id });
      expect([codeOf(notLeader), reasonOf(notLeader)]).toEqual(['FORBIDDEN', 'NO_SUCH_DUTY']);
      // A leader is not the district secretary.
      const notSecretary = await record(visitor, {
        duty: 'DISTRICT_SUPERVISION',
        performedAt: at('2024-11-06'),
        orgUnitId: liaisonStreet.id,
      });
      expect([codeOf(notSecretary), reasonOf(notSecretary)]).toEqual(['FORBIDDEN', 'NO_SUCH_DUTY']);
      expect(await leaderLogCount()).toBe(before);
    });

    it("records the district secretary's on-site supervision anywhere in the district, only while holding the post", async () => {
      const log = await recorded(districtSecretary, {
        duty: 'DISTRICT_SUPERVISION',
        performedAt: at('2024-12-10'),
        orgUnitId: liaisonStreet.id,
        note: '现场督导',
      });
      expect(log).toMatchObject({
        duty: 'DISTRICT_SUPERVISION',
        labelZh: '区委书记现场督导',
        cadence: 'MONTHLY',
        partyMemberId: districtSecretary.memberId,
        leaderId: null,
        partyOrgId: districtCommittee.id,
        orgUnit: { id: liaisonStreet.id },
        leader: null,
      });
      const before = await leaderLogCount();
      const notYet = await record(districtSecretary, {
        duty: 'DISTRICT_SUPERVISION',
        performedAt: at('2024-09-20'),
        orgUnitId: liaisonStreet.id,
      });
      expect([codeOf(notYet), reasonOf(notYet)]).toEqual(['FORBIDDEN', 'NO_SUCH_DUTY']);
      const street = await record(streetSecretary, {
        duty: 'DISTRICT_SUPERVISION',
        performedAt: at('2024-12-10'),
        orgUnitId: community1.id,
      });
      expect([codeOf(street), reasonOf(street)]).toEqual(['FORBIDDEN', 'NO_SUCH_DUTY']);
      expect(await leaderLogCount()).toBe(before);
    });

    it("closes the month's supervision and the quarter's liaison visits: a street without a visit is a miss, escalated once to the district committee", async () => {
      await runCheck(at('2024-12-01', '00:30'));
      await runCheck(at('2025-01-01', '00:30'));
      const snapshot = async () => [
        await db().query(`SELECT id, status, logs_count, checked_at FROM duty_period ORDER BY id`),
        await db().query(`SELECT id, duty_period_id, created_at FROM duty_escalation ORDER BY id`),
      ];
      const before = await snapshot();
      await runCheck(at('2025-01-01', '00:30'));
      await runCheck(at('2025-01-01', '09:10'));
      expect(await snapshot()).toEqual(before);

      const quarter: any = await platform.query(districtAdmin, LEADER_PERIODS, { month: '2024-12', duty: 'LIAISON_VISIT' });
      expect(quarter.errors).toBeUndefined();
      const byOrg = new Map(quarter.data.dutyPeriods.edges.map((e: any) => [e.node.partyOrgId, e.node]));
      expect(byOrg.get(liaisonCommittee.id)).toMatchObject({
        cadence: 'QUARTERLY',
        cadenceLabelZh: '每季度',
        partyMemberId: visitor.memberId,
        leaderId: visitor.leaderId,
        leader: { id: visitor.leaderId },
        memberNameMasked: '钱*区',
        periodStart: '2024-10-01',
        periodEnd: '2024-12-31',
        status: 'MET',
        logsCount: 1,
        escalatedToPartyOrgId: null,
      });
      expect(byOrg.get(unvisitedCommittee.id)).toMatchObject({
        leaderId: absentee.leaderId,
        periodStart: '2024-10-01',
        periodEnd: '2024-12-31',
        status: 'MISSED',
        logsCount: 0,
        escalatedToPartyOrgId: districtCommittee.id,
      });
      // Recorded once: one period and one escalation, whatever the reruns.
      expect(
        await count(`SELECT count(*)::int AS count FROM duty_period WHERE party_org_id = $1 AND duty = 'LIAISON_VISIT'`, [
          unvisitedCommittee.id,
        ]),
      ).toBe(1);
      const escalations: any = await platform.query(districtAdmin, ESCALATIONS, {
        org: districtCommittee.id,
        month: '2024-12',
        first: 500,
      });
      const liaisonMisses = escalations.data.dutyEscalations.edges
        .map((e: any) => e.node)
        .filter((n: any) => n.period.duty === 'LIAISON_VISIT');
      expect(liaisonMisses.filter((n: any) => n.period.partyOrgId === unvisitedCommittee.id)).toHaveLength(1);
      expect(liaisonMisses.some((n: any) => n.period.partyOrgId === liaisonCommittee.id)).toBe(false);

      // The district secretary: November without a supervision (missed), December with one (met); nobody above to escalate to.
      const supervision: any = await platform.query(districtAdmin, LEADER_PERIODS, {
        duty: 'DISTRICT_SUPERVISION',
        org: districtCommittee.id,
      });
      const months = supervision.data.dutyPeriods.edges
        .map((e: any) => e.node)
        .filter((p: any) => p.partyMemberId === districtSecretary.memberId);
      expect(months.map((p: any) => [p.periodStart, p.periodEnd, p.status, p.logsCount, p.escalatedToPartyOrgId])).toEqual([
        ['2024-12-01', '2024-12-31', 'MET', 1, null],
        ['2024-11-01', '2024-11-30', 'MISSED', 0, null],
      ]);

      // Compliance the district sees, per street and for the district secretary.
      const rates = async (args: Record<string, unknown>) => {
        const response: any = await platform.query(districtAdmin, COMPLIANCE, { month: '2024-12', ...args });
        expect(response.errors).toBeUndefined();
        return response.data.dutyCompliance;
      };
      expect((await rates({ org: liaisonCommittee.id })).byDuty.find((r: any) => r.duty === 'LIAISON_VISIT')).toEqual({
        duty: 'LIAISON_VISIT',
        labelZh: '对口联系走访',
        cadence: 'QUARTERLY',
        due: 1,
        met: 1,
        missed: 0,
        rate: 1,
      });
      const unvisited = await rates({ org: unvisitedCommittee.id });
      expect(unvisited.total).toMatchObject({ due: 1, met: 0, missed: 1, rate: 0 });
      expect(unvisited.members.edges.map((e: any) => e.node)).toEqual([
        {
          partyMemberId: absentee.memberId,
          memberNameMasked: '孙*区',
          rate: expect.objectContaining({ duty: 'LIAISON_VISIT', due: 1, met: 0 }),
        },
      ]);
      expect((await rates({ member: districtSecretary.memberId })).total).toMatchObject({ due: 1, met: 1, missed: 0 });
      expect((await rates({ month: '2024-11', member: districtSecretary.memberId })).total).toMatchObject({ due: 1, met: 0, missed: 1 });

      // The leader sees their own liaison in 我的履职.
      const mine: any = await platform.query(visitor.token, MY_DUTIES, { month: '2024-11' });
      expect(mine.errors).toBeUndefined();
      expect(mine.data.myDuties.duties).toEqual([
        {
          duty: 'LIAISON_VISIT',
          labelZh: '对口联系走访',
          cadence: 'QUARTERLY',
          cadenceLabelZh: '每季度',
          partyOrgId: liaisonCommittee.id,
          partyOrgName: '联系测试街道党工委',
          owed: 1,
          met: 1,
          missed: 0,
          logs: 1,
        },
      ]);
      const absent: any = await platform.query(absentee.token, MY_DUTIES, { month: '2024-12' });
      expect(absent.data.myDuties.duties).toEqual([
        expect.objectContaining({ duty: 'LIAISON_VISIT', owed: 1, met: 0, missed: 1, logs: 0 }),
      ]);
    });

    it("lets a street see its own liaison visits, and nobody else's", async () => {
      const streetToken = await platform.token([Role.STREET_ADMIN], unvisitedStreet.id, 'street-admin-unvisited');
      const own: any = await platform.query(streetToken, LEADER_PERIODS, { month: '2024-12', duty: 'LIAISON_VISIT' });
      expect(own.errors).toBeUndefined();
      expect(own.data.dutyPeriods.edges.map((e: any) => [e.node.partyOrgId, e.node.status])).toEqual([[unvisitedCommittee.id, 'MISSED']]);
      const other = await platform.query(streetToken, LEADER_PERIODS, { org: liaisonCommittee.id });
      expect([codeOf(other), reasonOf(other)]).toEqual(['FORBIDDEN', 'OUT_OF_SCOPE']);
    });

    it('turns a missed quarter MET when a visit is recorded late, keeping the escalation as resolved', async () => {
      await recorded(absentee, { duty: 'LIAISON_VISIT', performedAt: at('2024-12-28'), orgUnitId: unvisitedStreet.id, note: '补录走访' });
      const [period] = await db().query(
        `SELECT d.status, d.logs_count AS logs, d.met_late_at IS NOT NULL AS late, e.resolved_at IS NOT NULL AS resolved
           FROM duty_period d JOIN duty_escalation e ON e.duty_period_id = d.id WHERE d.party_org_id = $1 AND d.duty = 'LIAISON_VISIT'`,
        [unvisitedCommittee.id],
      );
      expect(period).toEqual({ status: 'MET', logs: 1, late: true, resolved: true });
    });
  });
});
