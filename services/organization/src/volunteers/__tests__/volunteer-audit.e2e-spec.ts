import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { shanghaiMonth } from '#libs/calendar';
import { ServiceName } from '#libs/messaging';
import { postGraphQL, type GraphQLResponse } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';

const VOLUNTEER = 'id name phone personalDataMasked';
const SIGN_UPS = `query($id: ID!) { volunteerActivity(id: $id) { signUps(first: 50) { edges { node { id volunteer { ${VOLUNTEER} } } } } } }`;
const HOURS = `query($month: String!, $org: ID) {
  volunteerHours(month: $month, groupBy: VOLUNTEER, orgUnitId: $org, first: 100) { edges { node { volunteerId volunteer { ${VOLUNTEER} } } } } }`;
const HOUR = 3600_000;

interface AuditRow {
  userId: string;
  roles: string[];
  entity: string;
  ids: string[];
}

/**
 * Volunteers' names and phones: a community secretary (PERSONAL_DATA_READ) reads them whole and every such read is
 * recorded in personal_data_access, one row a request listing the volunteers shown; a street administrator
 * (VOLUNTEER_MANAGE without PERSONAL_DATA_READ) gets them masked and nothing is recorded.
 */
describe('audit of unmasked volunteer reads', () => {
  let platform: TestPlatform;
  let secretary: string;
  let streetAdmin: string;
  let compound: string;
  let activity: { id: string; startsAt: string };
  const volunteers: { id: string; userId: string; token: string; name: string; phone: string }[] = [];

  const db = () => platform.database(ServiceName.Organization);
  const auditCount = async (): Promise<number> => (await db().query(`SELECT count(*)::int AS count FROM personal_data_access`))[0].count;
  const auditOf = (requestId: string): Promise<AuditRow[]> =>
    db().query(
      `SELECT user_id AS "userId", roles::text[] AS roles, entity, entity_ids::text[] AS ids FROM personal_data_access WHERE request_id = $1 ORDER BY id`,
      [requestId],
    );
  /** A request through the gateway under a request id of the test's choosing, which the audit rows carry. */
  async function request(token: string, query: string, variables: Record<string, unknown>): Promise<{ requestId: string; data: any }> {
    const requestId = `audit-${randomUUID()}`;
    const response: GraphQLResponse = await postGraphQL(platform.gatewayUrl, query, variables, {
      authorization: `Bearer ${token}`,
      'x-request-id': requestId,
    });
    expect(response.errors).toBeUndefined();
    return { requestId, data: response.data };
  }
  async function ok(token: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
    const response = await platform.query(token, query, variables);
    expect(response.errors).toBeUndefined();
    return response.data;
  }

  beforeAll(async () => {
    platform = await startPlatform();
    const [street] = platform.plan.streets;
    const community = platform.plan.communities.find((c) => c.parentId === street.id)!.id;
    compound = platform.plan.compounds.find((c) => c.parentId === community)!.id;
    secretary = await platform.token([Role.COMMUNITY_SECRETARY], community, 'audit-secretary');
    streetAdmin = await platform.token([Role.STREET_ADMIN], street.id, 'audit-street-admin');

    // An activity of the secretary's community with three volunteers signed up and checked in, their hours approved.
    const startsAt = new Date(Math.ceil((Date.now() + 2 * 86400_000) / HOUR) * HOUR);
    const created = await ok(
      secretary,
      `mutation($input: CreateVolunteerActivityInput!) { createVolunteerActivity(input: $input) { id startsAt } }`,
      {
        input: {
          campaign: 'GREEN_PIONEERS',
          kind: 'BIN_SIDE',
          title: '桶边督导',
          place: '1号楼投放点',
          capacity: 10,
          orgUnitId: compound,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 2 * HOUR).toISOString(),
        },
      },
    );
    activity = created.createVolunteerActivity;
    await ok(secretary, `mutation($id: ID!) { publishVolunteerActivity(id: $id) { id } }`, { id: activity.id });
    for (const [i, name] of ['王小明', '李华', '欧阳明月'].entries()) {
      const userId = `audit-volunteer-${i}`;
      const phone = `1370000000${i}`;
      const token = await platform.token([Role.VOLUNTEER], compound, userId);
      const registered = await ok(token, `mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`, {
        input: { name, phone },
      });
      volunteers.push({ id: registered.registerVolunteer.id, userId, token, name, phone });
      await ok(token, `mutation($id: ID!) { signUpForActivity(activityId: $id) { id } }`, { id: activity.id });
      await ok(token, `mutation($id: ID!, $at: DateTime!) { checkInToActivity(activityId: $id, at: $at) { id } }`, {
        id: activity.id,
        at: activity.startsAt,
      });
    }
    await ok(secretary, `mutation($id: ID!) { approveVolunteerHours(activityId: $id) { changed } }`, { id: activity.id });
  });

  afterAll(async () => {
    await platform.stop();
  });

  it('shows a community secretary full names and phones of sign-ups and records the read: who, Volunteer, which ids, one row', async () => {
    const { requestId, data } = await request(secretary, SIGN_UPS, { id: activity.id });
    const shown = data.volunteerActivity.signUps.edges.map((e: any) => e.node.volunteer);
    expect(shown.sort((a: any, b: any) => a.id.localeCompare(b.id))).toEqual(
      volunteers
        .map((v) => ({ id: v.id, name: v.name, phone: v.phone, personalDataMasked: false }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    );
    // One insert for the page, naming the caller, their roles and exactly the volunteers shown.
    const rows = await auditOf(requestId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId: 'audit-secretary', roles: ['COMMUNITY_SECRETARY'], entity: 'Volunteer' });
    expect([...rows[0].ids].sort()).toEqual(volunteers.map((v) => v.id).sort());
  });

  it('records the volunteers of an hours report the secretary reads unmasked, in one row', async () => {
    const month = shanghaiMonth(new Date(activity.startsAt));
    const { requestId, data } = await request(secretary, HOURS, { month, org: compound });
    const shown = data.volunteerHours.edges.map((e: any) => e.node.volunteer);
    expect(shown.length).toBeGreaterThanOrEqual(volunteers.length);
    expect(shown.every((v: any) => v.personalDataMasked === false)).toBe(true);
    expect(
      shown
        .filter((v: any) => volunteers.some((mine) => mine.id === v.id))
        .map((v: any) => v.name)
        .sort(),
    ).toEqual(volunteers.map((v) => v.name).sort());
    const rows = await auditOf(requestId);
    expect(rows).toEqual([{ userId: 'audit-secretary', roles: ['COMMUNITY_SECRETARY'], entity: 'Volunteer', ids: expect.any(Array) }]);
    expect([...rows[0].ids].sort()).toEqual(shown.map((v: any) => v.id).sort());
  });

  it('masks names and phones for a street administrator and records nothing', async () => {
    const before = await auditCount();
    const signUps = await request(streetAdmin, SIGN_UPS, { id: activity.id });
    const shown = signUps.data.volunteerActivity.signUps.edges.map((e: any) => e.node.volunteer);
    expect(shown.map((v: any) => [v.name, v.phone, v.personalDataMasked]).sort()).toEqual([
      ['李*', '137****0001', true],
      ['欧**月', '137****0002', true],
      ['王*明', '137****0000', true],
    ]);
    const hours = await request(streetAdmin, HOURS, { month: shanghaiMonth(new Date(activity.startsAt)), org: compound });
    expect(hours.data.volunteerHours.edges.length).toBeGreaterThan(0);
    expect(hours.data.volunteerHours.edges.every((e: any) => e.node.volunteer.personalDataMasked)).toBe(true);
    expect(await auditOf(signUps.requestId)).toEqual([]);
    expect(await auditOf(hours.requestId)).toEqual([]);
    expect(await auditCount()).toBe(before);
  });

  it('records a volunteer reading their own record, which is shown unmasked', async () => {
    const [own] = volunteers;
    const { requestId, data } = await request(own.token, `{ myVolunteer { ${VOLUNTEER} } }`, {});
    expect(data.myVolunteer).toEqual({ id: own.id, name: own.name, phone: own.phone, personalDataMasked: false });
    expect(await auditOf(requestId)).toEqual([{ userId: own.userId, roles: ['VOLUNTEER'], entity: 'Volunteer', ids: [own.id] }]);
  });
});
