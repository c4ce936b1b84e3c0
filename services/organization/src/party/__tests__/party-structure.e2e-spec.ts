import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role, partyMemberLogin } from '#libs/auth';
import { ServiceName } from '#libs/messaging';
import { dataOf, errorCodes, postGraphQL, reasonOf, type GraphQLResponse } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';

const ORG = 'id kind labelZh name parent { id kind } orgUnit { id kind } institution { id kind } memberCount';
const CREATE_ORG = `mutation($input: CreatePartyOrgInput!) { createPartyOrg(input: $input) { ${ORG} } }`;
const ORGS = `query($kind: PartyOrgKind, $parentId: ID, $orgUnitId: ID, $first: Int, $after: String) {
  partyOrgs(kind: $kind, parentId: $parentId, orgUnitId: $orgUnitId, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id kind name orgUnit { id } institution { id } } } } }`;
const MEMBER = `id labelZh name phone personalDataMasked householdId community { id } institution { id }
  dualRegistration { labelZh complete workUnit { id labelZh confirmed branch { id } } community { id labelZh confirmed branch { id } } }`;
const CREATE_MEMBER = `mutation($input: CreatePartyMemberInput!) { createPartyMember(input: $input) { ${MEMBER} } }`;
const REGISTER = `mutation($m: ID!, $b: ID!) { registerWithBranch(memberId: $m, branchId: $b) { id kind labelZh confirmed branch { id kind } } }`;
const CONFIRM = `mutation($id: ID!) { confirmBranchRegistration(id: $id) { id confirmed confirmedAt } }`;
const APPOINT = `mutation($org: ID!, $member: ID!, $startsOn: LocalDate!) {
  appointSecretary(partyOrgId: $org, memberId: $member, startsOn: $startsOn) {
    id secretary { id name } secretaries(first: 10) { edges { node { startsOn endsOn member { id } } } } } }`;

describe('the party structure (1 + 3 + N) through the gateway', () => {
  let platform: TestPlatform;
  let admin: string;
  let streetA: { id: string; name: string };
  let streetB: { id: string; name: string };
  let communityA: string;
  let communityB: string;

  const orgDb = () => platform.database(ServiceName.Organization);
  const count = async (sql: string, params: unknown[] = []) => (await orgDb().query(sql, params))[0].count as number;
  const orgCount = () => count(`SELECT count(*)::int AS count FROM party_org`);
  const orgOf = async (kind: string, tie: string): Promise<string> =>
    (await orgDb().query(`SELECT id FROM party_org WHERE kind = $1 AND (org_unit_id = $2 OR institution_id = $2)`, [kind, tie]))[0].id;
  const communitySecretary = (community: string) =>
    platform.token([Role.COMMUNITY_SECRETARY], community, `community-secretary-${community}`);

  const ok = <T = any>(token: string, query: string, variables: Record<string, unknown> = {}) =>
    dataOf<T>(platform.query(token, query, variables));

  async function newMember(community: string, extra: Record<string, unknown> = {}): Promise<{ id: string; userId: string }> {
    const userId = `user-${randomUUID()}`;
    const data = await ok(admin, CREATE_MEMBER, {
      input: { name: '陈建华', phone: '13812345678', userId, communityId: community, ...extra },
    });
    return { id: data.createPartyMember.id, userId };
  }

  beforeAll(async () => {
    platform = await startPlatform();
    admin = await platform.token([Role.DISTRICT_ADMIN]);
    [streetA, streetB] = platform.plan.streets;
    communityA = platform.plan.communities.find((c) => c.parentId === streetA.id)!.id;
    communityB = platform.plan.communities.find((c) => c.parentId === streetB.id)!.id;
  });

  afterAll(async () => {
    await platform.stop();
  });

  it("seeds party members exactly matching households' demo party members, each organisation with a secretary", async () => {
    const fromHouseholds: { id: string; household: string; institution: string; name: string; community: string }[] =
      await platform.database(ServiceName.Households)
        .query(`SELECT r.party_member_id AS id, r.household_id AS household, r.institution_id AS institution, r.name, t.parent_id AS community
                FROM resident r JOIN household h ON h.id = r.household_id JOIN territory_unit t ON t.id = h.compound_id
               WHERE r.party_member_id IS NOT NULL ORDER BY r.party_member_id`);
    const fromOrganization = await orgDb().query(
      `SELECT id, household_id AS household, institution_id AS institution, name, community_id AS community
         FROM party_member WHERE user_id = 'member-' || id AND household_id IS NOT NULL ORDER BY id`,
    );
    expect(fromHouseholds.length).toBeGreaterThan(5);
    expect(fromOrganization).toEqual(fromHouseholds);

    expect(
      await count(`SELECT count(*)::int AS count FROM party_org o WHERE NOT EXISTS (
      SELECT 1 FROM party_org_position p WHERE p.party_org_id = o.id AND p.ends_on IS NULL)`),
    ).toBe(0);
    const [registrations] = await orgDb().query(
      `SELECT count(*) FILTER (WHERE confirmed_at IS NOT NULL)::int AS confirmed, count(*) FILTER (WHERE confirmed_at IS NULL)::int AS pending
         FROM branch_registration WHERE registered_by = 'demo-seed'`,
    );
    expect(registrations.confirmed).toBeGreaterThan(registrations.pending);
    expect(registrations.pending).toBeGreaterThan(0);
  });

  it("gives a member created without an account their phone login member-<id>, and hands nobody another member's", async () => {
    const created = (await ok(admin, CREATE_MEMBER, { input: { name: '孙立群', communityId: communityA } })).createPartyMember;
    const [{ userId }] = await orgDb().query(`SELECT user_id AS "userId" FROM party_member WHERE id = $1`, [created.id]);
    expect(userId).toBe(partyMemberLogin(created.id));
    const mine = await ok(
      await platform.token([Role.PARTY_MEMBER], communityA, userId),
      `query { myPartyMember { id } viewer { partyMemberId } }`,
    );
    expect(mine).toEqual({ myPartyMember: { id: created.id }, viewer: { partyMemberId: created.id } });

    const before = await count(`SELECT count(*)::int AS count FROM party_member`);
    const taken = await platform.query(admin, CREATE_MEMBER, {
      input: { name: '冒名者', userId: partyMemberLogin(created.id), communityId: communityA },
    });
    expect({ codes: errorCodes(taken), reason: reasonOf(taken) }).toEqual({ codes: ['BAD_USER_INPUT'], reason: 'RESERVED_LOGIN' });
    expect(await count(`SELECT count(*)::int AS count FROM party_member`)).toBe(before);
    // The database keeps it too: no row carries a login naming another member.
    await expect(
      orgDb().query(`UPDATE party_member SET user_id = $2 WHERE id = $1`, [created.id, partyMemberLogin(randomUUID())]),
    ).rejects.toThrow(/party_member_login_names_itself/);
  });

  it('builds a hierarchy: community committee under the street committee, its community and compound branches', async () => {
    const streetCommittee = await orgOf('STREET_COMMITTEE', streetA.id);
    const community = (
      await ok(admin, `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, {
        input: { kind: 'COMMUNITY', parentId: streetA.id, name: '党建测试社区' },
      })
    ).createOrgUnit.id;
    const compound = (
      await ok(admin, `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, {
        input: { kind: 'COMPOUND', parentId: community, name: '党建测试花园' },
      })
    ).createOrgUnit.id;

    const committee = (
      await ok(admin, CREATE_ORG, {
        input: { kind: 'COMMUNITY_COMMITTEE', name: '中共党建测试社区委员会', parentId: streetCommittee, orgUnitId: community },
      })
    ).createPartyOrg;
    expect(committee).toMatchObject({
      kind: 'COMMUNITY_COMMITTEE',
      labelZh: '社区党委',
      parent: { id: streetCommittee, kind: 'STREET_COMMITTEE' },
      orgUnit: { id: community, kind: 'COMMUNITY' },
      institution: null,
      memberCount: 0,
    });
    const branch = (
      await ok(admin, CREATE_ORG, {
        input: { kind: 'COMMUNITY_BRANCH', name: '党建测试社区党支部', parentId: committee.id, orgUnitId: community },
      })
    ).createPartyOrg;
    expect(branch).toMatchObject({ labelZh: '社区支部', parent: { id: committee.id } });
    const compoundBranch = (
      await ok(admin, CREATE_ORG, {
        input: { kind: 'COMPOUND_BRANCH', name: '党建测试花园党支部', parentId: committee.id, orgUnitId: compound },
      })
    ).createPartyOrg;
    expect(compoundBranch).toMatchObject({ labelZh: '小区支部', orgUnit: { id: compound, kind: 'COMPOUND' } });

    const tree = await ok(
      admin,
      `query($id: ID!) { partyOrg(id: $id) { kind labelZh children(first: 10) { totalCount edges { node { kind labelZh name } } } } }`,
      { id: committee.id },
    );
    expect(tree.partyOrg.children.edges.map((e: any) => [e.node.kind, e.node.labelZh])).toEqual([
      ['COMMUNITY_BRANCH', '社区支部'],
      ['COMPOUND_BRANCH', '小区支部'],
    ]);

    // A department committee's work-unit branch for one of its sector units (a school under the education bureau).
    const bureau = (await orgDb().query(`SELECT id FROM institution WHERE name = '鄞州区教育局'`))[0].id;
    const school = platform.plan.institutions.find((i) => i.kind === 'SCHOOL')!;
    const institution = await ok(admin, `query($id: ID!) { institution(id: $id) { parent { id name } } }`, { id: school.id });
    expect(institution.institution.parent).toEqual({ id: bureau, name: '鄞州区教育局' });
    const departmentCommittee = await orgOf('DEPARTMENT_COMMITTEE', bureau);
    const seededBranch = await ok(admin, `query($id: ID!) { partyOrg(id: $id) { kind labelZh parent { id kind } institution { id } } }`, {
      id: await orgOf('WORK_UNIT_BRANCH', school.id),
    });
    expect(seededBranch.partyOrg).toMatchObject({
      labelZh: '单位支部',
      parent: { id: departmentCommittee, kind: 'DEPARTMENT_COMMITTEE' },
      institution: { id: school.id },
    });
  });

  it('refuses a branch under the wrong kind of organisation, a wrong tie and a duplicate, writing nothing', async () => {
    const streetCommittee = await orgOf('STREET_COMMITTEE', streetA.id);
    const communityCommittee = await orgOf('COMMUNITY_COMMITTEE', communityA);
    const compound = platform.plan.compounds.find((c) => c.parentId === communityA)!.id;
    const before = await orgCount();
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { kind: 'COMPOUND_BRANCH', name: '错位支部', parentId: streetCommittee, orgUnitId: compound },
        'BAD_USER_INPUT',
        'INVALID_PARENT_KIND',
      ],
      [
        { kind: 'COMMUNITY_COMMITTEE', name: '错位党委', parentId: communityCommittee, orgUnitId: communityA },
        'BAD_USER_INPUT',
        'INVALID_PARENT_KIND',
      ],
      [{ kind: 'COMMUNITY_COMMITTEE', name: '错位党委', parentId: streetCommittee, orgUnitId: compound }, 'BAD_USER_INPUT', 'INVALID_TIE'],
      [{ kind: 'WORK_UNIT_BRANCH', name: '错位支部', parentId: streetCommittee, orgUnitId: communityA }, 'BAD_USER_INPUT', 'INVALID_TIE'],
      [{ kind: 'COMMUNITY_COMMITTEE', name: '重复党委', parentId: streetCommittee, orgUnitId: communityA }, 'CONFLICT', 'ALREADY_EXISTS'],
    ];
    for (const [input, code, reason] of cases) {
      const response = await platform.query(admin, CREATE_ORG, { input });
      expect({ input, codes: errorCodes(response), reason: reasonOf(response) }).toEqual({ input, codes: [code], reason });
    }
    expect(
      response(
        await platform.query(admin, CREATE_ORG, {
          input: { kind: 'COMPOUND_BRANCH', name: '错位支部', parentId: streetCommittee, orgUnitId: compound },
        }),
      ),
    ).toMatch(/COMPOUND_BRANCH belongs under a COMMUNITY_COMMITTEE, not under a STREET_COMMITTEE/);
    expect(await orgCount()).toBe(before);
    // The database refuses it too, should anything get past the service.
    await expect(
      orgDb().query(
        `INSERT INTO party_org (kind, name, parent_id, path, org_unit_id) VALUES ('COMPOUND_BRANCH', '绕过支部', $1, ARRAY[$1::uuid], $2)`,
        [streetCommittee, compound],
      ),
    ).rejects.toMatchObject({ code: '23514' });

    function response(r: GraphQLResponse): string {
      return r.errors![0].message;
    }
  });

  it('refuses a second community registration (two community branches) as CONFLICT ALREADY_REGISTERED, writing nothing', async () => {
    const member = await newMember(communityA);
    const compound = platform.plan.compounds.find((c) => c.parentId === communityA)!.id;
    const first = await ok(admin, REGISTER, { m: member.id, b: await orgOf('COMPOUND_BRANCH', compound) });
    expect(first.registerWithBranch).toMatchObject({
      kind: 'COMMUNITY',
      labelZh: '社区报到',
      confirmed: false,
      branch: { kind: 'COMPOUND_BRANCH' },
    });
    const second = await platform.query(admin, REGISTER, { m: member.id, b: await orgOf('COMMUNITY_BRANCH', communityA) });
    expect(errorCodes(second)).toEqual(['CONFLICT']);
    expect(reasonOf(second)).toBe('ALREADY_REGISTERED');
    expect(await count(`SELECT count(*)::int AS count FROM branch_registration WHERE party_member_id = $1`, [member.id])).toBe(1);

    // Racing requests: exactly one registration is written.
    const racer = await newMember(communityA);
    const branches = platform.plan.compounds.filter((c) => c.parentId === communityA).slice(0, 2);
    const responses = await Promise.all(
      branches.map(async (c) => platform.query(admin, REGISTER, { m: racer.id, b: await orgOf('COMPOUND_BRANCH', c.id) })),
    );
    expect(responses.map((r) => (r.errors ? reasonOf(r) : 'ok')).sort()).toEqual(['ALREADY_REGISTERED', 'ok']);
    expect(await count(`SELECT count(*)::int AS count FROM branch_registration WHERE party_member_id = $1`, [racer.id])).toBe(1);

    // A committee is not a branch one registers with.
    const wrong = await platform.query(admin, REGISTER, { m: racer.id, b: await orgOf('COMMUNITY_COMMITTEE', communityA) });
    expect(reasonOf(wrong)).toBe('NOT_A_BRANCH');
  });

  it("completes dual registration when each branch's secretary confirms; a stranger and the other branch's secretary are refused", async () => {
    // A seeded work-unit branch (an employer's under street A's committee if there is one), with its seeded secretary.
    const [{ id: workBranch, institution }] = await orgDb().query(
      `SELECT o.id, o.institution_id AS institution FROM party_org o JOIN party_org p ON p.id = o.parent_id
        WHERE o.kind = 'WORK_UNIT_BRANCH' ORDER BY (p.org_unit_id = $1) DESC NULLS LAST, o.name LIMIT 1`,
      [streetA.id],
    );
    const employer = { id: institution as string };
    const compound = platform.plan.compounds.find((c) => c.parentId === communityA)!.id;
    const homeBranch = await orgOf('COMPOUND_BRANCH', compound);
    const member = await newMember(communityA, { institutionId: employer.id });
    const workSecretary = await newMember(communityB, { institutionId: employer.id });
    const homeSecretary = await newMember(communityA);

    const appointed = (await ok(admin, APPOINT, { org: workBranch, member: workSecretary.id, startsOn: '2025-06-01' })).appointSecretary;
    expect(appointed.secretary.id).toBe(workSecretary.id);
    // The previous secretary's post ended the day before; history is kept.
    expect(appointed.secretaries.edges.map((e: any) => e.node)).toEqual([
      { startsOn: '2025-06-01', endsOn: null, member: { id: workSecretary.id } },
      expect.objectContaining({ endsOn: '2025-05-31' }),
    ]);
    await ok(admin, APPOINT, { org: homeBranch, member: homeSecretary.id, startsOn: '2025-06-01' });

    const work = (await ok(admin, REGISTER, { m: member.id, b: workBranch })).registerWithBranch;
    const home = (await ok(admin, REGISTER, { m: member.id, b: homeBranch })).registerWithBranch;
    expect(work.kind).toBe('WORK_UNIT');

    const workToken = await platform.token([Role.BRANCH_SECRETARY], null, workSecretary.userId);
    const homeToken = await platform.token([Role.PARTY_MEMBER], communityA, homeSecretary.userId);
    const stranger = await platform.token([Role.PARTY_MEMBER], communityA, `user-${randomUUID()}`);
    const refused = await platform.query(stranger, CONFIRM, { id: work.id });
    expect([errorCodes(refused), reasonOf(refused)]).toEqual([['FORBIDDEN'], 'NOT_BRANCH_SECRETARY']);
    const crossed = await platform.query(workToken, CONFIRM, { id: home.id });
    expect(errorCodes(crossed)).toEqual(['FORBIDDEN']);

    const status = async () =>
      (await ok(admin, `query($id: ID!) { partyMember(id: $id) { ${MEMBER} } }`, { id: member.id })).partyMember.dualRegistration;
    expect(await status()).toMatchObject({
      labelZh: '双报到',
      complete: false,
      workUnit: { confirmed: false },
      community: { confirmed: false },
    });
    expect((await ok(workToken, CONFIRM, { id: work.id })).confirmBranchRegistration.confirmed).toBe(true);
    expect(await status()).toMatchObject({
      complete: false,
      workUnit: { confirmed: true, labelZh: '单位报到' },
      community: { confirmed: false },
    });
    expect((await ok(homeToken, CONFIRM, { id: home.id })).confirmBranchRegistration.confirmed).toBe(true);
    expect(await status()).toMatchObject({
      complete: true,
      workUnit: { branch: { id: workBranch } },
      community: { branch: { id: homeBranch } },
    });

    // A branch secretary reads their branch's members and their own record, not the district's members.
    const listed = await ok(workToken, `{ partyMembers(first: 500) { edges { node { id personalDataMasked } } } }`);
    const listedIds = listed.partyMembers.edges.map((e: any) => e.node.id);
    expect(listedIds).toEqual(expect.arrayContaining([member.id, workSecretary.id]));
    expect(listedIds).not.toContain(homeSecretary.id);
    const registered: { id: string }[] = await orgDb().query(
      `SELECT party_member_id AS id FROM branch_registration WHERE branch_id = $1 AND ended_at IS NULL`,
      [workBranch],
    );
    expect([...listedIds].sort()).toEqual([...new Set([...registered.map((r) => r.id), workSecretary.id])].sort());
    expect((await ok(workToken, `query($id: ID!) { partyMember(id: $id) { id } }`, { id: member.id })).partyMember.id).toBe(member.id);
    const outside = await platform.query(workToken, `query($id: ID!) { partyMember(id: $id) { id } }`, { id: homeSecretary.id });
    expect([errorCodes(outside), reasonOf(outside)]).toEqual([['FORBIDDEN'], 'OUT_OF_SCOPE']);

    const twice = await platform.query(homeToken, CONFIRM, { id: home.id });
    expect([errorCodes(twice), reasonOf(twice)]).toEqual([['CONFLICT'], 'ALREADY_CONFIRMED']);

    // Moving home: the registration ends, and the member may register with the new community's branch.
    await ok(admin, `mutation($id: ID!) { endBranchRegistration(id: $id) { endedAt } }`, { id: home.id });
    expect((await status()).community).toBeNull();
    await ok(admin, REGISTER, { m: member.id, b: await orgOf('COMMUNITY_BRANCH', communityA) });
  });

  it('lets a community secretary manage only their own community', async () => {
    const secretary = await communitySecretary(communityA);
    const orgs = await ok(secretary, ORGS, { first: 100 });
    const kinds = new Set(orgs.partyOrgs.edges.map((e: any) => e.node.kind));
    expect([...kinds].sort()).toEqual(['COMMUNITY_BRANCH', 'COMMUNITY_COMMITTEE', 'COMPOUND_BRANCH']);
    const ownUnits = new Set([communityA, ...platform.plan.compounds.filter((c) => c.parentId === communityA).map((c) => c.id)]);
    expect(orgs.partyOrgs.edges.every((e: any) => ownUnits.has(e.node.orgUnit.id))).toBe(true);

    const foreignCommittee = await orgOf('COMMUNITY_COMMITTEE', communityB);
    const foreignCompound = platform.plan.compounds.find((c) => c.parentId === communityB)!.id;
    const foreignMember = await newMember(communityB);
    const attempts: [string, Record<string, unknown>][] = [
      [`query($id: ID!) { partyOrg(id: $id) { id } }`, { id: foreignCommittee }],
      [`query($id: ID!) { partyMember(id: $id) { id } }`, { id: foreignMember.id }],
      [CREATE_ORG, { input: { kind: 'COMPOUND_BRANCH', name: '越权支部', parentId: foreignCommittee, orgUnitId: foreignCompound } }],
      [CREATE_MEMBER, { input: { name: '越权党员', communityId: communityB } }],
      [APPOINT, { org: foreignCommittee, member: foreignMember.id, startsOn: '2025-06-01' }],
      [REGISTER, { m: foreignMember.id, b: await orgOf('COMMUNITY_BRANCH', communityB) }],
    ];
    const orgsBefore = await orgCount();
    for (const [query, variables] of attempts) {
      const response = await platform.query(secretary, query, variables);
      expect({ query, codes: errorCodes(response), reason: reasonOf(response) }).toEqual({
        query,
        codes: ['FORBIDDEN'],
        reason: 'OUT_OF_SCOPE',
      });
    }
    expect(await orgCount()).toBe(orgsBefore);

    // Inside their community they manage members and registrations.
    const own = (await ok(secretary, CREATE_MEMBER, { input: { name: '本社区党员', communityId: communityA } })).createPartyMember;
    await ok(secretary, REGISTER, { m: own.id, b: await orgOf('COMMUNITY_BRANCH', communityA) });
    const members = await ok(secretary, `{ partyMembers(first: 500) { edges { node { id community { id } } } } }`);
    expect(members.partyMembers.edges.length).toBeGreaterThan(0);
    expect(members.partyMembers.edges.every((e: any) => e.node.community.id === communityA)).toBe(true);
  });

  it("lets a street administrator reach their street's subtree, including work-unit branches of its employers, and nothing else", async () => {
    const streetAdmin = await platform.token([Role.STREET_ADMIN], streetA.id);
    const orgs = await ok(streetAdmin, ORGS, { first: 500 });
    const mine = await orgDb().query(
      `SELECT o.id FROM party_org o LEFT JOIN org_unit u ON u.id = o.org_unit_id LEFT JOIN institution i ON i.id = o.institution_id
         LEFT JOIN org_unit iu ON iu.id = i.org_unit_id WHERE COALESCE(u.path, iu.path) @> ARRAY[$1::uuid] ORDER BY o.id`,
      [streetA.id],
    );
    expect(orgs.partyOrgs.edges.map((e: any) => e.node.id).sort()).toEqual(mine.map((row: any) => row.id).sort());
    expect(orgs.partyOrgs.edges.some((e: any) => e.node.kind === 'STREET_COMMITTEE')).toBe(true);
    expect(orgs.partyOrgs.edges.some((e: any) => e.node.kind === 'DISTRICT_COMMITTEE')).toBe(false);

    // A registration at a branch in another street is not theirs to confirm.
    const member = await newMember(communityB);
    const registration = (await ok(admin, REGISTER, { m: member.id, b: await orgOf('COMMUNITY_BRANCH', communityB) })).registerWithBranch;
    const refused = await platform.query(streetAdmin, CONFIRM, { id: registration.id });
    expect([errorCodes(refused), reasonOf(refused)]).toEqual([['FORBIDDEN'], 'OUT_OF_SCOPE']);
    const streetAdminB = await platform.token([Role.STREET_ADMIN], streetB.id);
    expect((await ok(streetAdminB, CONFIRM, { id: registration.id })).confirmBranchRegistration.confirmed).toBe(true);
  });

  it("shows a street's liaison leader, batched over a page of streets, with history when a new leader takes over", async () => {
    const streets = await ok(
      admin,
      `{ orgUnits(kind: STREET, first: 50) { edges { node { id liaisonLeader { name body labelZh title } } } } }`,
    );
    expect(streets.orgUnits.edges.every((e: any) => e.node.liaisonLeader?.labelZh)).toBe(true);

    const leader = (
      await ok(admin, `mutation($input: CreateLeaderInput!) { createLeader(input: $input) { id labelZh body } }`, {
        input: { name: '周志明', body: 'CPPCC', title: '区政协副主席' },
      })
    ).createLeader;
    expect(leader).toMatchObject({ labelZh: '区政协', body: 'CPPCC' });
    const ASSIGN = `mutation($l: ID!, $s: ID!, $d: LocalDate!) { assignLiaison(leaderId: $l, streetId: $s, startsOn: $d) { labelZh startsOn endsOn leader { id } street { id } } }`;
    const assigned = (await ok(admin, ASSIGN, { l: leader.id, s: streetB.id, d: '2025-06-01' })).assignLiaison;
    expect(assigned).toMatchObject({ startsOn: '2025-06-01', endsOn: null, leader: { id: leader.id }, street: { id: streetB.id } });
    const page = await ok(
      admin,
      `query($id: ID!) { orgUnit(id: $id) { liaisonLeader { id name labelZh } liaisons(first: 10) { edges { node { startsOn endsOn leader { id } } } } } }`,
      { id: streetB.id },
    );
    expect(page.orgUnit.liaisonLeader).toEqual({ id: leader.id, name: '周志明', labelZh: '区政协' });
    expect(page.orgUnit.liaisons.edges[0].node).toEqual({ startsOn: '2025-06-01', endsOn: null, leader: { id: leader.id } });
    expect(page.orgUnit.liaisons.edges[1].node).toMatchObject({ startsOn: '2025-01-01', endsOn: '2025-05-31' });

    const notStreet = await platform.query(admin, ASSIGN, { l: leader.id, s: communityA, d: '2025-06-01' });
    expect([errorCodes(notStreet), reasonOf(notStreet)]).toEqual([['BAD_USER_INPUT'], 'NOT_A_STREET']);
    const streetAdmin = await platform.token([Role.STREET_ADMIN], streetA.id);
    expect(errorCodes(await platform.query(streetAdmin, ASSIGN, { l: leader.id, s: streetA.id, d: '2025-07-01' }))).toEqual(['FORBIDDEN']);
    const leaders = await ok(admin, `{ leaders(body: CPPCC, first: 50) { totalCount edges { node { labelZh } } } }`);
    expect(leaders.leaders.edges.every((e: any) => e.node.labelZh === '区政协')).toBe(true);
  });

  it('masks names and phones unless the caller may read personal data or it is their own record', async () => {
    const member = await newMember(communityA);
    const query = `query($id: ID!) { partyMember(id: $id) { name phone personalDataMasked } }`;
    const streetAdmin = await platform.token([Role.STREET_ADMIN], streetA.id);
    expect((await ok(streetAdmin, query, { id: member.id })).partyMember).toEqual({
      name: '陈*华',
      phone: '138****5678',
      personalDataMasked: true,
    });
    expect((await ok(await communitySecretary(communityA), query, { id: member.id })).partyMember).toEqual({
      name: '陈建华',
      phone: '13812345678',
      personalDataMasked: false,
    });
    const self = await platform.token([Role.PARTY_MEMBER], communityA, member.userId);
    expect((await ok(self, `{ myPartyMember { id name } }`)).myPartyMember).toEqual({ id: member.id, name: '陈建华' });
    // A party member reads their own record, not others'.
    const other = await newMember(communityA);
    expect(reasonOf(await platform.query(self, query, { id: other.id }))).toBe('OUT_OF_SCOPE');
    const list = await ok(self, `{ partyMembers(first: 10) { edges { node { id } } } }`);
    expect(list.partyMembers.edges.map((e: any) => e.node.id)).toEqual([member.id]);

    // The member signs their commitment letter (承诺书) once.
    const SIGN = `mutation($id: ID!, $at: DateTime!) { signCommitmentLetter(memberId: $id, signedAt: $at) { commitmentSignedAt } }`;
    const signed = await ok(self, SIGN, { id: member.id, at: '2026-03-01T01:00:00.000Z' });
    expect(signed.signCommitmentLetter.commitmentSignedAt).toBe('2026-03-01T01:00:00.000Z');
    const again = await platform.query(self, SIGN, { id: member.id, at: '2026-03-02T01:00:00.000Z' });
    expect([errorCodes(again), reasonOf(again)]).toEqual([['CONFLICT'], 'ALREADY_SIGNED']);
  });

  it('records every unmasked read of members (who, PartyMember, which ids) in one row a request; masked reads record nothing', async () => {
    const audited = (requestId: string): Promise<{ userId: string; roles: string[]; entity: string; ids: string[] }[]> =>
      orgDb().query(
        `SELECT user_id AS "userId", roles::text[] AS roles, entity, entity_ids::text[] AS ids FROM personal_data_access WHERE request_id = $1 ORDER BY id`,
        [requestId],
      );
    const auditRows = () => count(`SELECT count(*)::int AS count FROM personal_data_access`);
    /** A request under a request id of the test's choosing, which the audit rows carry. */
    const request = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
      const requestId = `audit-${randomUUID()}`;
      const response = await postGraphQL(platform.gatewayUrl, query, variables, {
        authorization: `Bearer ${token}`,
        'x-request-id': requestId,
      });
      expect(response.errors).toBeUndefined();
      return { requestId, data: response.data as any };
    };
    const sorted = (ids: string[]) => [...ids].sort();
    const LIST = `query($c: ID) { partyMembers(communityId: $c, first: 500) { edges { node { id name phone personalDataMasked } } } }`;
    const SECRETARIES = `{ partyOrgs(first: 500) { edges { node { id secretary { id name personalDataMasked } } } } }`;
    const ONE = `query($id: ID!) { partyMember(id: $id) { id name phone personalDataMasked } }`;
    const member = await newMember(communityA);
    const secretary = await communitySecretary(communityA);
    const secretaryId = `community-secretary-${communityA}`;

    // A page of members: full names, one row naming the secretary, their roles and exactly the members on the page.
    const page = await request(secretary, LIST, { c: communityA });
    const nodes = page.data.partyMembers.edges.map((e: any) => e.node);
    expect(nodes.length).toBeGreaterThan(1);
    expect(nodes.every((n: any) => !n.personalDataMasked)).toBe(true);
    expect(nodes.find((n: any) => n.id === member.id)).toEqual({
      id: member.id,
      name: '陈建华',
      phone: '13812345678',
      personalDataMasked: false,
    });
    const pageRows = await audited(page.requestId);
    expect(pageRows).toEqual([{ userId: secretaryId, roles: ['COMMUNITY_SECRETARY'], entity: 'PartyMember', ids: expect.any(Array) }]);
    expect(sorted(pageRows[0].ids)).toEqual(sorted(nodes.map((n: any) => n.id)));

    // Secretaries shown on a page of organisations: one row for all of them.
    const orgs = await request(secretary, SECRETARIES);
    const secretaries = orgs.data.partyOrgs.edges.map((e: any) => e.node.secretary).filter(Boolean);
    expect(secretaries.length).toBeGreaterThan(1);
    expect(secretaries.every((s: any) => !s.personalDataMasked && !s.name.includes('*'))).toBe(true);
    const orgRows = await audited(orgs.requestId);
    expect(orgRows).toEqual([{ userId: secretaryId, roles: ['COMMUNITY_SECRETARY'], entity: 'PartyMember', ids: expect.any(Array) }]);
    expect(sorted(orgRows[0].ids)).toEqual(sorted([...new Set<string>(secretaries.map((s: any) => s.id))]));

    // One member.
    const one = await request(secretary, ONE, { id: member.id });
    expect(one.data.partyMember.name).toBe('陈建华');
    expect(await audited(one.requestId)).toEqual([
      { userId: secretaryId, roles: ['COMMUNITY_SECRETARY'], entity: 'PartyMember', ids: [member.id] },
    ]);

    // A street administrator has no PERSONAL_DATA_READ: masked names and phones, nothing recorded.
    const streetAdmin = await platform.token([Role.STREET_ADMIN], streetA.id);
    const before = await auditRows();
    const masked = [
      await request(streetAdmin, LIST, { c: communityA }),
      await request(streetAdmin, SECRETARIES),
      await request(streetAdmin, ONE, { id: member.id }),
    ];
    expect(masked[0].data.partyMembers.edges.every((e: any) => e.node.personalDataMasked && e.node.name.includes('*'))).toBe(true);
    expect(masked[0].data.partyMembers.edges.find((e: any) => e.node.id === member.id).node).toMatchObject({
      name: '陈*华',
      phone: '138****5678',
    });
    expect(masked[1].data.partyOrgs.edges.every((e: any) => !e.node.secretary || e.node.secretary.personalDataMasked)).toBe(true);
    expect(masked[2].data.partyMember).toMatchObject({ name: '陈*华', personalDataMasked: true });
    for (const { requestId } of masked) expect(await audited(requestId)).toEqual([]);
    expect(await auditRows()).toBe(before);

    // A member's own record is shown whole, so that read is recorded too (no exemption, as households and vanguard make none).
    const self = await platform.token([Role.PARTY_MEMBER], communityA, member.userId);
    const mine = await request(self, `{ myPartyMember { id name personalDataMasked } }`);
    expect(mine.data.myPartyMember).toEqual({ id: member.id, name: '陈建华', personalDataMasked: false });
    expect(await audited(mine.requestId)).toEqual([
      { userId: member.userId, roles: ['PARTY_MEMBER'], entity: 'PartyMember', ids: [member.id] },
    ]);
  });
});
