import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { addDays, shanghaiDate } from '#libs/calendar';
import { ServiceName } from '#libs/messaging';
import { codeOf, reasonOf } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';

const CREATE = `mutation($input: CreateMultiDayVolunteerActivityInput!) {
  createMultiDayVolunteerActivity(input: $input) { id status days firstDay lastDay durationHours completedCount } }`;
const PUBLISH = `mutation($id: ID!) { publishVolunteerActivity(id: $id) { id status } }`;
const SIGN_UP = `mutation($id: ID!) { signUpForActivity(activityId: $id) { id status } }`;
const CHECK_IN = `mutation($id: ID!, $day: LocalDate!) {
  checkInForDay(activityId: $id, day: $day) { id status daysCheckedIn checkedInDays completed } }`;
const ACTIVITY = `query($id: ID!) { volunteerActivity(id: $id) {
  days firstDay lastDay completedCount signUps(first: 10) { edges { node { volunteer { id } daysCheckedIn completed checkedInDays } } } } }`;
const MINE = `{ myVolunteerSignUps(first: 10) { edges { node { activity { id } daysCheckedIn completed } } } }`;

/**
 * A multi-day activity (团员青年21天助分类) through the gateway: 21 days, each participant checks in once a day, and the
 * activity shows who completed all of them. The server judges each check-in against its own "today" in Asia/Shanghai,
 * so the test lets the days pass by moving the activity one day earlier at a time (`aDayPasses`): to the server that is
 * exactly what a day passing looks like, and check-ins keep their place in the activity (their day number).
 */
describe('multi-day volunteer activities with daily check-ins', () => {
  let platform: TestPlatform;
  let secretary: string;
  let activityId: string;
  const volunteers: Record<'steady' | 'missedOne' | 'quitter', { token: string; id: string }> = {} as never;
  const db = () => platform.database(ServiceName.Organization);
  const checkIns = async () => (await db().query(`SELECT count(*)::int AS count FROM volunteer_day_check_in`))[0].count as number;
  const aDayPasses = () =>
    db().query(
      `UPDATE volunteer_activity SET starts_at = starts_at - interval '1 day', ends_at = ends_at - interval '1 day' WHERE id = $1`,
      [activityId],
    );
  const checkIn = (who: keyof typeof volunteers, day: string) => platform.query(volunteers[who].token, CHECK_IN, { id: activityId, day });
  /** Refused with `code` and `reason`, and no check-in written. */
  const refused = async (who: keyof typeof volunteers, day: string, code: string, reason: string) => {
    const before = await checkIns();
    const response = await checkIn(who, day);
    expect([codeOf(response), reasonOf(response)]).toEqual([code, reason]);
    expect(await checkIns()).toBe(before);
  };

  beforeAll(async () => {
    platform = await startPlatform();
    const compound = platform.plan.compounds[0];
    secretary = await platform.token([Role.COMMUNITY_SECRETARY], compound.parentId, 'secretary-youth');
    for (const [index, who] of (['steady', 'missedOne', 'quitter'] as const).entries()) {
      const token = await platform.token([Role.VOLUNTEER], compound.id, `youth-${who}`);
      const registered: any = await platform.query(
        token,
        `mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`,
        {
          input: { name: `团员${index + 1}号`, phone: `1390000000${index}` },
        },
      );
      expect(registered.errors).toBeUndefined();
      volunteers[who] = { token, id: registered.data.registerVolunteer.id };
    }
    const tomorrow = addDays(shanghaiDate(), 1);
    const created: any = await platform.query(secretary, CREATE, {
      input: {
        campaign: 'YOUTH_GREEN_COLLARS',
        kind: 'BIN_SIDE',
        title: '团员青年21天助分类',
        firstDay: tomorrow,
        days: 21,
        orgUnitId: compound.id,
        place: '小区各投放点',
        capacity: 30,
      },
    });
    expect(created.errors).toBeUndefined();
    expect(created.data.createMultiDayVolunteerActivity).toMatchObject({
      status: 'DRAFT',
      days: 21,
      firstDay: tomorrow,
      lastDay: addDays(tomorrow, 20),
      completedCount: 0,
    });
    activityId = created.data.createMultiDayVolunteerActivity.id;
    expect((await platform.query(secretary, PUBLISH, { id: activityId })).errors).toBeUndefined();
    for (const { token } of Object.values(volunteers))
      expect((await platform.query(token, SIGN_UP, { id: activityId })).errors).toBeUndefined();
  });

  afterAll(async () => {
    await platform.stop();
  });

  it('refuses bad activities and days before the activity begins', async () => {
    const before: any = await platform.query(secretary, CREATE, {
      input: {
        campaign: 'YOUTH_GREEN_COLLARS',
        kind: 'BIN_SIDE',
        title: '太长的活动',
        firstDay: addDays(shanghaiDate(), 1),
        days: 61,
        orgUnitId: platform.plan.compounds[0].id,
        place: '投放点',
        capacity: 5,
      },
    });
    expect([codeOf(before), reasonOf(before)]).toEqual(['BAD_USER_INPUT', 'DAYS_OUT_OF_RANGE']);
    // Day one is tomorrow: it cannot be checked in yet, and today is not a day of the activity.
    await refused('steady', addDays(shanghaiDate(), 1), 'BAD_USER_INPUT', 'DAY_NOT_YET');
    await refused('steady', shanghaiDate(), 'BAD_USER_INPUT', 'OUTSIDE_ACTIVITY_DAYS');
  });

  it("runs 21 days of check-ins, once a day each, and shows each participant's days and who completed them all", async () => {
    for (let day = 1; day <= 21; day++) {
      await aDayPasses();
      const today = shanghaiDate();
      const steady: any = await checkIn('steady', today);
      expect(steady.errors).toBeUndefined();
      expect(steady.data.checkInForDay).toMatchObject({ status: 'CHECKED_IN', daysCheckedIn: day, completed: day === 21 });
      if (day === 5) {
        // A second check-in for the same day is refused, and a day still to come too.
        await refused('steady', today, 'CONFLICT', 'ALREADY_CHECKED_IN_FOR_DAY');
        await refused('steady', addDays(today, 1), 'BAD_USER_INPUT', 'DAY_NOT_YET');
      }
      if (day === 1) expect((await checkIn('quitter', today)).errors).toBeUndefined();
      if (day === 3) {
        // A phone sends the same day three times at once: one check-in counts, the others are refused.
        const outcomes = await Promise.all([checkIn('quitter', today), checkIn('quitter', today), checkIn('quitter', today)]);
        expect(outcomes.filter((o) => !o.errors)).toHaveLength(1);
        expect(outcomes.filter((o) => o.errors).map(reasonOf)).toEqual(['ALREADY_CHECKED_IN_FOR_DAY', 'ALREADY_CHECKED_IN_FOR_DAY']);
      }
      // The second volunteer forgets day 8 for good and day 15 for a day (checked in late, on day 16).
      if (day !== 8 && day !== 15) expect((await checkIn('missedOne', today)).errors).toBeUndefined();
      if (day === 11) await refused('missedOne', addDays(today, -3), 'BAD_USER_INPUT', 'CHECK_IN_TOO_LATE');
      if (day === 16) expect((await checkIn('missedOne', addDays(today, -1))).errors).toBeUndefined();
    }
    // The activity is over: the day after its last is none of its days.
    await refused('steady', addDays(shanghaiDate(), 1), 'BAD_USER_INPUT', 'OUTSIDE_ACTIVITY_DAYS');

    const shown: any = await platform.query(secretary, ACTIVITY, { id: activityId });
    expect(shown.errors).toBeUndefined();
    const activity = shown.data.volunteerActivity;
    const firstDay = addDays(shanghaiDate(), -20);
    expect(activity).toMatchObject({ days: 21, firstDay, lastDay: shanghaiDate(), completedCount: 1 });
    const byVolunteer = new Map(activity.signUps.edges.map((e: any) => [e.node.volunteer.id, e.node]));
    const allDays = Array.from({ length: 21 }, (_, index) => addDays(firstDay, index));
    expect(byVolunteer.get(volunteers.steady.id)).toMatchObject({ daysCheckedIn: 21, completed: true, checkedInDays: allDays });
    expect(byVolunteer.get(volunteers.missedOne.id)).toMatchObject({
      daysCheckedIn: 20,
      completed: false,
      checkedInDays: allDays.filter((day) => day !== addDays(firstDay, 7)),
    });
    expect(byVolunteer.get(volunteers.quitter.id)).toMatchObject({
      daysCheckedIn: 2,
      completed: false,
      checkedInDays: [firstDay, addDays(firstDay, 2)],
    });

    const mine: any = await platform.query(volunteers.steady.token, MINE);
    expect(mine.data.myVolunteerSignUps.edges.map((e: any) => e.node)).toContainEqual({
      activity: { id: activityId },
      daysCheckedIn: 21,
      completed: true,
    });

    // Its record is the days checked in: hours are not approved for it, nor a single-session check-in made.
    const hours: any = await platform.query(secretary, `mutation($id: ID!) { approveVolunteerHours(activityId: $id) { changed } }`, {
      id: activityId,
    });
    expect(reasonOf(hours)).toBe('MULTI_DAY_ACTIVITY');
  });
});
