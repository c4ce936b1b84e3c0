import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { ServiceName } from '#libs/messaging';
import { dataOf, errorCodes, reasonOf } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';
import { ReparentMisplacedPartyOrgs1796000000190 } from '../../database/migrations/1796000000190-reparentMisplacedPartyOrgs.js';

const ORG = 'id kind name parent { id kind } ancestors { id kind } memberCount';
const PARTY_ORG = `query($id: ID!) { partyOrg(id: $id) { ${ORG} } }`;
const ORGS_OF_UNIT = `query($unit: ID!) { partyOrgs(orgUnitId: $unit, first: 100) { edges { node { ${ORG} } } } }`;
const CREATE_UNIT = `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`;
const MOVE = `mutation($id: ID!, $parentId: ID!) { moveOrgUnit(id: $id, parentId: $parentId) { id parent { id } } }`;
const CREATE_ORG = `mutation($input: CreatePartyOrgInput!) { createPartyOrg(input: $input) { id } }`;
const CREATE_MEMBER = `mutation($input: CreatePartyMemberInput!) { createPartyMember(input: $input) { id } }`;
const REGISTER = `mutation($m: ID!, $b: ID!) { registerWithBranch(memberId: $m, branchId: $b) { id } }`;

/**
 * Party organisations follow their territory unit: moving a community to another street takes its committee (and
 * everything under it) to the new street's committee; moving a compound takes its branch to the new community's
 * committee; a destination without a committee refuses the move and writes nothing.
 */
describe('party organisations follow their unit when it moves', () => {
  let platform: TestPlatform;
  let admin: string;
  let streetA: { id: string; name: string };
  let streetB: { id: string; name: string };
  let districtCommittee: string;
  let streetACommittee: string;
  let streetBCommittee: string;

  const orgDb = () => platform.database(ServiceName.Organization);
  const orgOf = async (kind: string, unit: string): Promise<string> =>
    (await orgDb().query(`SELECT id FROM party_org WHERE kind = $1 AND org_unit_id = $2`, [kind, unit]))[0].id;
  /** Both trees and the outbox, as rows to compare before and after. */
  const snapshot = async () => ({
    units: await orgDb().query(`SELECT id, parent_id, path::text[] AS path FROM org_unit ORDER BY id`),
    orgs: await orgDb().query(`SELECT id, parent_id, path::text[] AS path FROM party_org ORDER BY id`),
    events: (await orgDb().query(`SELECT count(*)::int AS count FROM outbox_event`))[0].count,
  });

  const ok = <T = any>(token: string, query: string, variables: Record<string, unknown> = {}) =>
    dataOf<T>(platform.query(token, query, variables));

  const partyOrg = async (id: string) => (await ok(admin, PARTY_ORG, { id })).partyOrg;
  const memberCount = async (id: string): Promise<number> => (await partyOrg(id)).memberCount;
  const unit = async (kind: string, parentId: string, name: string): Promise<string> =>
    (await ok(admin, CREATE_UNIT, { input: { kind, parentId, name } })).createOrgUnit.id;
  const org = async (kind: string, name: string, parentId: string, tie: { orgUnitId?: string; institutionId?: string }): Promise<string> =>
    (await ok(admin, CREATE_ORG, { input: { kind, name, parentId, ...tie } })).createPartyOrg.id;

  /** Members of `community` registered (community registration) with `branch`: they count for every organisation above it. */
  async function registerMembers(community: string, branch: string, count: number): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      const member = (await ok(admin, CREATE_MEMBER, { input: { name: '李卫东', userId: `user-${randomUUID()}`, communityId: community } }))
        .createPartyMember;
      await ok(admin, REGISTER, { m: member.id, b: branch });
    }
  }

  /**
   * A community under `street` with its committee, community branch, one compound with its branch, and members:
   * two registered with the community branch, three with the compound branch.
   */
  async function communityWithCommittee(street: string, streetCommittee: string, name: string) {
    const community = await unit('COMMUNITY', street, `${name}社区`);
    const compound = await unit('COMPOUND', community, `${name}花园`);
    const committee = await org('COMMUNITY_COMMITTEE', `中共${name}社区委员会`, streetCommittee, { orgUnitId: community });
    const communityBranch = await org('COMMUNITY_BRANCH', `${name}社区党支部`, committee, { orgUnitId: community });
    const compoundBranch = await org('COMPOUND_BRANCH', `${name}花园党支部`, committee, { orgUnitId: compound });
    await registerMembers(community, communityBranch, 2);
    await registerMembers(community, compoundBranch, 3);
    return { community, compound, committee, communityBranch, compoundBranch };
  }

  /** Every organisation's path is its parent's path and itself, and every territorial tie lies under its parent's unit. */
  async function expectPartyTreeConsistent(): Promise<void> {
    const badPaths = await orgDb().query(
      `SELECT o.id FROM party_org o LEFT JOIN party_org p ON p.id = o.parent_id
        WHERE o.path IS DISTINCT FROM (CASE WHEN p.id IS NULL THEN ARRAY[o.id] ELSE p.path || o.id END)`,
    );
    expect(badPaths).toEqual([]);
    const outsideParent = await orgDb().query(
      `SELECT o.name FROM party_org o
         LEFT JOIN institution i ON i.id = o.institution_id
         JOIN org_unit anchor ON anchor.id = COALESCE(o.org_unit_id, i.org_unit_id)
         JOIN party_org p ON p.id = o.parent_id AND p.kind IN ('STREET_COMMITTEE', 'COMMUNITY_COMMITTEE')
        WHERE NOT anchor.path @> ARRAY[p.org_unit_id]`,
    );
    expect(outsideParent).toEqual([]);
  }

  beforeAll(async () => {
    platform = await startPlatform();
    admin = await platform.token([Role.DISTRICT_ADMIN]);
    [streetA, streetB] = platform.plan.streets;
    districtCommittee = await orgOf('DISTRICT_COMMITTEE', platform.plan.district.id);
    streetACommittee = await orgOf('STREET_COMMITTEE', streetA.id);
    streetBCommittee = await orgOf('STREET_COMMITTEE', streetB.id);
  });

  afterAll(async () => {
    await platform.stop();
  });

  it("moves a community committee, its branches and its work-unit branches to the new street's committee", async () => {
    const moving = await communityWithCommittee(streetA.id, streetACommittee, '迁移');
    // An employer located in the moving compound, with its branch under street A's committee and one member.
    const employer = (
      await orgDb().query(
        `INSERT INTO institution (kind, name, credit_code, org_unit_id) VALUES ('EMPLOYER', '迁移测试科技有限公司', '91330212MA2GQ8TE5X', $1) RETURNING id`,
        [moving.compound],
      )
    )[0].id as string;
    const employerBranch = await org('WORK_UNIT_BRANCH', '迁移测试科技有限公司党支部', streetACommittee, { institutionId: employer });
    const worker = (
      await ok(admin, CREATE_MEMBER, {
        input: { name: '周晓峰', userId: `user-${randomUUID()}`, communityId: moving.community, institutionId: employer },
      })
    ).createPartyMember;
    await ok(admin, REGISTER, { m: worker.id, b: employerBranch });

    const streetABefore = await memberCount(streetACommittee);
    const streetBBefore = await memberCount(streetBCommittee);
    expect(await memberCount(moving.committee)).toBe(5);
    const streetBAdmin = await platform.token([Role.STREET_ADMIN], streetB.id);
    const streetAAdmin = await platform.token([Role.STREET_ADMIN], streetA.id);
    expect(errorCodes(await platform.query(streetBAdmin, PARTY_ORG, { id: moving.committee }))).toEqual(['FORBIDDEN']);

    expect((await ok(admin, MOVE, { id: moving.community, parentId: streetB.id })).moveOrgUnit.parent.id).toBe(streetB.id);

    // The committee now answers to street B's committee; its subtree's ancestors follow.
    const committee = await partyOrg(moving.committee);
    expect(committee.parent).toEqual({ id: streetBCommittee, kind: 'STREET_COMMITTEE' });
    expect(committee.ancestors.map((a: any) => a.id)).toEqual([districtCommittee, streetBCommittee]);
    const orgs = (await ok(admin, ORGS_OF_UNIT, { unit: moving.community })).partyOrgs.edges.map((e: any) => e.node);
    expect(Object.fromEntries(orgs.map((o: any) => [o.id, o.ancestors.map((a: any) => a.id)]))).toEqual({
      [moving.committee]: [districtCommittee, streetBCommittee],
      [moving.communityBranch]: [districtCommittee, streetBCommittee, moving.committee],
      [moving.compoundBranch]: [districtCommittee, streetBCommittee, moving.committee],
      [employerBranch]: [districtCommittee, streetBCommittee],
    });
    expect((await partyOrg(employerBranch)).parent).toEqual({ id: streetBCommittee, kind: 'STREET_COMMITTEE' });

    // Its six members (five of the community, one of the employer) now count for street B, no longer for street A.
    expect(await memberCount(moving.committee)).toBe(5);
    expect(await memberCount(streetACommittee)).toBe(streetABefore - 6);
    expect(await memberCount(streetBCommittee)).toBe(streetBBefore + 6);

    // Scope follows the unit: street B's administrator manages the committee now, street A's no longer sees it.
    expect((await ok(streetBAdmin, PARTY_ORG, { id: moving.compoundBranch })).partyOrg.ancestors.map((a: any) => a.id)).toEqual([
      streetBCommittee,
      moving.committee,
    ]);
    expect(errorCodes(await platform.query(streetAAdmin, PARTY_ORG, { id: moving.committee }))).toEqual(['FORBIDDEN']);
    const children = await ok(streetBAdmin, `query($id: ID!) { partyOrg(id: $id) { children(first: 500) { edges { node { id } } } } }`, {
      id: streetBCommittee,
    });
    expect(children.partyOrg.children.edges.map((e: any) => e.node.id)).toEqual(expect.arrayContaining([moving.committee, employerBranch]));
    await expectPartyTreeConsistent();
  });

  it("moves a compound branch to the committee of the compound's new community", async () => {
    const from = await communityWithCommittee(streetA.id, streetACommittee, '东门');
    const to = await communityWithCommittee(streetB.id, streetBCommittee, '西门');
    const before = {
      from: await memberCount(from.committee),
      to: await memberCount(to.committee),
      streetA: await memberCount(streetACommittee),
      streetB: await memberCount(streetBCommittee),
    };

    await ok(admin, MOVE, { id: from.compound, parentId: to.community });

    const branch = await partyOrg(from.compoundBranch);
    expect(branch.parent).toEqual({ id: to.committee, kind: 'COMMUNITY_COMMITTEE' });
    expect(branch.ancestors.map((a: any) => a.id)).toEqual([districtCommittee, streetBCommittee, to.committee]);
    // The three members registered with the compound branch went with it.
    expect(await memberCount(from.committee)).toBe(before.from - 3);
    expect(await memberCount(to.committee)).toBe(before.to + 3);
    expect(await memberCount(streetACommittee)).toBe(before.streetA - 3);
    expect(await memberCount(streetBCommittee)).toBe(before.streetB + 3);
    // The community branch stays with its community's committee.
    expect((await partyOrg(from.communityBranch)).parent.id).toBe(from.committee);
    await expectPartyTreeConsistent();
  });

  it('refuses to move a community with a committee to a street without one (CONFLICT, NO_PARTY_ORG_AT_DESTINATION), writing nothing', async () => {
    const moving = await communityWithCommittee(streetA.id, streetACommittee, '孤岛');
    const bareStreet = await unit('STREET', platform.plan.district.id, '无党委街道');
    const before = await snapshot();

    const refused = await platform.query(admin, MOVE, { id: moving.community, parentId: bareStreet });
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(reasonOf(refused)).toBe('NO_PARTY_ORG_AT_DESTINATION');
    expect(refused.errors![0].message).toMatch(/中共孤岛社区委员会.*STREET_COMMITTEE \(镇街党委\) of 无党委街道/);
    expect(refused.errors![0].extensions!.details).toMatchObject({
      partyOrgs: [{ id: moving.committee, kind: 'COMMUNITY_COMMITTEE' }],
      missing: [{ kind: 'STREET_COMMITTEE', orgUnitId: bareStreet, orgUnitName: '无党委街道' }],
    });
    expect(await snapshot()).toEqual(before);
    expect((await partyOrg(moving.committee)).parent.id).toBe(streetACommittee);

    // A compound whose branch would have no community committee is refused likewise.
    const bareCommunity = await unit('COMMUNITY', streetA.id, '无党委社区');
    const compoundRefused = await platform.query(admin, MOVE, { id: moving.compound, parentId: bareCommunity });
    expect(reasonOf(compoundRefused)).toBe('NO_PARTY_ORG_AT_DESTINATION');

    // Without a committee to strand, the move goes through; and once the street has its committee, so does the other.
    const plain = await unit('COMMUNITY', streetA.id, '无党组织社区');
    await ok(admin, MOVE, { id: plain, parentId: bareStreet });
    const newCommittee = await org('STREET_COMMITTEE', '中共无党委街道工作委员会', districtCommittee, { orgUnitId: bareStreet });
    await ok(admin, MOVE, { id: moving.community, parentId: bareStreet });
    expect((await partyOrg(moving.committee)).parent.id).toBe(newCommittee);
    expect(await memberCount(newCommittee)).toBe(5);
    await expectPartyTreeConsistent();
  });

  it('repairs, by migration, organisations that moves made before this left under the old committee', async () => {
    const misplaced = await communityWithCommittee(streetA.id, streetACommittee, '旧迁');
    const stranded = await communityWithCommittee(streetA.id, streetACommittee, '旧孤');
    const bareStreet = await unit('STREET', platform.plan.district.id, '旧无党委街道');
    // What moveOrgUnit used to do: rewrite the units' paths and leave the party tree as it was.
    const oldMove = (community: string, street: string) =>
      orgDb().query(
        `UPDATE org_unit SET path = (SELECT path FROM org_unit WHERE id = $2) || path[3:],
                           parent_id = CASE WHEN id = $1 THEN $2::uuid ELSE parent_id END
        WHERE path @> ARRAY[$1::uuid]`,
        [community, street],
      );
    await oldMove(misplaced.community, streetB.id);
    await oldMove(stranded.community, bareStreet);
    const strandedBefore = await orgDb().query(
      `SELECT id, parent_id, path::text[] AS path FROM party_org WHERE path @> ARRAY[$1::uuid] ORDER BY id`,
      [stranded.committee],
    );

    const runner = orgDb().createQueryRunner();
    try {
      await new ReparentMisplacedPartyOrgs1796000000190().up(runner);
    } finally {
      await runner.release();
    }

    const committee = await partyOrg(misplaced.committee);
    expect(committee.parent).toEqual({ id: streetBCommittee, kind: 'STREET_COMMITTEE' });
    expect((await partyOrg(misplaced.compoundBranch)).ancestors.map((a: any) => a.id)).toEqual([
      districtCommittee,
      streetBCommittee,
      misplaced.committee,
    ]);
    // With no committee at its street, the other stays where it was, for officials to settle.
    expect(
      await orgDb().query(`SELECT id, parent_id, path::text[] AS path FROM party_org WHERE path @> ARRAY[$1::uuid] ORDER BY id`, [
        stranded.committee,
      ]),
    ).toEqual(strandedBefore);
    // Put it right as officials would, so the rest of the tree is consistent again.
    await orgDb().query(
      `UPDATE org_unit SET path = (SELECT path FROM org_unit WHERE id = $2) || path[3:],
                           parent_id = CASE WHEN id = $1 THEN $2::uuid ELSE parent_id END WHERE path @> ARRAY[$1::uuid]`,
      [stranded.community, streetA.id],
    );
    await expectPartyTreeConsistent();
  });

  it('puts right, when its community moves, a compound branch an earlier move left under another committee', async () => {
    const left = await communityWithCommittee(streetA.id, streetACommittee, '旧留');
    const moving = await communityWithCommittee(streetA.id, streetACommittee, '新迁');
    // What moveOrgUnit used to do with a compound: its branch stayed under the old community's committee.
    await orgDb().query(
      `UPDATE org_unit SET path = (SELECT path FROM org_unit WHERE id = $2) || path[4:],
                           parent_id = CASE WHEN id = $1 THEN $2::uuid ELSE parent_id END
        WHERE path @> ARRAY[$1::uuid]`,
      [left.compound, moving.community],
    );

    // The community and the misplaced branch both move: the branch under the committee that is itself moving.
    await ok(admin, MOVE, { id: moving.community, parentId: streetB.id });

    expect((await partyOrg(left.compoundBranch)).ancestors.map((a: any) => a.id)).toEqual([
      districtCommittee,
      streetBCommittee,
      moving.committee,
    ]);
    expect((await partyOrg(moving.compoundBranch)).ancestors.map((a: any) => a.id)).toEqual([
      districtCommittee,
      streetBCommittee,
      moving.committee,
    ]);
    expect(await memberCount(moving.committee)).toBe(8);
    expect(await memberCount(left.committee)).toBe(2);
    await expectPartyTreeConsistent();
  });

  it('a move and its reverse leave both trees as they were', async () => {
    const seeded = platform.plan.communities.find((c) => c.parentId === streetA.id)!;
    const committee = await orgOf('COMMUNITY_COMMITTEE', seeded.id);
    const before = await snapshot();
    const countsBefore = [await memberCount(streetACommittee), await memberCount(streetBCommittee), await memberCount(committee)];

    await ok(admin, MOVE, { id: seeded.id, parentId: streetB.id });
    expect((await partyOrg(committee)).parent.id).toBe(streetBCommittee);
    await ok(admin, MOVE, { id: seeded.id, parentId: streetA.id });

    const after = await snapshot();
    expect(after.units).toEqual(before.units);
    expect(after.orgs).toEqual(before.orgs);
    expect([await memberCount(streetACommittee), await memberCount(streetBCommittee), await memberCount(committee)]).toEqual(countsBefore);
    await expectPartyTreeConsistent();
  });
});
