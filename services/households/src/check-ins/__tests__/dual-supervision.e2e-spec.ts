import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role, partyMemberLogin } from '#libs/auth';
import { shanghaiDate, shanghaiMonth } from '#libs/calendar';
import { ServiceName } from '#libs/messaging';
import { errorCodes, reasonOf, waitFor } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';

const SUBMIT = `mutation($input: SubmitPhotoCheckInInput!, $key: String!) { submitPhotoCheckIn(input: $input, idempotencyKey: $key) { id } }`;
const REVIEW = `mutation($id: ID!, $verdict: CheckInVerdict!) {
  reviewPhotoCheckIn(id: $id, branch: WORK, verdict: $verdict) { id reviewStatus workReview { verdict reviewerId } } }`;
const APPOINT = `mutation($org: ID!, $member: ID!, $startsOn: LocalDate!) { appointSecretary(partyOrgId: $org, memberId: $member, startsOn: $startsOn) { id } }`;

/**
 * Dual supervision (双重监督): a check-in's work-branch review is given only by the current secretary of the member's
 * own work-unit branch, as organization announces registrations and secretary posts to households.
 */
describe("work-branch reviews of check-ins by the member's own branch secretary, through the gateway", () => {
  let platform: TestPlatform;
  /** A demo party member registered with a work-unit branch, and that branch's secretary (their account). */
  let member: { id: string; communityId: string; branchId: string; secretaryUserId: string; token: string };
  /** The secretary of another work-unit branch. */
  let otherSecretary: string;

  const households = () => platform.database(ServiceName.Households);
  const organization = () => platform.database(ServiceName.Organization);
  const secretaryToken = (userId: string) => platform.token([Role.BRANCH_SECRETARY], null, userId);
  const review = async (userId: string, id: string) => platform.query(await secretaryToken(userId), REVIEW, { id, verdict: 'APPROVED' });
  const workReviewOf = async (id: string) =>
    (await households().query(`SELECT work_verdict AS verdict, work_reviewed_by AS "by" FROM photo_check_in WHERE id = $1`, [id]))[0];

  async function submit(): Promise<string> {
    const [{ id: photoId }] = await households().query(
      `INSERT INTO upload (content_type, size_bytes, sha256, storage_key, uploaded_by) VALUES ('image/jpeg', 120000, md5(random()::text), $1, $2)
       RETURNING id`,
      [`test/${randomUUID()}.jpg`, partyMemberLogin(member.id)],
    );
    const response: any = await platform.query(member.token, SUBMIT, {
      input: { photoId, takenAt: new Date(Date.now() - 60_000).toISOString(), note: '厨余垃圾已沥水破袋' },
      key: `dual-${randomUUID()}`,
    });
    expect(response.errors).toBeUndefined();
    return response.data.submitPhotoCheckIn.id;
  }

  beforeAll(async () => {
    platform = await startPlatform();
    const residents: { id: string }[] = await households().query(
      `SELECT party_member_id AS id FROM resident WHERE party_member_id IS NOT NULL`,
    );
    // A member living in a demo household, with an open work-unit registration whose branch has a secretary today.
    [member] = await organization().query(
      `SELECT m.id, m.community_id AS "communityId", r.branch_id AS "branchId", s.user_id AS "secretaryUserId"
         FROM party_member m
         JOIN branch_registration r ON r.party_member_id = m.id AND r.kind = 'WORK_UNIT' AND r.ended_at IS NULL
         JOIN party_org_position p ON p.party_org_id = r.branch_id AND p.position = 'SECRETARY' AND p.ends_on IS NULL AND p.starts_on < $2::date
         JOIN party_member s ON s.id = p.party_member_id AND s.user_id IS NOT NULL AND s.id <> m.id
        WHERE m.id = ANY($1::uuid[]) ORDER BY m.id LIMIT 1`,
      [residents.map((r) => r.id), shanghaiDate()],
    );
    [{ userId: otherSecretary }] = await organization().query(
      `SELECT s.user_id AS "userId" FROM party_org_position p JOIN party_org o ON o.id = p.party_org_id AND o.kind = 'WORK_UNIT_BRANCH'
         JOIN party_member s ON s.id = p.party_member_id AND s.user_id IS NOT NULL
        WHERE p.position = 'SECRETARY' AND p.ends_on IS NULL AND o.id <> $1 AND s.user_id <> $2 AND s.id <> $3 ORDER BY o.id LIMIT 1`,
      [member.branchId, member.secretaryUserId, member.id],
    );
    member.token = await platform.token([Role.PARTY_MEMBER], member.communityId, partyMemberLogin(member.id));
  });

  afterAll(() => platform.stop());

  it("refuses another branch's secretary, writing nothing, and accepts the member's own", async () => {
    const checkIn = await submit();

    const refused = await review(otherSecretary, checkIn);
    expect({ codes: errorCodes(refused), reason: reasonOf(refused) }).toEqual({
      codes: ['FORBIDDEN'],
      reason: 'NOT_MEMBERS_BRANCH_SECRETARY',
    });
    expect(await workReviewOf(checkIn)).toEqual({ verdict: null, by: null });

    const accepted: any = await review(member.secretaryUserId, checkIn);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.reviewPhotoCheckIn).toMatchObject({
      reviewStatus: 'PARTLY_REVIEWED',
      workReview: { verdict: 'APPROVED', reviewerId: member.secretaryUserId },
    });
  });

  it('refuses the old secretary once a new one is appointed, and accepts the new one', async () => {
    const [successor] = await organization().query(
      `SELECT id, user_id AS "userId" FROM party_member WHERE user_id IS NOT NULL AND user_id NOT IN ($1, $2) AND id <> $3 ORDER BY id LIMIT 1`,
      [member.secretaryUserId, otherSecretary, member.id],
    );
    const admin = await platform.token([Role.DISTRICT_ADMIN]);
    const appointed: any = await platform.query(admin, APPOINT, { org: member.branchId, member: successor.id, startsOn: shanghaiDate() });
    expect(appointed.errors).toBeUndefined();
    // organization announces the branch's posts; households applies them.
    await waitFor(
      "households' copy of the new secretary post",
      async () =>
        (
          await households().query(`SELECT 1 FROM work_unit_branch_secretary_copy WHERE branch_id = $1 AND user_id = $2`, [
            member.branchId,
            successor.userId,
          ])
        ).length > 0,
    );

    const checkIn = await submit();
    const refused = await review(member.secretaryUserId, checkIn);
    expect({ codes: errorCodes(refused), reason: reasonOf(refused) }).toEqual({
      codes: ['FORBIDDEN'],
      reason: 'NOT_MEMBERS_BRANCH_SECRETARY',
    });
    expect(await workReviewOf(checkIn)).toEqual({ verdict: null, by: null });

    const accepted: any = await review(successor.userId, checkIn);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.reviewPhotoCheckIn.workReview).toEqual({ verdict: 'APPROVED', reviewerId: successor.userId });
  });

  it('refuses a branch secretary their own check-in even when they sign in with an account of their own', async () => {
    // A demo member living in a demo household, with a work-unit branch of their own whose secretary started earlier.
    const residents: { id: string }[] = await households().query(
      `SELECT party_member_id AS id FROM resident WHERE party_member_id IS NOT NULL`,
    );
    const [own] = await organization().query(
      `SELECT m.id, m.community_id AS "communityId", r.branch_id AS "branchId"
         FROM party_member m
         JOIN branch_registration r ON r.party_member_id = m.id AND r.kind = 'WORK_UNIT' AND r.ended_at IS NULL
         JOIN party_org_position p ON p.party_org_id = r.branch_id AND p.position = 'SECRETARY' AND p.ends_on IS NULL AND p.starts_on < $2::date
        WHERE m.id = ANY($1::uuid[]) AND r.branch_id <> $3 AND p.party_member_id <> m.id ORDER BY m.id LIMIT 1`,
      [residents.map((r) => r.id), shanghaiDate(), member.branchId],
    );
    const account = `staff-${randomUUID()}`;
    await organization().query(`UPDATE party_member SET user_id = $2 WHERE id = $1`, [own.id, account]);
    const admin = await platform.token([Role.DISTRICT_ADMIN]);
    const appointed: any = await platform.query(admin, APPOINT, { org: own.branchId, member: own.id, startsOn: shanghaiDate() });
    expect(appointed.errors).toBeUndefined();
    await waitFor(
      "households' copy of the member's own secretary post",
      async () =>
        (
          await households().query(
            `SELECT 1 FROM work_unit_branch_secretary_copy WHERE branch_id = $1 AND user_id = $2 AND party_member_id = $3`,
            [own.branchId, account, own.id],
          )
        ).length > 0,
    );

    const [{ id: photoId }] = await households().query(
      `INSERT INTO upload (content_type, size_bytes, sha256, storage_key, uploaded_by) VALUES ('image/jpeg', 120000, md5(random()::text), $1, $2)
       RETURNING id`,
      [`test/${randomUUID()}.jpg`, partyMemberLogin(own.id)],
    );
    const memberToken = await platform.token([Role.PARTY_MEMBER], own.communityId, partyMemberLogin(own.id));
    const submitted: any = await platform.query(memberToken, SUBMIT, {
      input: { photoId, takenAt: new Date(Date.now() - 60_000).toISOString() },
      key: `own-${randomUUID()}`,
    });
    expect(submitted.errors).toBeUndefined();
    const checkIn = submitted.data.submitPhotoCheckIn.id;

    const refused = await review(account, checkIn);
    expect({ codes: errorCodes(refused), reason: reasonOf(refused) }).toEqual({ codes: ['FORBIDDEN'], reason: 'OWN_CHECK_IN' });
    expect(await workReviewOf(checkIn)).toEqual({ verdict: null, by: null });
  });

  /**
   * One identity (双重监督 on one phone): the token subject `member-<id>` is the party member in households and in
   * organization alike. With it the member checks in for their own household, logs the duty their secretary post owes,
   * reads their own index and check-ins, and is refused anything of another member's, with nothing written.
   */
  describe('one phone login (member-<id>) across households and organization', () => {
    const VIEWER = `query { viewer { userId partyMemberId } }`;
    const MY_WEEK = `query { myPhotoCheckIns { partyMemberId submitted checkIns { edges { node { id } } } } }`;
    const CHECK_IN = `query($id: ID!) { photoCheckIn(id: $id) { id partyMemberId household { id } } }`;
    const DUTY = `mutation($input: RecordDutyLogInput!) { recordDutyLog(input: $input) { id duty partyMemberId partyOrgId } }`;
    const INDEX = `query($member: ID!, $month: String!) { vanguardIndex(memberId: $member, month: $month) { memberId month score } }`;
    const COMPUTE = `mutation($month: String!) { computeVanguardIndex(month: $month) { month } }`;

    /** A demo member living in a demo household who today is the secretary of a community committee (owes PATROL). */
    let secretary: { id: string; householdId: string; communityId: string; committeeId: string; orgUnitId: string; token: string };
    /** Another demo member with a check-in of their own. */
    let other: { id: string; checkInId: string };
    let month: string;

    const photoOf = async (login: string): Promise<string> =>
      (
        await households().query(
          `INSERT INTO upload (content_type, size_bytes, sha256, storage_key, uploaded_by) VALUES ('image/jpeg', 120000, md5(random()::text), $1, $2)
       RETURNING id`,
          [`test/${randomUUID()}.jpg`, login],
        )
      )[0].id;
    const written = async (memberId: string) => ({
      checkIns: (await households().query(`SELECT count(*)::int AS n FROM photo_check_in WHERE party_member_id = $1`, [memberId]))[0].n,
      dutyLogs: (await organization().query(`SELECT count(*)::int AS n FROM duty_log WHERE party_member_id = $1`, [memberId]))[0].n,
    });

    beforeAll(async () => {
      const today = shanghaiDate();
      const residents: { id: string; householdId: string }[] = await households().query(
        `SELECT party_member_id AS id, household_id AS "householdId" FROM resident WHERE party_member_id IS NOT NULL ORDER BY party_member_id`,
      );
      const committeeSecretaries = (): Promise<{ id: string; communityId: string; committeeId: string; orgUnitId: string }[]> =>
        organization().query(
          `SELECT m.id, m.community_id AS "communityId", o.id AS "committeeId", o.org_unit_id AS "orgUnitId"
           FROM party_member m
           JOIN party_org_position p ON p.party_member_id = m.id AND p.position = 'SECRETARY'
                                    AND p.starts_on <= $2::date AND (p.ends_on IS NULL OR p.ends_on >= $2::date)
           JOIN party_org o ON o.id = p.party_org_id AND o.kind = 'COMMUNITY_COMMITTEE'
          WHERE m.id = ANY($1::uuid[]) AND m.user_id = 'member-' || m.id::text AND m.community_id IS NOT NULL
          ORDER BY m.id LIMIT 1`,
          [residents.map((r) => r.id), today],
        );
      let found = (await committeeSecretaries()).at(0);
      if (!found) {
        // The demo has no resident member in such a post today: appoint one to their own community's committee.
        const [candidate] = await organization().query(
          `SELECT m.id, o.id AS "committeeId" FROM party_member m JOIN party_org o ON o.org_unit_id = m.community_id AND o.kind = 'COMMUNITY_COMMITTEE'
            WHERE m.id = ANY($1::uuid[]) AND m.user_id = 'member-' || m.id::text ORDER BY m.id LIMIT 1`,
          [residents.map((r) => r.id)],
        );
        const appointed: any = await platform.query(await platform.token([Role.DISTRICT_ADMIN]), APPOINT, {
          org: candidate.committeeId,
          member: candidate.id,
          startsOn: today,
        });
        expect(appointed.errors).toBeUndefined();
        found = (await committeeSecretaries()).at(0);
      }
      if (!found) throw new Error('No resident party member holds a community committee secretary post, even after appointing one');
      secretary = {
        ...found,
        householdId: residents.find((r) => r.id === found.id)!.householdId,
        token: await platform.token([Role.PARTY_MEMBER], found.communityId, partyMemberLogin(found.id)),
      };
      [other] = await households().query(
        `SELECT party_member_id AS id, id AS "checkInId" FROM photo_check_in WHERE party_member_id <> $1 ORDER BY id LIMIT 1`,
        [secretary.id],
      );
      // The newest month the demo computed the index for, or last month computed now.
      [{ month }] = await organization().query(`SELECT to_char(max(month), 'YYYY-MM') AS month FROM vanguard_index_month`);
      if (!month) {
        month = shanghaiMonth(new Date(Date.now() - 31 * 86400_000));
        const computed: any = await platform.query(await platform.token([Role.DISTRICT_ADMIN]), COMPUTE, { month });
        expect(computed.errors).toBeUndefined();
      }
    });

    it('checks in for their own household, logs the duty of their post and reads their own index and check-ins', async () => {
      const viewer: any = await platform.query(secretary.token, VIEWER);
      expect(viewer.data.viewer).toEqual({ userId: partyMemberLogin(secretary.id), partyMemberId: secretary.id });

      // households: a photo check-in of their own household.
      const submitted: any = await platform.query(secretary.token, SUBMIT, {
        input: { photoId: await photoOf(partyMemberLogin(secretary.id)), takenAt: new Date(Date.now() - 60_000).toISOString() },
        key: `one-${randomUUID()}`,
      });
      expect(submitted.errors).toBeUndefined();
      const checkInId = submitted.data.submitPhotoCheckIn.id;
      const own: any = await platform.query(secretary.token, CHECK_IN, { id: checkInId });
      expect(own.data.photoCheckIn).toEqual({ id: checkInId, partyMemberId: secretary.id, household: { id: secretary.householdId } });
      const week: any = await platform.query(secretary.token, MY_WEEK);
      expect(week.errors).toBeUndefined();
      expect(week.data.myPhotoCheckIns).toMatchObject({ partyMemberId: secretary.id });
      expect(week.data.myPhotoCheckIns.checkIns.edges.map((e: any) => e.node.id)).toContain(checkInId);

      // organization: the daily patrol their community-committee post owes, with the same token.
      const logged: any = await platform.query(secretary.token, DUTY, {
        input: {
          duty: 'PATROL',
          performedAt: new Date(Date.now() - 60_000).toISOString(),
          orgUnitId: secretary.orgUnitId,
          idempotencyKey: `one-${randomUUID()}`,
        },
      });
      expect(logged.errors).toBeUndefined();
      expect(logged.data.recordDutyLog).toMatchObject({ duty: 'PATROL', partyMemberId: secretary.id, partyOrgId: secretary.committeeId });

      // organization: their own vanguard index.
      const index: any = await platform.query(secretary.token, INDEX, { member: secretary.id, month });
      expect(index.errors).toBeUndefined();
      expect(index.data.vanguardIndex).toMatchObject({ memberId: secretary.id, month });
    });

    it("is refused another member's photo, check-in and index, writing nothing", async () => {
      const before = { secretary: await written(secretary.id), other: await written(other.id) };

      const theirPhoto = await platform.query(secretary.token, SUBMIT, {
        input: { photoId: await photoOf(partyMemberLogin(other.id)), takenAt: new Date(Date.now() - 60_000).toISOString() },
        key: `theirs-${randomUUID()}`,
      });
      expect({ codes: errorCodes(theirPhoto), reason: reasonOf(theirPhoto) }).toEqual({ codes: ['FORBIDDEN'], reason: 'NOT_YOUR_PHOTO' });
      const theirCheckIn = await platform.query(secretary.token, CHECK_IN, { id: other.checkInId });
      expect({ codes: errorCodes(theirCheckIn), reason: reasonOf(theirCheckIn) }).toEqual({ codes: ['FORBIDDEN'], reason: 'OUT_OF_SCOPE' });
      const theirIndex = await platform.query(secretary.token, INDEX, { member: other.id, month });
      expect({ codes: errorCodes(theirIndex), reason: reasonOf(theirIndex) }).toEqual({ codes: ['FORBIDDEN'], reason: 'OWN_INDEX_ONLY' });

      // The member id alone is no login: no second identity for the same person.
      const bare = await platform.token([Role.PARTY_MEMBER], secretary.communityId, secretary.id);
      const bareCheckIn = await platform.query(bare, SUBMIT, {
        input: { photoId: await photoOf(secretary.id), takenAt: new Date(Date.now() - 60_000).toISOString() },
        key: `bare-${randomUUID()}`,
      });
      expect({ codes: errorCodes(bareCheckIn), reason: reasonOf(bareCheckIn) }).toEqual({
        codes: ['BAD_USER_INPUT'],
        reason: 'NOT_A_REGISTERED_MEMBER',
      });
      const bareDuty = await platform.query(bare, DUTY, {
        input: {
          duty: 'PATROL',
          performedAt: new Date(Date.now() - 60_000).toISOString(),
          orgUnitId: secretary.orgUnitId,
          idempotencyKey: `bare-${randomUUID()}`,
        },
      });
      expect({ codes: errorCodes(bareDuty), reason: reasonOf(bareDuty) }).toEqual({ codes: ['FORBIDDEN'], reason: 'NO_SUCH_DUTY' });

      expect({ secretary: await written(secretary.id), other: await written(other.id) }).toEqual(before);
    });
  });
});
