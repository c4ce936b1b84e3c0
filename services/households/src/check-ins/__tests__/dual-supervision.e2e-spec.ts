import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { shanghaiDate } from '#libs/calendar';
import { ServiceName } from '#libs/messaging';
import { errorCodes, startPlatform, waitFor, type GraphQLResponse, type TestPlatform } from '#libs/testing';

const SUBMIT = `mutation($input: SubmitPhotoCheckInInput!, $key: String!) { submitPhotoCheckIn(input: $input, idempotencyKey: $key) { id } }`;
const REVIEW = `mutation($id: ID!, $verdict: CheckInVerdict!) {
  reviewPhotoCheckIn(id: $id, branch: WORK, verdict: $verdict) { id reviewStatus workReview { verdict reviewerId } } }`;
const APPOINT = `mutation($org: ID!, $member: ID!, $startsOn: LocalDate!) { appointSecretary(partyOrgId: $org, memberId: $member, startsOn: $startsOn) { id } }`;

const reasonOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.reason;

/**
 * Dual supervision (双重监督): a check-in's work-branch review is given only by the current secretary of the member's
 * own work-unit branch, as organization announces registrations and secretary posts to households.
 */
describe('work-branch reviews of check-ins by the member\'s own branch secretary, through the gateway', () => {
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
      [`test/${randomUUID()}.jpg`, member.id],
    );
    const response: any = await platform.query(member.token, SUBMIT, {
      input: { photoId, takenAt: new Date(Date.now() - 60_000).toISOString(), note: '厨余垃圾已沥水破袋' }, key: `dual-${randomUUID()}`,
    });
    expect(response.errors).toBeUndefined();
    return response.data.submitPhotoCheckIn.id;
  }

  beforeAll(async () => {
    platform = await startPlatform();
    const residents: { id: string }[] = await households().query(`SELECT party_member_id AS id FROM resident WHERE party_member_id IS NOT NULL`);
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
    member.token = await platform.token([Role.PARTY_MEMBER], member.communityId, member.id);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it("refuses another branch's secretary, writing nothing, and accepts the member's own", async () => {
    const checkIn = await submit();

    const refused = await review(otherSecretary, checkIn);
    expect({ codes: errorCodes(refused), reason: reasonOf(refused) }).toEqual({ codes: ['FORBIDDEN'], reason: 'NOT_MEMBERS_BRANCH_SECRETARY' });
    expect(await workReviewOf(checkIn)).toEqual({ verdict: null, by: null });

    const accepted: any = await review(member.secretaryUserId, checkIn);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.reviewPhotoCheckIn).toMatchObject({
      reviewStatus: 'PARTLY_REVIEWED', workReview: { verdict: 'APPROVED', reviewerId: member.secretaryUserId },
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
    await waitFor("households' copy of the new secretary post", async () => (await households().query(
      `SELECT 1 FROM work_unit_branch_secretary_copy WHERE branch_id = $1 AND user_id = $2`, [member.branchId, successor.userId])).length > 0);

    const checkIn = await submit();
    const refused = await review(member.secretaryUserId, checkIn);
    expect({ codes: errorCodes(refused), reason: reasonOf(refused) }).toEqual({ codes: ['FORBIDDEN'], reason: 'NOT_MEMBERS_BRANCH_SECRETARY' });
    expect(await workReviewOf(checkIn)).toEqual({ verdict: null, by: null });

    const accepted: any = await review(successor.userId, checkIn);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.reviewPhotoCheckIn.workReview).toEqual({ verdict: 'APPROVED', reviewerId: successor.userId });
  });
});
