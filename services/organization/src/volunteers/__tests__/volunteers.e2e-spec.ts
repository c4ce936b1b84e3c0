import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { previousMonth, shanghaiMonth } from '#libs/calendar';
import { ServiceName } from '#libs/messaging';
import { errorCodes, reasonOf, waitFor, type GraphQLResponse } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';
import { PartyFactory } from './party-factory.js';

const ACTIVITY = `id status statusLabelZh campaign campaignLabelZh organiser organiserLabelZh kind kindLabelZh title place capacity
  signUpCount placesLeft durationHours orgUnitName startsAt endsAt orgUnit { id } team { id name }`;
const CREATE_ACTIVITY = `mutation($input: CreateVolunteerActivityInput!) { createVolunteerActivity(input: $input) { ${ACTIVITY} } }`;
const SIGN_UP_FIELDS = 'id status statusLabelZh checkedInAt hours cancelledAt activity { id } volunteer { id name phone isPartyMember }';
const SIGN_UP = `mutation($id: ID!) { signUpForActivity(activityId: $id) { ${SIGN_UP_FIELDS} } }`;
const CANCEL_SIGN_UP = `mutation($id: ID!) { cancelSignUp(activityId: $id) { ${SIGN_UP_FIELDS} } }`;
const CHECK_IN = `mutation($id: ID!, $at: DateTime!) { checkInToActivity(activityId: $id, at: $at) { ${SIGN_UP_FIELDS} } }`;
const APPROVE = `mutation($id: ID!, $entries: [VolunteerHoursEntry!]) {
  approveVolunteerHours(activityId: $id, entries: $entries) { activityId changed approvedSignUps totalHours } }`;
const transition = (name: string) => `mutation($id: ID!) { ${name}(id: $id) { id status } }`;
const FEED = `query($org: ID, $campaign: VolunteerCampaign, $kind: VolunteerActivityKind, $from: DateTime, $first: Int, $after: String) {
  volunteerActivityFeed(orgUnitId: $org, campaign: $campaign, kind: $kind, from: $from, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id status title campaign kindLabelZh signUpCount placesLeft capacity startsAt orgUnitName } } } }`;
const HOURS = `query($month: String!, $groupBy: VolunteerHoursGrouping, $org: ID, $team: ID) {
  volunteerHours(month: $month, groupBy: $groupBy, orgUnitId: $org, teamId: $team) {
    totalCount edges { node { labelZh month volunteerId teamId hours activities volunteers volunteer { id } team { id } } } } }`;

const HOUR = 3600_000;

describe('volunteers (志愿服务) through the gateway', () => {
  let platform: TestPlatform;
  let party: PartyFactory;
  let admin: string;
  /** Community secretaries of communities A and B, and the admin of A's street. */
  let secretaryA: string;
  let secretaryB: string;
  let streetAdminA: string;
  /**
   * The tests' own compound, added to community A: the demo district already has a compound branch, a seeded team and
   * a month of activities at every planned compound, so the team, activities and hours these tests count are at a
   * compound nothing else uses. Its branch `branchA` hangs under the seeded community committee.
   */
  let compoundA: { id: string; path: string[] };
  let compoundB: { id: string; path: string[] };
  let communityA: string;
  let branchA: string;
  let teamA: string;
  /** A base instant in the future (on the hour) from which each test schedules its activities. */
  let base: number;
  let nextSlot = 0;
  let volunteerCount = 0;

  const db = () => platform.database(ServiceName.Organization);
  const count = async (sql: string, params: unknown[] = []): Promise<number> => (await db().query(sql, params))[0].count;
  const signUpCount = () => count(`SELECT count(*)::int AS count FROM volunteer_sign_up`);
  const activityCount = () => count(`SELECT count(*)::int AS count FROM volunteer_activity`);
  /** A fresh two-hour slot after `base`, so activities never share a start time. */
  const slot = (hours = 2) => {
    nextSlot += 1;
    const startsAt = new Date(base + nextSlot * 3 * HOUR);
    return { startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + hours * HOUR).toISOString() };
  };
  /** A registered volunteer (optionally in a team) and their token. */
  const volunteer = async (teamId: string | null = null, roles: Role[] = [Role.VOLUNTEER], sub?: string) => {
    volunteerCount += 1;
    const token = await platform.token(roles, compoundA.id, sub ?? `volunteer-${volunteerCount}`);
    const response = await platform.query(
      token,
      `mutation($input: RegisterVolunteerInput!) {
      registerVolunteer(input: $input) { id name phone partyMemberId isPartyMember team { id } } }`,
      {
        input: { name: `志愿者${volunteerCount}号`, phone: `138${String(volunteerCount).padStart(8, '0')}`, teamId },
      },
    );
    expect(response.errors).toBeUndefined();
    return { token, ...response.data!.registerVolunteer };
  };
  const createActivity = async (token: string, input: Record<string, unknown>) => {
    const response = await platform.query(token, CREATE_ACTIVITY, {
      input: {
        campaign: 'GREEN_PIONEERS',
        kind: 'BIN_SIDE',
        title: '桶边督导',
        place: '1号楼投放点',
        capacity: 10,
        orgUnitId: compoundA.id,
        ...slot(),
        ...input,
      },
    });
    expect(response.errors).toBeUndefined();
    return response.data!.createVolunteerActivity;
  };
  const published = async (input: Record<string, unknown> = {}, token = secretaryA) => {
    const activity = await createActivity(token, input);
    const response = await platform.query(token, transition('publishVolunteerActivity'), { id: activity.id });
    expect(response.errors).toBeUndefined();
    return activity;
  };

  beforeAll(async () => {
    platform = await startPlatform();
    party = new PartyFactory(db());
    admin = await platform.token([Role.DISTRICT_ADMIN]);
    const [streetA] = platform.plan.streets;
    const [cA, cB] = platform.plan.communities.filter((c) => c.parentId === streetA.id);
    communityA = cA.id;
    const created = await platform.query(admin, `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, {
      input: { kind: 'COMPOUND', parentId: cA.id, name: '志愿测试花园' },
    });
    expect(created.errors).toBeUndefined();
    [compoundA] = await db().query(`SELECT id, path::text[] AS path FROM org_unit WHERE id = $1`, [created.data!.createOrgUnit.id]);
    expect(compoundA.path).toEqual([...cA.path, compoundA.id]);
    compoundB = platform.plan.compounds.find((c) => c.parentId === cB.id)!;
    secretaryA = await platform.token([Role.COMMUNITY_SECRETARY], cA.id, 'secretary-a');
    secretaryB = await platform.token([Role.COMMUNITY_SECRETARY], cB.id, 'secretary-b');
    streetAdminA = await platform.token([Role.STREET_ADMIN], streetA.id, 'street-admin-a');
    branchA = await party.compoundBranch(compoundA.path);
    base = Math.ceil((Date.now() + 2 * 86400_000) / HOUR) * HOUR;
  });

  afterAll(async () => {
    await platform.stop();
  });

  it('forms a team per compound branch and refuses any other kind of party organisation, writing nothing', async () => {
    const created = await platform.query(
      secretaryA,
      `mutation($input: CreateVolunteerTeamInput!) {
      createVolunteerTeam(input: $input) { id labelZh name compoundBranchId volunteerCount compound { id } } }`,
      {
        input: { compoundBranchId: branchA, name: '先锋志愿服务队' },
      },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createVolunteerTeam).toMatchObject({
      labelZh: '志愿服务队',
      name: '先锋志愿服务队',
      compoundBranchId: branchA,
      volunteerCount: 0,
      compound: { id: compoundA.id },
    });
    teamA = created.data!.createVolunteerTeam.id;

    const teamsBefore = await count(`SELECT count(*)::int AS count FROM volunteer_team`);
    const communityBranch = await party.communityBranch(compoundA.path);
    const wrongKind = await platform.query(
      secretaryA,
      `mutation($input: CreateVolunteerTeamInput!) { createVolunteerTeam(input: $input) { id } }`,
      {
        input: { compoundBranchId: communityBranch, name: '错位服务队' },
      },
    );
    expect(errorCodes(wrongKind)).toEqual(['BAD_USER_INPUT']);
    expect(reasonOf(wrongKind)).toBe('NOT_A_COMPOUND_BRANCH');
    const outside = await platform.query(
      secretaryB,
      `mutation($input: CreateVolunteerTeamInput!) { createVolunteerTeam(input: $input) { id } }`,
      {
        input: { compoundBranchId: branchA, name: '越界服务队' },
      },
    );
    expect(errorCodes(outside)).toEqual(['FORBIDDEN']);
    expect(await count(`SELECT count(*)::int AS count FROM volunteer_team`)).toBe(teamsBefore);

    const listed = await platform.query(
      admin,
      `query($branch: ID) { volunteerTeams(compoundBranchId: $branch) { totalCount edges { node { id } } } }`,
      {
        branch: branchA,
      },
    );
    expect(listed.data!.volunteerTeams.edges.map((e: any) => e.node.id)).toEqual([teamA]);
  });

  it('registers volunteers once, links a party member by their member record, and moves a volunteer between teams', async () => {
    const memberId = await party.member('member-volunteer-1', communityA);
    const member = await volunteer(null, [Role.PARTY_MEMBER], 'member-volunteer-1');
    expect(member).toMatchObject({ partyMemberId: memberId, isPartyMember: true, team: null });
    const plain = await volunteer(teamA);
    expect(plain).toMatchObject({ partyMemberId: null, isPartyMember: false, team: { id: teamA } });
    // Your own record is yours to read unmasked.
    expect(plain.name).toMatch(/^志愿者\d+号$/);

    const again = await platform.query(plain.token, `mutation { registerVolunteer(input: { name: "再来一次" }) { id } }`);
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    expect(reasonOf(again)).toBe('ALREADY_REGISTERED');

    const joined = await platform.query(
      member.token,
      `mutation($team: ID!) { joinVolunteerTeam(teamId: $team) { id team { id volunteerCount } } }`,
      { team: teamA },
    );
    expect(joined.data!.joinVolunteerTeam.team).toEqual({ id: teamA, volunteerCount: 2 });

    const stranger = await platform.token([Role.VOLUNTEER], compoundA.id, 'not-registered');
    const notYet = await platform.query(stranger, `mutation($team: ID!) { joinVolunteerTeam(teamId: $team) { id } }`, { team: teamA });
    expect(reasonOf(notYet)).toBe('NOT_A_VOLUNTEER');
  });

  it('takes an activity from draft to published to completed, with sign-ups, cancellation and check-in on the way', async () => {
    const v = await volunteer(teamA);
    const activity = await createActivity(secretaryA, {
      campaign: 'YOUTH_GREEN_COLLARS',
      kind: 'DOOR_VISIT',
      title: '21天助力分类',
      teamId: teamA,
    });
    expect(activity).toMatchObject({
      status: 'DRAFT',
      statusLabelZh: '草稿',
      campaignLabelZh: '青春绿领',
      organiser: 'YOUTH_LEAGUE',
      organiserLabelZh: '团委',
      kindLabelZh: '入户宣传',
      capacity: 10,
      signUpCount: 0,
      placesLeft: 10,
      durationHours: 2,
      orgUnit: { id: compoundA.id },
      team: { id: teamA },
    });

    // A draft takes no sign-ups, and nothing is written.
    const before = await signUpCount();
    const early = await platform.query(v.token, SIGN_UP, { id: activity.id });
    expect(errorCodes(early)).toEqual(['BAD_USER_INPUT']);
    expect(reasonOf(early)).toBe('NOT_OPEN_FOR_SIGN_UP');
    expect(await signUpCount()).toBe(before);

    const publish = await platform.query(secretaryA, transition('publishVolunteerActivity'), { id: activity.id });
    expect(publish.data!.publishVolunteerActivity.status).toBe('PUBLISHED');

    const first = await platform.query(v.token, SIGN_UP, { id: activity.id });
    expect(first.errors).toBeUndefined();
    expect(first.data!.signUpForActivity).toMatchObject({ status: 'SIGNED_UP', statusLabelZh: '已报名', activity: { id: activity.id } });
    // Signing up twice returns the same sign-up.
    const twice = await platform.query(v.token, SIGN_UP, { id: activity.id });
    expect(twice.data!.signUpForActivity.id).toBe(first.data!.signUpForActivity.id);
    expect(await signUpCount()).toBe(before + 1);

    const cancelled = await platform.query(v.token, CANCEL_SIGN_UP, { id: activity.id });
    expect(cancelled.data!.cancelSignUp).toMatchObject({ id: first.data!.signUpForActivity.id, status: 'CANCELLED' });
    const back = await platform.query(v.token, SIGN_UP, { id: activity.id });
    expect(back.data!.signUpForActivity.id).not.toBe(first.data!.signUpForActivity.id);

    const startsAt = Date.parse(activity.startsAt);
    const tooEarly = await platform.query(v.token, CHECK_IN, { id: activity.id, at: new Date(startsAt - 31 * 60_000).toISOString() });
    expect(errorCodes(tooEarly)).toEqual(['BAD_USER_INPUT']);
    expect(reasonOf(tooEarly)).toBe('OUTSIDE_ACTIVITY_WINDOW');
    const at = new Date(startsAt - 10 * 60_000).toISOString();
    const checkedIn = await platform.query(v.token, CHECK_IN, { id: activity.id, at });
    expect(checkedIn.data!.checkInToActivity).toMatchObject({ status: 'CHECKED_IN', checkedInAt: at });
    const noCancel = await platform.query(v.token, CANCEL_SIGN_UP, { id: activity.id });
    expect(reasonOf(noCancel)).toBe('ALREADY_CHECKED_IN');

    const complete = await platform.query(secretaryA, transition('completeVolunteerActivity'), { id: activity.id });
    expect(complete.data!.completeVolunteerActivity.status).toBe('COMPLETED');
    const cancelAfter = await platform.query(secretaryA, transition('cancelVolunteerActivity'), { id: activity.id });
    expect(reasonOf(cancelAfter)).toBe('INVALID_TRANSITION');

    const mine = await platform.query(v.token, `{ myVolunteerSignUps { totalCount edges { node { status activity { id status } } } } }`);
    expect(mine.data!.myVolunteerSignUps.edges.map((e: any) => e.node.status)).toEqual(['CHECKED_IN', 'CANCELLED']);
  });

  it.each([
    [
      'ends before it starts',
      () => ({ startsAt: new Date(base + 500 * HOUR).toISOString(), endsAt: new Date(base + 499 * HOUR).toISOString() }),
      'ENDS_BEFORE_STARTS',
    ],
    ['lasts longer than a day', () => ({ ...slot(25) }), 'TOO_LONG'],
    ['has no capacity', () => ({ capacity: 0 }), 'CAPACITY_OUT_OF_RANGE'],
    ['has room for more than 1000', () => ({ capacity: 1001 }), 'CAPACITY_OUT_OF_RANGE'],
    ['takes place at a whole street', () => ({ orgUnitId: platform.plan.streets[0].id }), 'INVALID_PLACE_KIND'],
    [
      'already started',
      () => ({ startsAt: new Date(Date.now() - HOUR).toISOString(), endsAt: new Date(Date.now() + HOUR).toISOString() }),
      'STARTS_IN_PAST',
    ],
  ])('refuses an activity that %s with BAD_USER_INPUT and writes nothing', async (_case, change, reason) => {
    const before = await activityCount();
    const response = await platform.query(admin, CREATE_ACTIVITY, {
      input: {
        campaign: 'GOLDEN_YOUNGSTERS',
        kind: 'CONTEST',
        title: '绘画比赛',
        place: '社区活动室',
        capacity: 20,
        orgUnitId: compoundA.id,
        ...slot(),
        ...change(),
      },
    });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(reasonOf(response)).toBe(reason);
    expect(await activityCount()).toBe(before);
  });

  it('gives the last place to exactly one of many concurrent sign-ups; the rest are told ACTIVITY_FULL', async () => {
    const activity = await published({ capacity: 3 });
    const early = [await volunteer(), await volunteer()];
    for (const v of early) expect((await platform.query(v.token, SIGN_UP, { id: activity.id })).errors).toBeUndefined();
    const racers = [];
    for (let i = 0; i < 8; i += 1) racers.push(await volunteer());

    // Hold the activity row while all eight requests arrive, so they are all in flight at once when it is released:
    // each is then blocked in the database (on the service's row lock, or else on the foreign-key check of its insert).
    const holder = db().createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    let pending: Promise<GraphQLResponse[]>;
    try {
      await holder.query(`SELECT 1 FROM volunteer_activity WHERE id = $1 FOR UPDATE`, [activity.id]);
      pending = Promise.all(racers.map((v) => platform.query(v.token, SIGN_UP, { id: activity.id })));
      await waitFor(
        'all eight sign-ups to wait on the activity',
        async () =>
          (
            await db().query(
              `SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            )
          )[0].count >= racers.length,
      );
      await holder.commitTransaction();
    } finally {
      await holder.release();
    }
    const responses = await pending;
    const won = responses.filter((r) => !r.errors);
    const lost = responses.filter((r) => r.errors);
    expect(won).toHaveLength(1);
    expect(lost.map((r) => [errorCodes(r)[0], reasonOf(r)])).toEqual(Array(7).fill(['CONFLICT', 'ACTIVITY_FULL']));
    expect(
      await count(`SELECT count(*)::int AS count FROM volunteer_sign_up WHERE activity_id = $1 AND cancelled_at IS NULL`, [activity.id]),
    ).toBe(3);

    const feed = await platform.query(racers[0].token, FEED, { org: compoundA.id, first: 500 });
    expect(feed.data!.volunteerActivityFeed.edges.find((e: any) => e.node.id === activity.id).node).toMatchObject({
      signUpCount: 3,
      placesLeft: 0,
    });
  });

  it('approves hours in bulk within the duration, idempotently, and the monthly numbers add up', async () => {
    // Two and a half hours.
    const activity = await published({ campaign: 'GREEN_PIONEERS', kind: 'BAG_CHECK', title: '破袋检查', teamId: teamA, ...slot(2.5) });
    const memberId = await party.member('member-volunteer-hours', communityA);
    const member = await volunteer(teamA, [Role.PARTY_MEMBER], 'member-volunteer-hours');
    expect(member.partyMemberId).toBe(memberId);
    const others = [await volunteer(teamA), await volunteer(teamA), await volunteer(teamA)];
    const signUps: string[] = [];
    for (const v of [member, ...others])
      signUps.push((await platform.query(v.token, SIGN_UP, { id: activity.id })).data!.signUpForActivity.id);
    const at = new Date(Date.parse(activity.startsAt) + 5 * 60_000).toISOString();
    // The last volunteer never turns up.
    for (const v of [member, others[0], others[1]])
      expect((await platform.query(v.token, CHECK_IN, { id: activity.id, at })).errors).toBeUndefined();
    const hoursOf = () =>
      db().query(
        `SELECT id, hours::float8 AS hours, hours_approved_at AS "approvedAt" FROM volunteer_sign_up WHERE activity_id = $1 ORDER BY id`,
        [activity.id],
      );
    const untouched = await hoursOf();

    const over = await platform.query(secretaryA, APPROVE, {
      id: activity.id,
      entries: [
        { signUpId: signUps[1], hours: 2 },
        { signUpId: signUps[0], hours: 2.51 },
      ],
    });
    expect(errorCodes(over)).toEqual(['BAD_USER_INPUT']);
    expect(reasonOf(over)).toBe('HOURS_OVER_DURATION');
    const absent = await platform.query(secretaryA, APPROVE, {
      id: activity.id,
      entries: [
        { signUpId: signUps[1], hours: 2 },
        { signUpId: signUps[3], hours: 1 },
      ],
    });
    expect(reasonOf(absent)).toBe('NOT_CHECKED_IN');
    expect(await hoursOf()).toEqual(untouched);

    const some = await platform.query(secretaryA, APPROVE, { id: activity.id, entries: [{ signUpId: signUps[1], hours: 1.5 }] });
    expect(some.data!.approveVolunteerHours).toEqual({ activityId: activity.id, changed: 1, approvedSignUps: 1, totalHours: 1.5 });
    // Without entries: every checked-in sign-up gets the full 2.5 hours (the 1.5 becomes 2.5): 3 × 2.5 = 7.5.
    const all = await platform.query(secretaryA, APPROVE, { id: activity.id });
    expect(all.data!.approveVolunteerHours).toEqual({ activityId: activity.id, changed: 3, approvedSignUps: 3, totalHours: 7.5 });
    const approved = await hoursOf();
    const again = await platform.query(secretaryA, APPROVE, { id: activity.id });
    expect(again.data!.approveVolunteerHours).toEqual({ activityId: activity.id, changed: 0, approvedSignUps: 3, totalHours: 7.5 });
    expect(await hoursOf()).toEqual(approved);

    const month = shanghaiMonth(new Date(activity.startsAt));
    const view = await db().query(
      `SELECT month::text AS month, hours::float8 AS hours FROM member_volunteer_hours WHERE party_member_id = $1`,
      [memberId],
    );
    expect(view).toEqual([{ month: `${month}-01`, hours: 2.5 }]);

    const perVolunteer = await platform.query(secretaryA, HOURS, { month, org: compoundA.id, team: teamA });
    const rows = perVolunteer.data!.volunteerHours.edges.map((e: any) => e.node);
    const ofMember = rows.find((r: any) => r.volunteerId === member.id);
    expect(ofMember).toMatchObject({
      labelZh: '志愿时长',
      month: `${month}-01`,
      hours: 2.5,
      activities: 1,
      volunteers: 1,
      teamId: teamA,
      volunteer: { id: member.id },
    });
    const perTeam = await platform.query(secretaryA, HOURS, { month, org: compoundA.id, groupBy: 'TEAM' });
    const teamTotal = rows.reduce((sum: number, r: any) => sum + r.hours, 0);
    expect(perTeam.data!.volunteerHours.edges.map((e: any) => e.node)).toEqual([
      expect.objectContaining({ teamId: teamA, volunteerId: null, hours: teamTotal, team: { id: teamA } }),
    ]);
    expect(teamTotal).toBeGreaterThanOrEqual(7.5);
  });

  it('publishes a feed of published and completed activities, newest first, without personal data, to any signed-in role', async () => {
    const draft = await createActivity(secretaryA, { title: '草稿活动' });
    const cancelled = await published({ title: '取消的活动' });
    await platform.query(secretaryA, transition('cancelVolunteerActivity'), { id: cancelled.id });
    const quiz = await published({ campaign: 'TRUSTWORTHY_HOMEMAKERS', kind: 'QUIZ', title: '知识竞答' });
    // Someone far away (another street's volunteer) sees compound A's activities, and those of its community.
    const faraway = await platform.token([Role.VOLUNTEER], platform.plan.streets[1].id, 'faraway');
    const atCommunity = await published({ orgUnitId: communityA, title: '社区活动' });

    const pages: any[] = [];
    let after: string | null = null;
    do {
      const response: any = await platform.query(faraway, FEED, { org: compoundA.id, first: 3, after });
      expect(response.errors).toBeUndefined();
      pages.push(...response.data.volunteerActivityFeed.edges.map((e: any) => e.node));
      after = response.data.volunteerActivityFeed.pageInfo.hasNextPage ? response.data.volunteerActivityFeed.pageInfo.endCursor : null;
    } while (after);
    const ids = pages.map((n) => n.id);
    expect(ids).toContain(quiz.id);
    expect(ids).toContain(atCommunity.id);
    expect(ids).not.toContain(draft.id);
    expect(ids).not.toContain(cancelled.id);
    expect(new Set(pages.map((n) => n.status))).toEqual(new Set(['PUBLISHED', 'COMPLETED']));
    const starts = pages.map((n) => Date.parse(n.startsAt));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    for (const node of pages) expect(node.placesLeft).toBe(node.capacity - node.signUpCount);

    // Filtered by campaign and kind near compound A, the quiz is all there is (the demo seed has nothing at A).
    const quizzes = await platform.query(faraway, FEED, { org: compoundA.id, campaign: 'TRUSTWORTHY_HOMEMAKERS', kind: 'QUIZ' });
    expect(quizzes.data!.volunteerActivityFeed.edges.map((e: any) => e.node)).toEqual([
      expect.objectContaining({ id: quiz.id, kindLabelZh: '知识竞答' }),
    ]);
    // District-wide, the same filter gives exactly the published and completed quizzes of that campaign the database
    // holds (the seeded teams' among them), newest first.
    const everywhere = await platform.query(faraway, FEED, { campaign: 'TRUSTWORTHY_HOMEMAKERS', kind: 'QUIZ', first: 500 });
    expect(everywhere.errors).toBeUndefined();
    const expected: { id: string }[] = await db().query(
      `SELECT id FROM volunteer_activity WHERE status IN ('PUBLISHED', 'COMPLETED') AND campaign = 'TRUSTWORTHY_HOMEMAKERS' AND kind = 'QUIZ'
        ORDER BY starts_at DESC, id DESC`,
    );
    expect(everywhere.data!.volunteerActivityFeed.totalCount).toBe(expected.length);
    const everywhereNodes = everywhere.data!.volunteerActivityFeed.edges.map((e: any) => e.node);
    expect(everywhereNodes.map((n: any) => n.id)).toEqual(expected.map((row) => row.id));
    expect(everywhereNodes.map((n: any) => n.id)).toContain(quiz.id);
    for (const node of everywhereNodes) expect(node).toMatchObject({ campaign: 'TRUSTWORTHY_HOMEMAKERS', kindLabelZh: '知识竞答' });

    // The feed's type has no way to reach volunteers, organisers or phone numbers.
    const type = await platform.query(faraway, `{ __type(name: "PublishedVolunteerActivity") { fields { name } } }`);
    const fields = type.data!.__type.fields.map((f: any) => f.name);
    for (const personal of ['signUps', 'createdBy', 'volunteer', 'volunteers', 'name', 'phone']) expect(fields).not.toContain(personal);
    // …and a volunteer cannot open an activity's sign-ups.
    expect(errorCodes(await platform.query(faraway, `query($id: ID!) { volunteerActivity(id: $id) { id } }`, { id: quiz.id }))).toEqual([
      'FORBIDDEN',
    ]);
  });

  it("lets a community secretary manage only their community's activities; their street admin manages them too", async () => {
    const activity = await published({ title: '只属于A社区' });
    const v = await volunteer();
    await platform.query(v.token, SIGN_UP, { id: activity.id });

    const cases: [string, Record<string, unknown>][] = [
      [transition('cancelVolunteerActivity'), { id: activity.id }],
      [transition('completeVolunteerActivity'), { id: activity.id }],
      [APPROVE, { id: activity.id }],
      [`query($id: ID!) { volunteerActivity(id: $id) { id } }`, { id: activity.id }],
      [
        CREATE_ACTIVITY,
        {
          input: {
            campaign: 'GREEN_PIONEERS',
            kind: 'PATROL',
            title: '越界',
            place: '某处',
            capacity: 5,
            orgUnitId: compoundA.id,
            ...slot(),
          },
        },
      ],
    ];
    const before = await activityCount();
    for (const [query, variables] of cases) {
      const response = await platform.query(secretaryB, query, variables);
      expect({ query, codes: errorCodes(response), reason: reasonOf(response) }).toEqual({
        query,
        codes: ['FORBIDDEN'],
        reason: 'OUT_OF_SCOPE',
      });
    }
    expect(await activityCount()).toBe(before);
    const [{ status }] = await db().query(`SELECT status FROM volunteer_activity WHERE id = $1`, [activity.id]);
    expect(status).toBe('PUBLISHED');

    const listB = await platform.query(secretaryB, `{ volunteerActivities(first: 500) { edges { node { id } } } }`);
    expect(listB.data!.volunteerActivities.edges.map((e: any) => e.node.id)).not.toContain(activity.id);
    // B may organise at its own compound.
    const own = await createActivity(secretaryB, { orgUnitId: compoundB.id, title: 'B社区活动' });
    expect(own.status).toBe('DRAFT');

    // A's secretary reads personal data and sees names; A's street admin manages the activity with names masked.
    const signUps = `query($id: ID!) { volunteerActivity(id: $id) { signUps { edges { node { volunteer { name phone } } } } } }`;
    const asSecretary = await platform.query(secretaryA, signUps, { id: activity.id });
    expect(asSecretary.data!.volunteerActivity.signUps.edges[0].node.volunteer.name).toMatch(/^志愿者\d+号$/);
    const asStreet = await platform.query(streetAdminA, signUps, { id: activity.id });
    expect(asStreet.data!.volunteerActivity.signUps.edges[0].node.volunteer).toEqual({
      name: expect.stringMatching(/^志\*+号$/),
      phone: expect.stringMatching(/^138\*{4}\d{4}$/),
    });
    const completed = await platform.query(streetAdminA, transition('completeVolunteerActivity'), { id: activity.id });
    expect(completed.data!.completeVolunteerActivity.status).toBe('COMPLETED');

    // A volunteer may not organise.
    expect(errorCodes(await platform.query(v.token, transition('cancelVolunteerActivity'), { id: own.id }))).toEqual(['FORBIDDEN']);
  });

  it('demo data: a team per compound branch, a month of activities across the campaigns and kinds with approved hours, and upcoming ones', async () => {
    // startPlatform seeded the demo district: these are the checks of what it wrote (seeding again would collide with it).
    const planned = platform.plan.compounds.map((c) => c.id);
    const month = previousMonth(shanghaiMonth());

    // One team per planned compound, each of that compound's branch (the trigger ties a team's branch to its compound).
    const [teams] = await db().query(
      `SELECT count(*)::int AS teams, count(DISTINCT compound_branch_id)::int AS branches,
              count(DISTINCT org_unit_id) FILTER (WHERE org_unit_id = ANY($1::uuid[]))::int AS compounds
         FROM volunteer_team WHERE created_by = 'seed'`,
      [planned],
    );
    expect(teams).toEqual({ teams: planned.length, branches: planned.length, compounds: planned.length });
    // Six volunteers a team, and up to three party members of the compound's community.
    const [crew] = await db().query(
      `SELECT min(n)::int AS fewest, max(n)::int AS most, max(members)::int AS "mostMembers", sum(members)::int AS members
         FROM (SELECT count(v.id) FILTER (WHERE v.party_member_id IS NULL) AS n, count(v.party_member_id) AS members
                 FROM volunteer_team t LEFT JOIN volunteer v ON v.team_id = t.id WHERE t.created_by = 'seed' GROUP BY t.id) per_team`,
    );
    expect(crew).toMatchObject({ fewest: 6, most: 6 });
    expect(crew.mostMembers).toBeLessThanOrEqual(3);
    expect(crew.members).toBeGreaterThan(0);

    // Last month: eight completed activities a team, across the four campaigns and six kinds.
    const past = await db().query(
      `SELECT count(*)::int AS activities, count(DISTINCT campaign)::int AS campaigns, count(DISTINCT kind)::int AS kinds,
              array_agg(DISTINCT to_char(starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')) AS months
         FROM volunteer_activity WHERE created_by = 'seed' AND status = 'COMPLETED'`,
    );
    expect(past).toEqual([{ activities: 8 * planned.length, campaigns: 4, kinds: 6, months: [month] }]);
    // Their approved hours, as a district administrator sees them per team: the month holds nothing but the seed's.
    const byTeam = await platform.query(
      admin,
      `query($month: String!) {
      volunteerHours(month: $month, groupBy: TEAM, first: 500) { totalCount edges { node { teamId hours activities } } } }`,
      { month },
    );
    expect(byTeam.errors).toBeUndefined();
    const approved = await db().query(
      `SELECT v.team_id AS "teamId", sum(s.hours)::float8 AS hours, count(DISTINCT s.activity_id)::int AS activities
         FROM volunteer_sign_up s JOIN volunteer v ON v.id = s.volunteer_id JOIN volunteer_activity a ON a.id = s.activity_id
        WHERE a.created_by = 'seed' AND a.status = 'COMPLETED' AND s.hours IS NOT NULL
        GROUP BY v.team_id ORDER BY v.team_id::text`,
    );
    expect(approved.length).toBeGreaterThan(0);
    expect(byTeam.data!.volunteerHours.totalCount).toBe(approved.length);
    expect(byTeam.data!.volunteerHours.edges.map((e: any) => e.node)).toEqual(approved);
    // The party members' hours reach the vanguard index's view.
    expect(
      await count(`SELECT count(*)::int AS count FROM member_volunteer_hours WHERE month = $1::date AND hours > 0`, [`${month}-01`]),
    ).toBeGreaterThan(0);

    // Coming up: two published activities a team, in the feed from now on, some places already taken.
    const upcoming: { id: string }[] = await db().query(
      `SELECT id FROM volunteer_activity WHERE created_by = 'seed' AND status = 'PUBLISHED' AND starts_at > now()`,
    );
    expect(upcoming).toHaveLength(2 * planned.length);
    const feed = await platform.query(admin, FEED, { from: new Date().toISOString(), first: 500 });
    expect(feed.errors).toBeUndefined();
    const feedNodes = feed.data!.volunteerActivityFeed.edges.map((e: any) => e.node);
    expect(feed.data!.volunteerActivityFeed.pageInfo.hasNextPage).toBe(false);
    const seededInFeed = feedNodes.filter((n: any) => upcoming.some((u) => u.id === n.id));
    expect(seededInFeed).toHaveLength(upcoming.length);
    for (const node of seededInFeed) expect(node).toMatchObject({ status: 'PUBLISHED', capacity: 8, placesLeft: 8 - node.signUpCount });
    expect(seededInFeed.some((n: any) => n.signUpCount > 0)).toBe(true);
  });

  const QUIZ = `id state title questionCount answerCount averageScore questions { number text options correctOption }`;
  const ANSWER = `mutation($id: ID!, $choices: [Int!]!) { answerVolunteerQuiz(quizId: $id, choices: $choices) { id score questionCount choices correctOptions } }`;
  const quizInput = (input: Record<string, unknown> = {}) => ({
    campaign: 'TRUSTWORTHY_HOMEMAKERS',
    title: '婦女姐妹线上答分类',
    orgUnitId: communityA,
    opensAt: new Date(Date.now() - 60_000).toISOString(),
    closesAt: new Date(Date.now() + 86400_000).toISOString(),
    questions: [
      { text: '用过的餐巾纸属于？', options: ['可回收物', '其他垃圾', '厨余垃圾'], correctOption: 1 },
      { text: '过期药品属于？', options: ['有害垃圾', '其他垃圾'], correctOption: 0 },
      { text: '西瓜皮属于？', options: ['其他垃圾', '可回收物', '厨余垃圾', '有害垃圾'], correctOption: 2 },
    ],
    ...input,
  });
  const createQuiz = (token: string, input: Record<string, unknown> = {}) =>
    platform.query(token, `mutation($input: CreateVolunteerQuizInput!) { createVolunteerQuiz(input: $input) { ${QUIZ} } }`, {
      input: quizInput(input),
    });

  it('scores a quiz answered once on the server; refuses bad questions, bad answers, a second answer, and answers before it opens or after it closes, writing nothing', async () => {
    const quizzes = () => count(`SELECT count(*)::int AS count FROM volunteer_quiz`);
    const answers = () => count(`SELECT count(*)::int AS count FROM volunteer_quiz_answer`);
    const quizzesBefore = await quizzes();
    const oneOption = await createQuiz(secretaryA, { questions: [{ text: '只有一个选项', options: ['其他垃圾'], correctOption: 0 }] });
    const outOfRange = await createQuiz(secretaryA, { questions: [{ text: '正确选项越界', options: ['A', 'B'], correctOption: 2 }] });
    for (const refused of [oneOption, outOfRange])
      expect([errorCodes(refused), reasonOf(refused)]).toEqual([['BAD_USER_INPUT'], 'INVALID_QUESTION']);
    expect(errorCodes(await createQuiz(secretaryB))).toEqual(['FORBIDDEN']);
    expect(await quizzes()).toBe(quizzesBefore);

    const created = await createQuiz(secretaryA);
    expect(created.errors).toBeUndefined();
    const quiz = created.data!.createVolunteerQuiz;
    expect(quiz).toMatchObject({ state: 'OPEN', questionCount: 3, answerCount: 0, averageScore: null });
    expect(quiz.questions.map((q: any) => q.correctOption)).toEqual([1, 0, 2]);

    const [ann, bea, cai] = [await volunteer(), await volunteer(), await volunteer()];
    // Participants see the questions, not the correct options, while it is open.
    const seen = await platform.query(ann.token, `query($id: ID!) { volunteerQuiz(id: $id) { ${QUIZ} myAnswer { id } } }`, { id: quiz.id });
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.volunteerQuiz.questions.map((q: any) => q.correctOption)).toEqual([null, null, null]);
    expect(seen.data!.volunteerQuiz.myAnswer).toBeNull();

    const answered = await platform.query(ann.token, ANSWER, { id: quiz.id, choices: [1, 1, 2] });
    expect(answered.errors).toBeUndefined();
    expect(answered.data!.answerVolunteerQuiz).toMatchObject({ score: 2, questionCount: 3, choices: [1, 1, 2], correctOptions: null });

    const before = await answers();
    const again = await platform.query(ann.token, ANSWER, { id: quiz.id, choices: [1, 0, 2] });
    expect([errorCodes(again), reasonOf(again)]).toEqual([['CONFLICT'], 'ALREADY_ANSWERED']);
    for (const choices of [
      [1, 0],
      [1, 0, 2, 0],
      [1, 2, 2],
      [1, 0, -1],
    ]) {
      const bad = await platform.query(bea.token, ANSWER, { id: quiz.id, choices });
      expect([choices, errorCodes(bad), reasonOf(bad)]).toEqual([choices, ['BAD_USER_INPUT'], 'INVALID_ANSWERS']);
    }
    expect(await answers()).toBe(before);
    expect((await platform.query(bea.token, ANSWER, { id: quiz.id, choices: [1, 0, 2] })).data!.answerVolunteerQuiz.score).toBe(3);

    // The organiser reads the results, a page at a time, with the counts; another community's secretary may not.
    const RESULTS = `query($id: ID!, $after: String) { volunteerQuiz(id: $id) { answerCount averageScore
      results(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { score volunteer { id name } } } } } }`;
    const first = await platform.query(secretaryA, RESULTS, { id: quiz.id });
    expect(first.errors).toBeUndefined();
    expect(first.data!.volunteerQuiz).toMatchObject({ answerCount: 2, averageScore: 2.5 });
    expect(first.data!.volunteerQuiz.results).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    const second = await platform.query(secretaryA, RESULTS, { id: quiz.id, after: first.data!.volunteerQuiz.results.pageInfo.endCursor });
    expect(
      [...first.data!.volunteerQuiz.results.edges, ...second.data!.volunteerQuiz.results.edges].map((e: any) => [
        e.node.volunteer.id,
        e.node.score,
      ]),
    ).toEqual([
      [ann.id, 2],
      [bea.id, 3],
    ]);
    const outside = await platform.query(secretaryB, RESULTS, { id: quiz.id });
    expect([errorCodes(outside), reasonOf(outside)]).toEqual([['FORBIDDEN'], 'OUT_OF_SCOPE']);

    // Closed (its window moved into the past, as time passing would): no answer is taken, nothing is written, and the
    // correct options are shown to participants.
    await db().query(
      `UPDATE volunteer_quiz SET opens_at = now() - interval '2 days', closes_at = now() - interval '1 minute' WHERE id = $1`,
      [quiz.id],
    );
    const late = await platform.query(cai.token, ANSWER, { id: quiz.id, choices: [1, 0, 2] });
    expect([errorCodes(late), reasonOf(late)]).toEqual([['BAD_USER_INPUT'], 'QUIZ_CLOSED']);
    expect(await answers()).toBe(before + 1);
    expect(await count(`SELECT count(*)::int AS count FROM volunteer_quiz_answer WHERE volunteer_id = $1`, [cai.id])).toBe(0);
    const afterwards = await platform.query(
      ann.token,
      `query($id: ID!) { volunteerQuiz(id: $id) { state questions { correctOption }
      myAnswer { score choices correctOptions } } }`,
      { id: quiz.id },
    );
    expect(afterwards.data!.volunteerQuiz).toEqual({
      state: 'CLOSED',
      questions: [{ correctOption: 1 }, { correctOption: 0 }, { correctOption: 2 }],
      myAnswer: { score: 2, choices: [1, 1, 2], correctOptions: [1, 0, 2] },
    });

    const tomorrow = await createQuiz(secretaryA, {
      opensAt: new Date(Date.now() + 86400_000).toISOString(),
      closesAt: new Date(Date.now() + 2 * 86400_000).toISOString(),
    });
    const early = await platform.query(cai.token, ANSWER, { id: tomorrow.data!.createVolunteerQuiz.id, choices: [1, 0, 2] });
    expect([errorCodes(early), reasonOf(early)]).toEqual([['BAD_USER_INPUT'], 'QUIZ_NOT_OPEN']);
    expect(await answers()).toBe(before + 1);
  });

  it("takes contest entries until the deadline, awards them after it up to each tier's count, and masks the (minor) entrants' names", async () => {
    const CONTEST = `id acceptingEntries entryCount tiers { rank tier awardCount awarded }`;
    const ENTRY = `id title entrantName personalDataMasked award awardRank school { id kind }`;
    const created = await platform.query(
      secretaryA,
      `mutation($input: CreateVolunteerContestInput!) { createVolunteerContest(input: $input) { ${CONTEST} } }`,
      {
        input: {
          campaign: 'GOLDEN_YOUNGSTERS',
          title: '中小学生垃圾分类优秀作品征集比赛',
          theme: '垃圾分类，从我做起',
          orgUnitId: communityA,
          entriesCloseAt: new Date(Date.now() + 86400_000).toISOString(),
          tiers: [
            { tier: '一等奖', awardCount: 1 },
            { tier: '二等奖', awardCount: 1 },
          ],
        },
      },
    );
    expect(created.errors).toBeUndefined();
    const contest = created.data!.createVolunteerContest;
    expect(contest).toMatchObject({
      acceptingEntries: true,
      entryCount: 0,
      tiers: [
        { rank: 1, tier: '一等奖', awardCount: 1, awarded: 0 },
        { rank: 2, tier: '二等奖' },
      ],
    });

    const [{ id: schoolId }] = await db().query(`SELECT id FROM institution WHERE kind = 'SCHOOL' ORDER BY id LIMIT 1`);
    const [parent, pupil, stranger] = [await volunteer(), await volunteer(), await volunteer()];
    const SUBMIT = `mutation($id: ID!, $input: SubmitContestEntryInput!) { submitContestEntry(contestId: $id, input: $input) { ${ENTRY} } }`;
    const submit = async (token: string, title: string, entrantName: string) => {
      const response = await platform.query(token, SUBMIT, { id: contest.id, input: { title, entrantName, schoolId } });
      expect(response.errors).toBeUndefined();
      return response.data!.submitContestEntry;
    };
    // The submitter reads the name they gave in clear.
    const painting = await submit(parent.token, '四色桶的故事', '陈小明');
    expect(painting).toMatchObject({
      entrantName: '陈小明',
      personalDataMasked: false,
      award: null,
      school: { id: schoolId, kind: 'SCHOOL' },
    });
    const poster = await submit(pupil.token, '地球妈妈的微笑', '李小红');
    const comic = await submit(pupil.token, '变废为宝', '王小刚');

    const AWARD = `mutation($id: ID!, $tier: String!) { awardContestEntry(entryId: $id, tier: $tier) { ${ENTRY} } }`;
    const tooSoon = await platform.query(secretaryA, AWARD, { id: painting.id, tier: '一等奖' });
    expect([errorCodes(tooSoon), reasonOf(tooSoon)]).toEqual([['BAD_USER_INPUT'], 'CONTEST_STILL_OPEN']);

    // The deadline passes (moved into the past, as time passing would): no more entries, nothing written.
    await db().query(`UPDATE volunteer_contest SET entries_close_at = now() - interval '1 minute' WHERE id = $1`, [contest.id]);
    const entries = () => count(`SELECT count(*)::int AS count FROM volunteer_contest_entry WHERE contest_id = $1`, [contest.id]);
    const late = await platform.query(stranger.token, SUBMIT, { id: contest.id, input: { title: '迟到的作品', entrantName: '赵小迟' } });
    expect([errorCodes(late), reasonOf(late)]).toEqual([['BAD_USER_INPUT'], 'CONTEST_CLOSED']);
    expect(await entries()).toBe(3);

    const first = await platform.query(secretaryA, AWARD, { id: painting.id, tier: '一等奖' });
    expect(first.errors).toBeUndefined();
    expect(first.data!.awardContestEntry).toMatchObject({ award: '一等奖', awardRank: 1 });
    const full = await platform.query(secretaryA, AWARD, { id: poster.id, tier: '一等奖' });
    expect([errorCodes(full), reasonOf(full)]).toEqual([['CONFLICT'], 'AWARD_TIER_FULL']);
    const twice = await platform.query(secretaryA, AWARD, { id: painting.id, tier: '二等奖' });
    expect([errorCodes(twice), reasonOf(twice)]).toEqual([['CONFLICT'], 'ALREADY_AWARDED']);
    expect(errorCodes(await platform.query(secretaryB, AWARD, { id: poster.id, tier: '二等奖' }))).toEqual(['FORBIDDEN']);
    expect(
      await count(`SELECT count(*)::int AS count FROM volunteer_contest_entry WHERE contest_id = $1 AND award_rank IS NOT NULL`, [
        contest.id,
      ]),
    ).toBe(1);
    expect((await platform.query(streetAdminA, AWARD, { id: poster.id, tier: '二等奖' })).errors).toBeUndefined();

    // The results: awarded entries, highest tier first. The names are in clear only for a reader of personal data in the
    // contest's territory (the community secretary), masked for the street admin (organises, no personal data), for a
    // secretary of another community and for a participant who did not submit them.
    const RESULTS = `query($id: ID!) { volunteerContest(id: $id) { tiers { tier awarded } results(first: 10) { edges { node { id award entrantName personalDataMasked } } } } }`;
    const resultsFor = async (token: string) => {
      const response = await platform.query(token, RESULTS, { id: contest.id });
      expect(response.errors).toBeUndefined();
      return response.data!.volunteerContest;
    };
    const clear = await resultsFor(secretaryA);
    expect(clear.tiers).toEqual([
      { tier: '一等奖', awarded: 1 },
      { tier: '二等奖', awarded: 1 },
    ]);
    expect(clear.results.edges.map((e: any) => e.node)).toEqual([
      { id: painting.id, award: '一等奖', entrantName: '陈小明', personalDataMasked: false },
      { id: poster.id, award: '二等奖', entrantName: '李小红', personalDataMasked: false },
    ]);
    for (const token of [streetAdminA, secretaryB, stranger.token]) {
      expect((await resultsFor(token)).results.edges.map((e: any) => [e.node.entrantName, e.node.personalDataMasked])).toEqual([
        ['陈*明', true],
        ['李*红', true],
      ]);
    }
    const audited = await count(
      `SELECT count(*)::int AS count FROM personal_data_access WHERE entity = 'VolunteerContestEntry' AND user_id = 'secretary-a' AND entity_ids @> ARRAY[$1::uuid]`,
      [painting.id],
    );
    expect(audited).toBeGreaterThan(0);
    // Every entry is for the organisers only; the comic was not awarded.
    const all = await platform.query(
      streetAdminA,
      `query($id: ID!) { volunteerContest(id: $id) { entries(first: 10) { totalCount edges { node { id award } } } } }`,
      { id: contest.id },
    );
    expect(all.data!.volunteerContest.entries.edges.map((e: any) => [e.node.id, e.node.award])).toEqual([
      [painting.id, '一等奖'],
      [poster.id, '二等奖'],
      [comic.id, null],
    ]);
    const notYours = await platform.query(
      stranger.token,
      `query($id: ID!) { volunteerContest(id: $id) { entries(first: 10) { totalCount } } }`,
      { id: contest.id },
    );
    expect([errorCodes(notYours), reasonOf(notYours)]).toEqual([['FORBIDDEN'], 'OUT_OF_SCOPE']);
  });

  it('demo data: a quiz answered by volunteers with server-consistent scores, and a finished contest with every tier awarded', async () => {
    const [quiz] = await db().query(
      `SELECT count(x.id)::int AS answers,
              count(x.id) FILTER (WHERE x.score = (SELECT count(*) FROM volunteer_quiz_question qq WHERE qq.quiz_id = q.id AND qq.correct_option = x.choices[qq.number]))::int AS consistent
         FROM volunteer_quiz q JOIN volunteer_quiz_answer x ON x.quiz_id = q.id WHERE q.created_by = 'seed'`,
    );
    expect(quiz.answers).toBeGreaterThan(0);
    expect(quiz.consistent).toBe(quiz.answers);
    const listed = await platform.query(
      admin,
      `{ volunteerContests(campaign: GOLDEN_YOUNGSTERS, first: 50) { edges { node { title acceptingEntries entryCount
      tiers { awardCount awarded } results(first: 10) { edges { node { entrantName award } } } } } } }`,
    );
    expect(listed.errors).toBeUndefined();
    const seeded = listed
      .data!.volunteerContests.edges.map((e: any) => e.node)
      .find((n: any) => n.title === '中小学生垃圾分类优秀作品征集比赛' && n.tiers.length === 3);
    expect(seeded.entryCount).toBe(8);
    for (const tier of seeded.tiers) expect(tier.awarded).toBe(tier.awardCount);
    expect(seeded.results.edges.map((e: any) => e.node.award)).toEqual(['一等奖', '二等奖', '二等奖', '三等奖', '三等奖', '三等奖']);
    // A district administrator does not read personal data: the children's names are masked.
    for (const edge of seeded.results.edges) expect(edge.node.entrantName).toContain('*');
  });
});
