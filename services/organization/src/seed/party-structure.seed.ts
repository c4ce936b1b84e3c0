import type { DataSource, EntityManager } from 'typeorm';
import { execute, queryOne } from '#libs/database';
import { LEADER_TITLES, demoPartyMembersSql, demoPersonNameSql, planHouseholds, type DistrictPlan } from '#libs/demo-data';

/** A deterministic number in [0, 1e6) from text, in SQL. */
const hash = (text: string) => `(abs(hashtext(${text})) % 1000000)`;
const orgId = (kind: string, tie: string) => `md5('party-org:${kind}:' || ${tie})::uuid`;

/** Departments whose sector units (下属行业单位) the demo fills: all schools, and employers of some trades. */
const SECTOR_UNITS: { department: string; kind: string; nameLike: string }[] = [
  { department: '鄞州区教育局', kind: 'SCHOOL', nameLike: '%' },
  { department: '鄞州区住房和城乡建设局', kind: 'EMPLOYER', nameLike: '%建设工程%' },
  { department: '鄞州区交通运输局', kind: 'EMPLOYER', nameLike: '%物流%' },
  { department: '鄞州区卫生健康局', kind: 'EMPLOYER', nameLike: '%医药%' },
];

export interface PartyStructureSummary {
  orgs: number;
  members: number;
  registrations: number;
  leaders: number;
}

/**
 * The "1 + 3 + N" structure of the demo district, set-based: the district committee; a committee per street and per
 * functional department; a committee and a community branch per community; a branch per compound; a work-unit branch
 * per department, per sector unit, and per employer with members (under its street's committee). Party members are
 * exactly households' demo party members (the shared derivation in #libs/demo-data), living in their household's
 * community; most are registered with their employer's branch and their compound's (or community's) branch, most of
 * those confirmed. Every organisation gets a secretary who lives or works there (an extra member where none does).
 * Twelve leaders of the four bodies liaise with the streets; all but one are party members (the district secretary is
 * the district committee's secretary).
 */
export async function seedPartyStructure(dataSource: DataSource, plan: DistrictPlan, households: number): Promise<PartyStructureSummary> {
  return dataSource.transaction(async (manager) => {
    await seedSectorUnits(manager);
    await seedMembers(manager, plan, households);
    await seedOrgs(manager);
    await seedSecretaries(manager);
    const registrations = await seedRegistrations(manager);
    const leaders = await seedLeaders(manager, plan);
    const { orgs, members } = await queryOne<{ orgs: number; members: number }>(
      manager,
      `SELECT (SELECT count(*)::int FROM party_org) AS orgs, (SELECT count(*)::int FROM party_member) AS members`,
    );
    return { orgs, members, registrations, leaders };
  });
}

async function seedSectorUnits(manager: EntityManager): Promise<void> {
  for (const unit of SECTOR_UNITS) {
    await execute(
      manager,
      `UPDATE institution SET parent_id = (SELECT id FROM institution WHERE kind = 'DEPARTMENT' AND name = $1)
        WHERE kind = $2 AND name LIKE $3 AND EXISTS (SELECT 1 FROM institution WHERE kind = 'DEPARTMENT' AND name = $1)`,
      [unit.department, unit.kind, unit.nameLike],
    );
  }
}

async function seedMembers(manager: EntityManager, plan: DistrictPlan, households: number): Promise<void> {
  const employers = plan.institutions.filter((i) => i.kind === 'EMPLOYER').map((i) => i.id);
  const schools = plan.institutions.filter((i) => i.kind === 'SCHOOL').map((i) => i.id);
  // Where each household lives, for the members' communities and the compound branches' secretaries.
  await execute(manager, `CREATE TEMP TABLE demo_household (id uuid PRIMARY KEY, compound_id uuid NOT NULL) ON COMMIT DROP`);
  for (const batch of planHouseholds(plan, households)) {
    await execute(manager, `INSERT INTO demo_household SELECT * FROM unnest($1::uuid[], $2::uuid[])`, [
      batch.map((h) => h.id),
      batch.map((h) => h.compoundId),
    ]);
  }
  await execute(manager, `ANALYZE demo_household`);
  await execute(
    manager,
    `INSERT INTO party_member (id, name, phone, user_id, household_id, institution_id, community_id, joined_party_on, commitment_signed_at)
     SELECT pm.id, pm.name, pm.phone, 'member-' || pm.id, pm.household_id, pm.institution_id, cu.parent_id,
            DATE '1985-07-01' + ${hash(`pm.id::text || 'joined'`)} % 13000,
            CASE WHEN ${hash(`pm.id::text || 'letter'`)} % 100 < 85
                 THEN TIMESTAMPTZ '2025-03-01 09:00+08' + (${hash(`pm.id::text || 'letter-day'`)} % 400) * INTERVAL '1 day' END
       FROM (${demoPartyMembersSql({ households: 'demo_household h', employers: '$1::uuid[]', schools: '$2::uuid[]', thisYear: '2026' })}) pm
       JOIN demo_household dh ON dh.id = pm.household_id
       JOIN org_unit cu ON cu.id = dh.compound_id`,
    [employers, schools],
  );
}

async function seedOrgs(manager: EntityManager): Promise<void> {
  const district = orgId('DISTRICT_COMMITTEE', `u.id::text`);
  await execute(
    manager,
    `INSERT INTO party_org (id, kind, name, parent_id, path, org_unit_id)
     SELECT ${district}, 'DISTRICT_COMMITTEE', '中共宁波市' || u.name || '委员会', NULL, ARRAY[${district}], u.id FROM org_unit u WHERE u.kind = 'DISTRICT'`,
  );
  // Children in order, each from its parent row: streets and departments, communities, then branches.
  const under = (kind: string, sql: string) =>
    execute(
      manager,
      `INSERT INTO party_org (id, kind, name, parent_id, path, org_unit_id, institution_id)
       SELECT x.id, '${kind}', x.name, p.id, p.path || x.id, x.org_unit_id, x.institution_id FROM (${sql}) x JOIN party_org p ON p.id = x.parent_id`,
    );
  await under(
    'STREET_COMMITTEE',
    `
    SELECT ${orgId('STREET_COMMITTEE', 's.id::text')} AS id, '中共' || s.name || CASE WHEN s.name LIKE '%镇' THEN '委员会' ELSE '工作委员会' END AS name,
           ${orgId('DISTRICT_COMMITTEE', 's.parent_id::text')} AS parent_id, s.id AS org_unit_id, NULL::uuid AS institution_id
      FROM org_unit s WHERE s.kind = 'STREET'`,
  );
  await under(
    'DEPARTMENT_COMMITTEE',
    `
    SELECT ${orgId('DEPARTMENT_COMMITTEE', 'i.id::text')} AS id, '中共' || i.name || '委员会' AS name,
           (SELECT id FROM party_org WHERE kind = 'DISTRICT_COMMITTEE') AS parent_id, NULL::uuid AS org_unit_id, i.id AS institution_id
      FROM institution i WHERE i.kind = 'DEPARTMENT' AND i.parent_id IS NULL`,
  );
  await under(
    'COMMUNITY_COMMITTEE',
    `
    SELECT ${orgId('COMMUNITY_COMMITTEE', 'c.id::text')} AS id, '中共' || c.name || '委员会' AS name,
           ${orgId('STREET_COMMITTEE', 'c.parent_id::text')} AS parent_id, c.id AS org_unit_id, NULL::uuid AS institution_id
      FROM org_unit c WHERE c.kind = 'COMMUNITY'`,
  );
  await under(
    'COMMUNITY_BRANCH',
    `
    SELECT ${orgId('COMMUNITY_BRANCH', 'c.id::text')} AS id, c.name || '党支部' AS name,
           ${orgId('COMMUNITY_COMMITTEE', 'c.id::text')} AS parent_id, c.id AS org_unit_id, NULL::uuid AS institution_id
      FROM org_unit c WHERE c.kind = 'COMMUNITY'`,
  );
  await under(
    'COMPOUND_BRANCH',
    `
    SELECT ${orgId('COMPOUND_BRANCH', 'k.id::text')} AS id, k.name || '党支部' AS name,
           ${orgId('COMMUNITY_COMMITTEE', 'k.parent_id::text')} AS parent_id, k.id AS org_unit_id, NULL::uuid AS institution_id
      FROM org_unit k WHERE k.kind = 'COMPOUND'`,
  );
  // A department's own branch and one per sector unit, under the department committee.
  await under(
    'WORK_UNIT_BRANCH',
    `
    SELECT ${orgId('WORK_UNIT_BRANCH', 'i.id::text')} AS id, i.name || CASE WHEN i.parent_id IS NULL THEN '机关党支部' ELSE '党支部' END AS name,
           ${orgId('DEPARTMENT_COMMITTEE', 'COALESCE(i.parent_id, i.id)::text')} AS parent_id, NULL::uuid AS org_unit_id, i.id AS institution_id
      FROM institution i WHERE (i.kind = 'DEPARTMENT' AND i.parent_id IS NULL) OR i.parent_id IS NOT NULL`,
  );
  // Employers (not sector units) with members: a branch under the committee of the street they are in.
  await under(
    'WORK_UNIT_BRANCH',
    `
    SELECT ${orgId('WORK_UNIT_BRANCH', 'i.id::text')} AS id, i.name || '党支部' AS name,
           ${orgId('STREET_COMMITTEE', 'u.id::text')} AS parent_id, NULL::uuid AS org_unit_id, i.id AS institution_id
      FROM institution i JOIN org_unit u ON u.id = i.org_unit_id AND u.kind = 'STREET'
     WHERE i.kind IN ('EMPLOYER', 'SCHOOL') AND i.parent_id IS NULL AND EXISTS (SELECT 1 FROM party_member m WHERE m.institution_id = i.id)`,
  );
}

/** Who may hold an organisation's post: members living in its territory or working at its institution. */
const CANDIDATES = `
  SELECT o.id AS org_id, m.id AS member_id FROM party_org o JOIN party_member m ON m.household_id IS NOT NULL
   WHERE o.kind = 'DISTRICT_COMMITTEE'
  UNION ALL
  SELECT o.id, m.id FROM party_org o JOIN org_unit c ON c.parent_id = o.org_unit_id JOIN party_member m ON m.community_id = c.id
   WHERE o.kind = 'STREET_COMMITTEE'
  UNION ALL
  SELECT o.id, m.id FROM party_org o JOIN party_member m ON m.community_id = o.org_unit_id
   WHERE o.kind IN ('COMMUNITY_COMMITTEE', 'COMMUNITY_BRANCH')
  UNION ALL
  SELECT o.id, m.id FROM party_org o JOIN demo_household h ON h.compound_id = o.org_unit_id JOIN party_member m ON m.household_id = h.id
   WHERE o.kind = 'COMPOUND_BRANCH'
  UNION ALL
  SELECT o.id, m.id FROM party_org o JOIN institution i ON i.id = o.institution_id OR i.parent_id = o.institution_id
    JOIN party_member m ON m.institution_id = i.id
   WHERE o.kind = 'DEPARTMENT_COMMITTEE'
  UNION ALL
  SELECT o.id, m.id FROM party_org o JOIN party_member m ON m.institution_id = o.institution_id
   WHERE o.kind = 'WORK_UNIT_BRANCH'`;

async function seedSecretaries(manager: EntityManager): Promise<void> {
  // Organisations where nobody lives or works get a member from outside the households (no household id).
  await execute(
    manager,
    `INSERT INTO party_member (id, name, user_id, institution_id, community_id, joined_party_on, commitment_signed_at)
     SELECT x.id, ${demoPersonNameSql('o.id::text')}, 'member-' || x.id, o.institution_id,
            CASE o.kind WHEN 'COMMUNITY_COMMITTEE' THEN o.org_unit_id WHEN 'COMMUNITY_BRANCH' THEN o.org_unit_id
                        WHEN 'COMPOUND_BRANCH' THEN u.parent_id END,
            DATE '1980-07-01' + ${hash(`o.id::text || 'joined'`)} % 12000, TIMESTAMPTZ '2025-03-01 09:00+08'
       FROM party_org o LEFT JOIN org_unit u ON u.id = o.org_unit_id
       CROSS JOIN LATERAL (SELECT md5('party-member:secretary:' || o.id)::uuid AS id) x
      WHERE o.id NOT IN (SELECT org_id FROM (${CANDIDATES}) c)`,
  );
  await execute(
    manager,
    `WITH candidates AS (
       ${CANDIDATES}
       UNION ALL SELECT o.id, md5('party-member:secretary:' || o.id)::uuid FROM party_org o
        WHERE EXISTS (SELECT 1 FROM party_member WHERE id = md5('party-member:secretary:' || o.id)::uuid))
     INSERT INTO party_org_position (party_org_id, party_member_id, position, starts_on)
     SELECT DISTINCT ON (org_id) org_id, member_id, 'SECRETARY', DATE '2023-01-01' + ${hash(`org_id::text || 'post'`)} % 700
       FROM candidates
      ORDER BY org_id, ${hash(`org_id::text || member_id::text`)}, member_id`,
  );
}

async function seedRegistrations(manager: EntityManager): Promise<number> {
  // Work unit: the employer's branch (9 in 10 registered). Community: the compound's branch, or for one in five the
  // community's (19 in 20). Five in six registrations are confirmed; the rest await their branch.
  const { count } = await queryOne<{ count: number }>(
    manager,
    `WITH wanted AS (
       SELECT m.id AS member, b.id AS branch, 'WORK_UNIT' AS kind
         FROM party_member m JOIN party_org b ON b.kind = 'WORK_UNIT_BRANCH' AND b.institution_id = m.institution_id
        WHERE m.household_id IS NOT NULL AND ${hash(`m.id::text || 'reg-work'`)} % 10 < 9
       UNION ALL
       SELECT m.id, CASE WHEN ${hash(`m.id::text || 'reg-where'`)} % 5 = 0 THEN ${orgId('COMMUNITY_BRANCH', 'm.community_id::text')}
                         ELSE ${orgId('COMPOUND_BRANCH', 'h.compound_id::text')} END, 'COMMUNITY'
         FROM party_member m JOIN demo_household h ON h.id = m.household_id
        WHERE ${hash(`m.id::text || 'reg-home'`)} % 20 < 19),
     inserted AS (
       INSERT INTO branch_registration (party_member_id, branch_id, kind, registered_at, registered_by, confirmed_at, confirmed_by)
       SELECT member, branch, kind, r.at, 'demo-seed',
              CASE WHEN confirmed THEN r.at + INTERVAL '3 days' END, CASE WHEN confirmed THEN 'demo-seed' END
         FROM wanted
         CROSS JOIN LATERAL (SELECT TIMESTAMPTZ '2025-04-01 10:00+08' + (${hash(`member::text || kind`)} % 300) * INTERVAL '1 day' AS at,
                                    ${hash(`member::text || kind || 'ok'`)} % 6 <> 0 AS confirmed) r
       RETURNING 1)
     SELECT count(*)::int AS count FROM inserted`,
  );
  return count;
}

async function seedLeaders(manager: EntityManager, plan: DistrictPlan): Promise<number> {
  await execute(
    manager,
    `INSERT INTO leader (id, name, body, title)
     SELECT md5('leader:' || n)::uuid, ${demoPersonNameSql(`'leader:' || n`)}, body, title
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS l(body, title, n)`,
    [LEADER_TITLES.map(([body]) => body), LEADER_TITLES.map(([, title]) => title)],
  );
  // Each street a liaison leader since 2025; the first streets had another before, so history shows.
  await execute(
    manager,
    `INSERT INTO leader_liaison (leader_id, street_id, starts_on, ends_on)
     SELECT md5('leader:' || (1 + (s.n - 1) % $2))::uuid, s.id, DATE '2025-01-01', NULL FROM unnest($1::uuid[]) WITH ORDINALITY AS s(id, n)
     UNION ALL
     SELECT md5('leader:' || (1 + s.n % $2))::uuid, s.id, DATE '2023-01-01', DATE '2024-12-31' FROM unnest($1::uuid[]) WITH ORDINALITY AS s(id, n) WHERE s.n <= 4`,
    [plan.streets.map((s) => s.id), LEADER_TITLES.length],
  );
  // Leaders act on the platform as party members (their liaison visits are recorded as such): the district
  // secretary (区委书记, the first title) is the district committee's SECRETARY, named as such; the others get a party
  // member of their own, except the last (a CPPCC vice-chair outside the party, who owes visits but cannot record them).
  await execute(
    manager,
    `UPDATE leader l SET party_member_id = p.party_member_id, name = m.name
       FROM party_org o JOIN party_org_position p ON p.party_org_id = o.id AND p.position = 'SECRETARY' AND p.ends_on IS NULL
       JOIN party_member m ON m.id = p.party_member_id
      WHERE o.kind = 'DISTRICT_COMMITTEE' AND l.id = md5('leader:1')::uuid`,
  );
  await execute(
    manager,
    `INSERT INTO party_member (id, name, user_id, joined_party_on, commitment_signed_at)
     SELECT x.id, l.name, 'member-' || x.id, DATE '1985-07-01' + ${hash(`l.id::text || 'joined'`)} % 6000, TIMESTAMPTZ '2025-03-01 09:00+08'
       FROM leader l CROSS JOIN LATERAL (SELECT md5('party-member:leader:' || l.id)::uuid AS id) x
      WHERE l.party_member_id IS NULL AND l.id <> md5('leader:' || $1)::uuid`,
    [LEADER_TITLES.length],
  );
  await execute(
    manager,
    `UPDATE leader l SET party_member_id = m.id FROM party_member m
      WHERE l.party_member_id IS NULL AND m.id = md5('party-member:leader:' || l.id)::uuid`,
  );
  return LEADER_TITLES.length;
}
