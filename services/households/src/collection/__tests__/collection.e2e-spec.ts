import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import type { PlanCompound, PlanUnit } from '#libs/demo-data';
import { ServiceName } from '#libs/messaging';
import { errorCodes, reasonOf, waitFor, type GraphQLResponse } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';

const POINT_FIELDS = `id name kind labelZh location wasteStreams active openAroundTheClock compound { id name }
  schedule { weekdays opensAt closesAt } holidayNoonOpening { opensAt closesAt }`;
const POINTS = `query($org: ID, $kind: CollectionPointKind, $activeOnly: Boolean, $first: Int, $after: String) {
  collectionPoints(orgUnitId: $org, kind: $kind, activeOnly: $activeOnly, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${POINT_FIELDS} } }
  }
}`;
const CREATE_POINT = `mutation($input: CreateCollectionPointInput!) { createCollectionPoint(input: $input) { ${POINT_FIELDS} } }`;
const UPDATE_POINT = `mutation($id: ID!, $input: UpdateCollectionPointInput!) { updateCollectionPoint(id: $id, input: $input) { ${POINT_FIELDS} } }`;
const DEACTIVATE_POINT = `mutation($id: ID!) { deactivateCollectionPoint(id: $id) { id active } }`;

const REQUEST_FIELDS = `id status statusLabelZh wasteStreams preferredDate preferredWindow note requestedBy
  compound { id } propertyCompany { id name } household { id address addressMasked }
  history { fromStatus toStatus changedBy note changedAt }`;
const REQUEST = `mutation($input: RequestDoorToDoorCollectionInput!, $key: String!) {
  requestDoorToDoorCollection(input: $input, idempotencyKey: $key) { ${REQUEST_FIELDS} }
}`;
const UPDATE_REQUEST = `mutation($id: ID!, $status: DoorToDoorCollectionStatus!, $note: String) {
  updateDoorToDoorCollection(id: $id, status: $status, note: $note) { ${REQUEST_FIELDS} }
}`;
const CANCEL_REQUEST = `mutation($id: ID!, $note: String) { cancelDoorToDoorCollection(id: $id, note: $note) { id status history { fromStatus toStatus } } }`;
const REQUESTS = `query($org: ID, $status: DoorToDoorCollectionStatus, $household: ID) {
  doorToDoorCollections(orgUnitId: $org, status: $status, householdId: $household, first: 100) { totalCount edges { node { id status household { id } } } }
}`;
const MY_REQUESTS = `query { myDoorToDoorCollections(first: 100) { totalCount edges { node { id status household { id } } } } }`;

/** A Shanghai date `days` from today. */
const shanghaiDate = (days = 0) => new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);

const WEEKDAY_MORNINGS = { weekdays: [1, 2, 3, 4, 5], opensAt: '06:30', closesAt: '08:30' };
const EVERY_EVENING = { weekdays: [1, 2, 3, 4, 5, 6, 7], opensAt: '18:00', closesAt: '20:00' };

describe('humane service through the gateway: collection points and door-to-door collection', () => {
  let platform: TestPlatform;
  let streetA: PlanUnit;
  let streetB: PlanUnit;
  let compoundA: PlanCompound;
  let communityA: PlanUnit;
  let compoundB: PlanCompound;

  const db = () => platform.database(ServiceName.Households);
  const count = async (table: string) => (await db().query(`SELECT count(*)::int AS count FROM ${table}`))[0].count as number;

  beforeAll(async () => {
    platform = await startPlatform();
    [streetA, streetB] = platform.plan.streets;
    const inStreet = (street: PlanUnit) => platform.plan.compounds.filter((c) => c.path.includes(street.id));
    compoundA = inStreet(streetA)[1];
    communityA = platform.plan.communities.find((c) => c.id === compoundA.parentId)!;
    compoundB = inStreet(streetB)[0];
  });

  afterAll(() => platform.stop());

  describe('collection points', () => {
    it('seeds a regular point per compound and a 24-hour late drop-off point in each community’s first compound', async () => {
      const token = await platform.token([Role.STREET_ADMIN], streetA.id);
      const first = platform.plan.compounds[0];
      const response: any = await platform.query(token, POINTS, { org: first.id });
      expect(response.errors).toBeUndefined();
      const points = response.data.collectionPoints.edges.map((e: any) => e.node);
      expect(points.map((p: any) => p.kind).sort()).toEqual(['LATE_DROP_OFF', 'REGULAR']);
      expect(points.find((p: any) => p.kind === 'REGULAR')).toMatchObject({
        labelZh: '定时定点投放点',
        compound: { id: first.id, name: first.name },
        wasteStreams: ['KITCHEN', 'RECYCLABLE', 'HAZARDOUS', 'OTHER'],
        schedule: [WEEKDAY_MORNINGS, { weekdays: [6, 7], opensAt: '07:00', closesAt: '09:00' }, EVERY_EVENING],
        holidayNoonOpening: { opensAt: '11:30', closesAt: '13:00' },
      });
      expect(points.find((p: any) => p.kind === 'LATE_DROP_OFF')).toMatchObject({
        labelZh: '24小时误时投放点',
        openAroundTheClock: true,
        schedule: [],
        holidayNoonOpening: null,
      });

      const late: any = await platform.query(token, POINTS, { org: streetA.id, kind: 'LATE_DROP_OFF', first: 100 });
      const communities = platform.plan.communities.filter((c) => c.parentId === streetA.id);
      expect(late.data.collectionPoints.totalCount).toBe(communities.length);
      const firstCompounds = communities.map((c) => platform.plan.compounds.find((k) => k.parentId === c.id)!.id);
      expect(new Set(late.data.collectionPoints.edges.map((e: any) => e.node.compound.id))).toEqual(new Set(firstCompounds));
    });

    it('creates a point with its schedule, lists it, and answers openAt at the boundaries in Shanghai time', async () => {
      const token = await platform.token([Role.STREET_ADMIN], streetA.id);
      const created: any = await platform.query(token, CREATE_POINT, {
        input: {
          compoundId: compoundA.id,
          name: '西门投放点',
          kind: 'REGULAR',
          location: '西门保安亭北侧',
          wasteStreams: ['OTHER', 'KITCHEN', 'KITCHEN'],
          schedule: [{ ...WEEKDAY_MORNINGS, weekdays: [5, 4, 3, 2, 1] }, EVERY_EVENING],
          holidayNoonOpening: { opensAt: '11:30', closesAt: '13:00' },
        },
      });
      expect(created.errors).toBeUndefined();
      const point = created.data.createCollectionPoint;
      expect(point).toMatchObject({
        name: '西门投放点',
        kind: 'REGULAR',
        active: true,
        openAroundTheClock: false,
        wasteStreams: ['KITCHEN', 'OTHER'],
        schedule: [WEEKDAY_MORNINGS, EVERY_EVENING],
        compound: { id: compoundA.id, name: compoundA.name },
      });

      const listed: any = await platform.query(token, POINTS, { org: communityA.id, first: 100 });
      expect(listed.data.collectionPoints.edges.map((e: any) => e.node)).toContainEqual(point);

      // 2026-01-05 is a Monday, 2026-01-10 a Saturday; times are Shanghai wall-clock times.
      const open: any = await platform.query(
        token,
        `query($id: ID!) { collectionPoint(id: $id) {
        before: openAt(at: "2026-01-05T06:29:00+08:00")
        opening: openAt(at: "2026-01-05T06:30:00+08:00")
        lastMinute: openAt(at: "2026-01-05T08:29:59+08:00")
        closing: openAt(at: "2026-01-05T08:30:00+08:00")
        utcSunday: openAt(at: "2026-01-04T22:30:00Z")
        saturdayMorning: openAt(at: "2026-01-10T07:00:00+08:00")
        saturdayEvening: openAt(at: "2026-01-10T18:00:00+08:00")
        eveningClosing: openAt(at: "2026-01-10T20:00:00+08:00")
        noon: openAt(at: "2026-10-08T12:00:00+08:00")
        holidayNoon: openAt(at: "2026-10-01T11:30:00+08:00")
        holidayNoonClosing: openAt(at: "2026-10-01T13:00:00+08:00")
        workingWeekendNoon: openAt(at: "2026-10-10T12:00:00+08:00")
      } }`,
        { id: point.id },
      );
      expect(open.errors).toBeUndefined();
      // 2026-10-01 is a holiday (国庆节) and 2026-10-10 a working Saturday in the seeded 2026 calendar; 2026-10-08 an ordinary Thursday.
      expect(open.data.collectionPoint).toEqual({
        before: false,
        opening: true,
        lastMinute: true,
        closing: false,
        utcSunday: true,
        saturdayMorning: false,
        saturdayEvening: true,
        eveningClosing: false,
        noon: false,
        holidayNoon: true,
        holidayNoonClosing: false,
        workingWeekendNoon: false,
      });

      // The district enters next year's calendar; the holiday noon opening follows it. Street staff cannot change it.
      const CALENDAR = `mutation($year: Int!, $days: [CalendarDayInput!]!) { setHolidayCalendar(year: $year, days: $days) { totalCount edges { node { date kind holiday } } } }`;
      const NOON = `query($id: ID!) { collectionPoint(id: $id) { newYear: openAt(at: "2027-01-01T12:00:00+08:00") } }`;
      expect((await platform.query(token, NOON, { id: point.id })).data).toEqual({ collectionPoint: { newYear: false } });
      const admin = await platform.token([Role.DISTRICT_ADMIN]);
      const days = [
        { date: '2027-01-01', kind: 'HOLIDAY', holiday: '元旦' },
        { date: '2027-01-03', kind: 'HOLIDAY', holiday: '元旦' },
      ];
      const set: any = await platform.query(admin, CALENDAR, { year: 2027, days });
      expect(set.errors).toBeUndefined();
      expect(set.data.setHolidayCalendar).toEqual({ totalCount: 2, edges: days.map((node) => ({ node })) });
      expect((await platform.query(token, NOON, { id: point.id })).data).toEqual({ collectionPoint: { newYear: true } });
      const street: any = await platform.query(token, CALENDAR, { year: 2027, days: [] });
      expect(street.errors[0].extensions.code).toBe('FORBIDDEN');

      // Bad input writes nothing: the 2027 calendar still has its two days.
      for (const [bad, reason] of [
        [[{ date: '2028-01-01', kind: 'HOLIDAY', holiday: '元旦' }], 'DATE_OUTSIDE_YEAR'],
        [[days[0], days[0]], 'DUPLICATE_DATE'],
        [[{ date: '2027-01-04', kind: 'WORKING_WEEKEND', holiday: '元旦' }], 'NOT_A_WEEKEND'],
      ] as const) {
        const refused: any = await platform.query(admin, CALENDAR, { year: 2027, days: bad });
        expect(refused.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason });
      }
      const kept: any = await platform.query(token, `{ holidayCalendar(year: 2027) { edges { node { date } } } }`);
      expect(kept.data.holidayCalendar.edges.map((e: any) => e.node.date)).toEqual(['2027-01-01', '2027-01-03']);
    });

    it('keeps a 24-hour late drop-off point open at 03:00 and any other time', async () => {
      const token = await platform.token([Role.COMMUNITY_SECRETARY], communityA.id);
      const created: any = await platform.query(token, CREATE_POINT, {
        input: {
          compoundId: compoundA.id,
          name: '误时投放屋',
          kind: 'LATE_DROP_OFF',
          location: '地下车库入口',
          wasteStreams: ['KITCHEN', 'OTHER'],
        },
      });
      expect(created.errors).toBeUndefined();
      expect(created.data.createCollectionPoint).toMatchObject({
        kind: 'LATE_DROP_OFF',
        labelZh: '24小时误时投放点',
        schedule: [],
        openAroundTheClock: true,
      });
      const open: any = await platform.query(
        token,
        `query($id: ID!) { collectionPoint(id: $id) {
        night: openAt(at: "2026-01-06T03:00:00+08:00") sunday: openAt(at: "2026-01-11T14:45:00+08:00") now: openAt
      } }`,
        { id: created.data.createCollectionPoint.id },
      );
      expect(open.data.collectionPoint).toEqual({ night: true, sunday: true, now: true });
      const bad = await platform.query(token, `query($id: ID!) { collectionPoint(id: $id) { openAt(at: "half past six") } }`, {
        id: created.data.createCollectionPoint.id,
      });
      expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
      expect(reasonOf(bad)).toBe('INVALID_DATE_TIME');
    });

    it.each([
      [
        'overlapping windows',
        { schedule: [WEEKDAY_MORNINGS, { weekdays: [5, 6], opensAt: '08:00', closesAt: '09:00' }] },
        'OVERLAPPING_WINDOWS',
      ],
      ['a time that is not HH:MM', { schedule: [{ ...WEEKDAY_MORNINGS, opensAt: '6:30' }] }, 'INVALID_TIME'],
      [
        'a window that closes before it opens',
        { schedule: [{ ...WEEKDAY_MORNINGS, opensAt: '08:30', closesAt: '06:30' }] },
        'OPENS_NOT_BEFORE_CLOSES',
      ],
      ['weekday 8', { schedule: [{ ...WEEKDAY_MORNINGS, weekdays: [8] }] }, 'INVALID_WEEKDAY'],
      ['a regular point without windows', { schedule: [] }, 'NO_WINDOWS'],
      ['windows on a late drop-off point', { kind: 'LATE_DROP_OFF', schedule: [WEEKDAY_MORNINGS] }, 'WINDOWS_ON_LATE_DROP_OFF'],
      [
        'a holiday opening on a late drop-off point',
        { kind: 'LATE_DROP_OFF', schedule: null, holidayNoonOpening: { opensAt: '11:30', closesAt: '13:00' } },
        'WINDOWS_ON_LATE_DROP_OFF',
      ],
      ['an invalid holiday noon window', { holidayNoonOpening: { opensAt: '13:00', closesAt: '11:30' } }, 'OPENS_NOT_BEFORE_CLOSES'],
      ['no waste stream', { wasteStreams: [] }, 'NO_WASTE_STREAM'],
      ['a community instead of a compound', { compoundId: 'community' }, 'NOT_A_COMPOUND'],
    ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, change, reason) => {
      const token = await platform.token([Role.STREET_ADMIN], streetA.id);
      const before = await count('collection_point');
      const input = {
        compoundId: compoundA.id,
        name: '东门投放点',
        kind: 'REGULAR',
        location: '东门',
        wasteStreams: ['KITCHEN'],
        schedule: [WEEKDAY_MORNINGS],
        ...change,
      };
      if (input.compoundId === 'community') input.compoundId = communityA.id;
      const response = await platform.query(token, CREATE_POINT, { input });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(reasonOf(response)).toBe(reason);
      expect(await count('collection_point')).toBe(before);
    });

    it('refuses a compound outside the caller’s territory, and callers without the permission', async () => {
      const before = await count('collection_point');
      const input = {
        compoundId: compoundB.id,
        name: '越界投放点',
        kind: 'REGULAR',
        location: '南门',
        wasteStreams: ['OTHER'],
        schedule: [WEEKDAY_MORNINGS],
      };
      const streetAdmin = await platform.token([Role.STREET_ADMIN], streetA.id);
      const response = await platform.query(streetAdmin, CREATE_POINT, { input });
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
      expect(reasonOf(response)).toBe('OUT_OF_SCOPE');
      const inspector = await platform.token([Role.INSPECTOR], compoundB.parentId);
      expect(errorCodes(await platform.query(inspector, CREATE_POINT, { input }))).toEqual(['FORBIDDEN']);
      expect(
        errorCodes(
          await platform.query(streetAdmin, CREATE_POINT, { input: { ...input, compoundId: '00000000-0000-4000-8000-000000000009' } }),
        ),
      ).toEqual(['NOT_FOUND']);
      expect(await count('collection_point')).toBe(before);

      expect(errorCodes(await platform.query(streetAdmin, POINTS, { org: streetB.id }))).toEqual(['FORBIDDEN']);
      const [{ id }] = await db().query(`SELECT id FROM collection_point WHERE compound_id = $1 AND kind = 'REGULAR'`, [compoundB.id]);
      expect(errorCodes(await platform.query(streetAdmin, `query($id: ID!) { collectionPoint(id: $id) { id } }`, { id }))).toEqual([
        'FORBIDDEN',
      ]);
      expect(errorCodes(await platform.query(streetAdmin, UPDATE_POINT, { id, input: { name: '改名' } }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await platform.query(streetAdmin, DEACTIVATE_POINT, { id }))).toEqual(['FORBIDDEN']);
      const [{ name, active }] = await db().query(`SELECT name, active FROM collection_point WHERE id = $1`, [id]);
      expect({ name, active }).toEqual({ name: '定时定点投放点', active: true });
    });

    it('updates a point as a whole, refuses a bad update without changing it, and deactivates it', async () => {
      const token = await platform.token([Role.STREET_ADMIN], streetA.id);
      const created: any = await platform.query(token, CREATE_POINT, {
        input: {
          compoundId: compoundA.id,
          name: '北门投放点',
          kind: 'REGULAR',
          location: '北门',
          wasteStreams: ['RECYCLABLE'],
          schedule: [WEEKDAY_MORNINGS],
        },
      });
      const id = created.data.createCollectionPoint.id;

      const duplicate = await platform.query(token, UPDATE_POINT, { id, input: { name: '西门投放点' } });
      expect(errorCodes(duplicate)).toEqual(['CONFLICT']);
      expect(reasonOf(duplicate)).toBe('DUPLICATE_NAME');

      const updated: any = await platform.query(token, UPDATE_POINT, {
        id,
        input: { schedule: [WEEKDAY_MORNINGS, EVERY_EVENING], holidayNoonOpening: { opensAt: '11:00', closesAt: '12:30' } },
      });
      expect(updated.errors).toBeUndefined();
      expect(updated.data.updateCollectionPoint).toMatchObject({
        name: '北门投放点',
        schedule: [WEEKDAY_MORNINGS, EVERY_EVENING],
        holidayNoonOpening: { opensAt: '11:00', closesAt: '12:30' },
      });

      const bad = await platform.query(token, UPDATE_POINT, {
        id,
        input: { name: '新名字', schedule: [WEEKDAY_MORNINGS, { ...WEEKDAY_MORNINGS, opensAt: '07:00' }] },
      });
      expect(reasonOf(bad)).toBe('OVERLAPPING_WINDOWS');
      const [row] = await db().query(`SELECT name, jsonb_array_length(schedule) AS windows FROM collection_point WHERE id = $1`, [id]);
      expect(row).toEqual({ name: '北门投放点', windows: 2 });

      // Turning it into a 24-hour point drops its windows.
      const late: any = await platform.query(token, UPDATE_POINT, { id, input: { kind: 'LATE_DROP_OFF' } });
      expect(late.data.updateCollectionPoint).toMatchObject({ kind: 'LATE_DROP_OFF', schedule: [], holidayNoonOpening: null });

      const deactivated: any = await platform.query(token, DEACTIVATE_POINT, { id });
      expect(deactivated.data.deactivateCollectionPoint).toEqual({ id, active: false });
      const closed: any = await platform.query(
        token,
        `query($id: ID!) { collectionPoint(id: $id) { openAt(at: "2026-01-06T03:00:00+08:00") } }`,
        { id },
      );
      expect(closed.data.collectionPoint.openAt).toBe(false);
      const active: any = await platform.query(token, POINTS, { org: compoundA.id });
      expect(active.data.collectionPoints.edges.map((e: any) => e.node.id)).not.toContain(id);
      const all: any = await platform.query(token, POINTS, { org: compoundA.id, activeOnly: false });
      expect(all.data.collectionPoints.edges.map((e: any) => e.node.id)).toContain(id);
    });

    it('pages through a street’s points, each once', async () => {
      const token = await platform.token([Role.DISTRICT_ADMIN]);
      const ids: string[] = [];
      let after: string | null = null;
      let total = 0;
      do {
        const response: any = await platform.query(token, POINTS, { org: streetB.id, first: 7, after });
        total = response.data.collectionPoints.totalCount;
        ids.push(...response.data.collectionPoints.edges.map((e: any) => e.node.id));
        after = response.data.collectionPoints.pageInfo.hasNextPage ? response.data.collectionPoints.pageInfo.endCursor : null;
      } while (after);
      const [{ count: expected }] = await db().query(
        `SELECT count(*)::int AS count FROM collection_point p JOIN territory_unit t ON t.id = p.compound_id WHERE t.path @> ARRAY[$1::uuid] AND p.active`,
        [streetB.id],
      );
      expect(total).toBe(expected);
      expect(ids).toHaveLength(expected);
      expect(new Set(ids).size).toBe(expected);
    });
  });

  describe('door-to-door collection requests', () => {
    let own: { id: string; propertyCompanyId: string; compoundId: string };
    let neighbour: { id: string };
    let community: PlanUnit;
    let resident: string;
    let secretary: string;

    beforeAll(async () => {
      // A compound of street A with at least two households.
      const [compound] = await db().query(
        `SELECT h.compound_id AS id FROM household h JOIN territory_unit t ON t.id = h.compound_id
          WHERE t.path @> ARRAY[$1::uuid] GROUP BY h.compound_id HAVING count(*) >= 2 ORDER BY h.compound_id LIMIT 1`,
        [streetA.id],
      );
      [own, neighbour] = await db().query(
        `SELECT id, property_company_id AS "propertyCompanyId", compound_id AS "compoundId" FROM household WHERE compound_id = $1 ORDER BY id LIMIT 2`,
        [compound.id],
      );
      community = platform.plan.communities.find((c) => c.id === platform.plan.compounds.find((k) => k.id === compound.id)!.parentId)!;
      resident = await platform.token([Role.RESIDENT], compound.id, 'resident-1', own.id);
      secretary = await platform.token([Role.COMMUNITY_SECRETARY], community.id, 'secretary-1');
    });

    const input = (change: Record<string, unknown> = {}) => ({
      householdId: own.id,
      wasteStreams: ['RECYCLABLE'],
      preferredDate: shanghaiDate(1),
      preferredWindow: '09:00-11:00',
      note: '旧报纸和纸箱约20公斤',
      ...change,
    });

    it('records a resident’s request once however often it is retried, addressed to the property company (their own address in clear to them)', async () => {
      const before = await count('door_to_door_collection');
      const first: any = await platform.query(resident, REQUEST, { input: input(), key: 'collect-0001' });
      expect(first.errors).toBeUndefined();
      const request = first.data.requestDoorToDoorCollection;
      expect(request).toMatchObject({
        status: 'REQUESTED',
        statusLabelZh: '已申请',
        wasteStreams: ['RECYCLABLE'],
        preferredDate: shanghaiDate(1),
        preferredWindow: '09:00-11:00',
        requestedBy: 'resident-1',
        compound: { id: own.compoundId },
        propertyCompany: { id: own.propertyCompanyId },
        household: { id: own.id, addressMasked: false },
        history: [{ fromStatus: null, toStatus: 'REQUESTED', changedBy: 'resident-1', note: '旧报纸和纸箱约20公斤' }],
      });
      const name = platform.plan.institutions.find((i) => i.id === own.propertyCompanyId)!.name;
      expect(request.propertyCompany.name).toBe(name);

      const retry: any = await platform.query(resident, REQUEST, { input: input(), key: 'collect-0001' });
      expect(retry.data.requestDoorToDoorCollection.id).toBe(request.id);
      expect(await count('door_to_door_collection')).toBe(before + 1);

      const reused = await platform.query(resident, REQUEST, { input: input({ wasteStreams: ['HAZARDOUS'] }), key: 'collect-0001' });
      expect(errorCodes(reused)).toEqual(['CONFLICT']);
      expect(reasonOf(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await count('door_to_door_collection')).toBe(before + 1);
      expect(
        await db().query(`SELECT to_status FROM door_to_door_collection_status_change WHERE collection_id = $1`, [request.id]),
      ).toEqual([{ to_status: 'REQUESTED' }]);
    });

    it('lets a resident ask only for their own household', async () => {
      const before = await count('door_to_door_collection');
      const response = await platform.query(resident, REQUEST, { input: input({ householdId: neighbour.id }), key: 'collect-0002' });
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
      expect(reasonOf(response)).toBe('NOT_OWN_HOUSEHOLD');
      expect(await count('door_to_door_collection')).toBe(before);
    });

    it('lets community staff ask for households of their territory only', async () => {
      const made: any = await platform.query(secretary, REQUEST, {
        input: input({ householdId: neighbour.id, preferredWindow: null, note: null }),
        key: 'staff-0001',
      });
      expect(made.errors).toBeUndefined();
      expect(made.data.requestDoorToDoorCollection).toMatchObject({
        status: 'REQUESTED',
        preferredWindow: null,
        requestedBy: 'secretary-1',
        household: { id: neighbour.id, addressMasked: false },
      });

      const [outside] = await db().query(
        `SELECT h.id FROM household h JOIN territory_unit t ON t.id = h.compound_id WHERE t.path @> ARRAY[$1::uuid] LIMIT 1`,
        [streetB.id],
      );
      const before = await count('door_to_door_collection');
      const response = await platform.query(secretary, REQUEST, { input: input({ householdId: outside.id }), key: 'staff-0002' });
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
      expect(await count('door_to_door_collection')).toBe(before);

      // The resident does not see the neighbour's request.
      const id = made.data.requestDoorToDoorCollection.id;
      expect(errorCodes(await platform.query(resident, `query($id: ID!) { doorToDoorCollection(id: $id) { id } }`, { id }))).toEqual([
        'FORBIDDEN',
      ]);
      const mine: any = await platform.query(resident, MY_REQUESTS);
      expect(mine.data.myDoorToDoorCollections.edges.map((e: any) => e.node.household.id)).toEqual(
        mine.data.myDoorToDoorCollections.edges.map(() => own.id),
      );
      expect(mine.data.myDoorToDoorCollections.edges.map((e: any) => e.node.id)).not.toContain(id);
    });

    it.each([
      ['a preferred date in the past', { preferredDate: shanghaiDate(-1) }, 'PREFERRED_DATE_IN_PAST'],
      ['a date that does not exist', { preferredDate: '2027-02-30' }, 'INVALID_DATE'],
      ['a window that is not HH:MM-HH:MM', { preferredWindow: '9点到11点' }, 'INVALID_TIME'],
      ['a window that ends before it starts', { preferredWindow: '11:00-09:00' }, 'OPENS_NOT_BEFORE_CLOSES'],
      ['no waste stream', { wasteStreams: [] }, 'NO_WASTE_STREAM'],
      ['a note over 500 characters', { note: '纸'.repeat(501) }, 'NOTE_TOO_LONG'],
    ])('refuses %s and writes nothing', async (_case, change, reason) => {
      const before = await count('door_to_door_collection');
      const response = await platform.query(resident, REQUEST, { input: input(change), key: `bad-${reason}` });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(reasonOf(response)).toBe(reason);
      expect(await count('door_to_door_collection')).toBe(before);
    });

    it('accepts a request for today', async () => {
      const response: any = await platform.query(resident, REQUEST, {
        input: input({ preferredDate: shanghaiDate(0) }),
        key: 'collect-today',
      });
      expect(response.errors).toBeUndefined();
      expect(response.data.requestDoorToDoorCollection.preferredDate).toBe(shanghaiDate(0));
    });

    it('moves a request REQUESTED → ACCEPTED → COMPLETED, refusing illegal transitions without writing', async () => {
      const made: any = await platform.query(resident, REQUEST, {
        input: input({ wasteStreams: ['HAZARDOUS'], note: '废电池一袋' }),
        key: 'collect-lifecycle',
      });
      const id = made.data.requestDoorToDoorCollection.id;

      const listed: any = await platform.query(secretary, REQUESTS, { org: community.id, status: 'REQUESTED' });
      expect(listed.data.doorToDoorCollections.edges.map((e: any) => e.node.id)).toContain(id);

      expect(errorCodes(await platform.query(resident, UPDATE_REQUEST, { id, status: 'ACCEPTED' }))).toEqual(['FORBIDDEN']);

      const skip = await platform.query(secretary, UPDATE_REQUEST, { id, status: 'COMPLETED' });
      expect(errorCodes(skip)).toEqual(['BAD_USER_INPUT']);
      expect(reasonOf(skip)).toBe('INVALID_TRANSITION');

      const accepted: any = await platform.query(secretary, UPDATE_REQUEST, { id, status: 'ACCEPTED', note: '物业明早上门' });
      expect(accepted.data.updateDoorToDoorCollection.status).toBe('ACCEPTED');

      const historyBefore = await count('door_to_door_collection_status_change');
      for (const status of ['REJECTED', 'REQUESTED', 'ACCEPTED']) {
        const illegal = await platform.query(secretary, UPDATE_REQUEST, { id, status, note: '理由' });
        expect(reasonOf(illegal)).toBe('INVALID_TRANSITION');
      }
      expect(await count('door_to_door_collection_status_change')).toBe(historyBefore);
      const [{ status: unchanged }] = await db().query(`SELECT status FROM door_to_door_collection WHERE id = $1`, [id]);
      expect(unchanged).toBe('ACCEPTED');

      const completed: any = await platform.query(secretary, UPDATE_REQUEST, { id, status: 'COMPLETED' });
      expect(completed.data.updateDoorToDoorCollection).toMatchObject({
        status: 'COMPLETED',
        statusLabelZh: '已收运',
        history: [
          { fromStatus: null, toStatus: 'REQUESTED', changedBy: 'resident-1', note: '废电池一袋' },
          { fromStatus: 'REQUESTED', toStatus: 'ACCEPTED', changedBy: 'secretary-1', note: '物业明早上门' },
          { fromStatus: 'ACCEPTED', toStatus: 'COMPLETED', changedBy: 'secretary-1', note: null },
        ],
      });
      const lateCancel = await platform.query(resident, CANCEL_REQUEST, { id });
      expect(reasonOf(lateCancel)).toBe('INVALID_TRANSITION');

      const mine: any = await platform.query(resident, MY_REQUESTS);
      expect(mine.data.myDoorToDoorCollections.edges.find((e: any) => e.node.id === id).node.status).toBe('COMPLETED');
    });

    it('lets the requester cancel and staff reject with a reason', async () => {
      const a: any = await platform.query(resident, REQUEST, { input: input({ note: null }), key: 'collect-cancel' });
      const cancelled: any = await platform.query(resident, CANCEL_REQUEST, {
        id: a.data.requestDoorToDoorCollection.id,
        note: '已自行投放',
      });
      expect(cancelled.data.cancelDoorToDoorCollection).toMatchObject({
        status: 'CANCELLED',
        history: [
          { fromStatus: null, toStatus: 'REQUESTED' },
          { fromStatus: 'REQUESTED', toStatus: 'CANCELLED' },
        ],
      });

      const staffMade: any = await platform.query(secretary, REQUEST, { input: input({ householdId: neighbour.id }), key: 'staff-cancel' });
      expect(errorCodes(await platform.query(resident, CANCEL_REQUEST, { id: staffMade.data.requestDoorToDoorCollection.id }))).toEqual([
        'FORBIDDEN',
      ]);

      const b: any = await platform.query(resident, REQUEST, {
        input: input({ wasteStreams: ['OTHER'], note: '装修垃圾' }),
        key: 'collect-reject',
      });
      const id = b.data.requestDoorToDoorCollection.id;
      const noReason = await platform.query(secretary, UPDATE_REQUEST, { id, status: 'REJECTED' });
      expect(reasonOf(noReason)).toBe('REASON_REQUIRED');
      const rejected: any = await platform.query(secretary, UPDATE_REQUEST, { id, status: 'REJECTED', note: '装修垃圾请预约建筑垃圾清运' });
      expect(rejected.data.updateDoorToDoorCollection).toMatchObject({
        status: 'REJECTED',
        history: [{}, { toStatus: 'REJECTED', note: '装修垃圾请预约建筑垃圾清运' }],
      });
    });

    it('keeps staff of another community out of the queue', async () => {
      const other = platform.plan.communities.find((c) => c.parentId === streetB.id)!;
      const outsider = await platform.token([Role.COMMUNITY_SECRETARY], other.id, 'secretary-2');
      const made: any = await platform.query(resident, REQUEST, { input: input(), key: 'collect-outsider' });
      const id = made.data.requestDoorToDoorCollection.id;
      expect(errorCodes(await platform.query(outsider, UPDATE_REQUEST, { id, status: 'ACCEPTED' }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await platform.query(outsider, REQUESTS, { org: community.id }))).toEqual(['FORBIDDEN']);
      const theirs: any = await platform.query(outsider, REQUESTS, {});
      expect(theirs.data.doorToDoorCollections.edges.map((e: any) => e.node.id)).not.toContain(id);
      const [{ status }] = await db().query(`SELECT status FROM door_to_door_collection WHERE id = $1`, [id]);
      expect(status).toBe('REQUESTED');
    });

    it('lets only one of several concurrent changes win; the others write nothing', async () => {
      const made: any = await platform.query(resident, REQUEST, { input: input(), key: 'collect-race' });
      const id = made.data.requestDoorToDoorCollection.id;
      await platform.query(secretary, UPDATE_REQUEST, { id, status: 'ACCEPTED' });

      // Hold the row so that all three changes read ACCEPTED and then queue on their UPDATE; releasing it lets them
      // run one after the other against a status that has moved on.
      const lock = db().createQueryRunner();
      await lock.connect();
      let results: GraphQLResponse[];
      try {
        await lock.startTransaction();
        await lock.query(`SELECT 1 FROM door_to_door_collection WHERE id = $1 FOR UPDATE`, [id]);
        const pending = Promise.all([
          platform.query(secretary, UPDATE_REQUEST, { id, status: 'COMPLETED' }),
          platform.query(secretary, UPDATE_REQUEST, { id, status: 'CANCELLED', note: '居民外出' }),
          platform.query(resident, CANCEL_REQUEST, { id }),
        ]);
        await waitFor('the three changes to wait for the row', async () => {
          const [{ waiting }] = await db().query(
            `SELECT count(*)::int AS waiting FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE door_to_door_collection SET status%'`,
          );
          return waiting === 3;
        });
        await lock.commitTransaction();
        results = await pending;
      } finally {
        await lock.release();
      }
      const winners = results.filter((r) => !r.errors);
      expect(winners).toHaveLength(1);
      for (const loser of results.filter((r) => r.errors)) {
        expect(errorCodes(loser)).toEqual(['CONFLICT']);
        expect(reasonOf(loser)).toBe('STATUS_CHANGED');
      }
      const history = await db().query(
        `SELECT from_status, to_status FROM door_to_door_collection_status_change WHERE collection_id = $1 ORDER BY id`,
        [id],
      );
      const [{ status }] = await db().query(`SELECT status FROM door_to_door_collection WHERE id = $1`, [id]);
      expect(history).toEqual([
        { from_status: null, to_status: 'REQUESTED' },
        { from_status: 'REQUESTED', to_status: 'ACCEPTED' },
        { from_status: 'ACCEPTED', to_status: status },
      ]);
      expect(['COMPLETED', 'CANCELLED']).toContain(status);
    });
  });
});
