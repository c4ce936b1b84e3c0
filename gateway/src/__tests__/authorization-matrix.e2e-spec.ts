import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  buildSchema,
  getNamedType,
  isCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import {
  Masking,
  ROLE_PERMISSIONS,
  Reach,
  Role,
  SIGNED_IN,
  type Caller,
  type Grant,
  type PersonalDataPolicy,
  type ServicePolicies,
} from '#libs/auth';
import { ServiceName } from '#libs/messaging';
import { repoRoot } from '#tools/repo-root';
import { loadAllPolicies } from '#tools/services';
import { postAsGateway, postGraphQL, type GraphQLResponse } from '#libs/testing';
import { enrolInstitution, seededHouseholds, startPlatform, type TestPlatform } from '#tools/test-platform';

/**
 * The authorisation matrix: every root field of the composed schema, called through the gateway as every role,
 * inside and outside the caller's territory, and the outcome checked against the field's declared policy:
 * - a role holding none of the policy's permissions is FORBIDDEN (MISSING_PERMISSION) before anything runs, and a
 *   role holding one never is;
 * - a field for the whole district is OUT_OF_SCOPE for a caller of part of it;
 * - a field scoped by an argument, called by a scoped role with a record of another street, gives no data
 *   (FORBIDDEN, NOT_FOUND or null), and the same call about a record of the caller's own street is not refused
 *   for scope;
 * - every entity reference resolves to null for a role its policy does not name;
 * - every field with personal data reads in clear for a role that may read it and masked (or null) for one that
 *   may not, on real data.
 * Arguments are generated from the schema: ids of real records of street A where the argument names one, other
 * values well-formed but arbitrary (so a permitted call may well fail validation, which the matrix allows).
 */

type Scope = 'inside' | 'outside';
/** A caller of the matrix: staff and residents send a token, an institution its API key. */
interface MatrixCaller {
  role: Role;
  scope: Scope;
  headers: Record<string, string>;
  caller: Caller;
}
interface Operation {
  kind: 'Query' | 'Mutation';
  name: string;
  service: ServiceName;
  grants: readonly Grant[];
  field: GraphQLField<unknown, unknown>;
}
interface Outcome {
  code: string | null;
  reason: string | null;
  message: string | null;
  data: unknown;
}

const SCOPED_STAFF: Role[] = [Role.STREET_ADMIN, Role.COMMUNITY_SECRETARY, Role.INSPECTOR, Role.VOLUNTEER, Role.PARTY_MEMBER];
const TERRITORY_STAFF: Role[] = [Role.STREET_ADMIN, Role.COMMUNITY_SECRETARY, Role.INSPECTOR];
const DISTRICT_WIDE: Role[] = [Role.DISTRICT_ADMIN, Role.BUREAU_OFFICER, Role.BRANCH_SECRETARY];
/**
 * A property manager's token names their company (home A's compound's inside, home B's outside) and no org unit; an
 * operator's names nothing but the role (no territory at all), so it is called once, like the district-wide roles.
 */
const TOKEN_ROLES: Role[] = [...DISTRICT_WIDE, ...SCOPED_STAFF, Role.RESIDENT, Role.PROPERTY_MANAGER, Role.OPERATOR];
const UNSCOPED: Role[] = [...DISTRICT_WIDE, Role.OPERATOR];
/** Mutations that remove or end what other calls of the matrix use: called last. */
const DESTRUCTIVE = /^(remove|cancel|end|revoke|withdraw|deactivate|disable|release|reject|markReportDuplicate)/;
const MONTH = '2026-10';
/** Entities keyed by something else than `id`: the key field their fixture fills. */
const REFERENCE_KEYS: Record<string, string> = { DistrictMonth: 'month' };

function holds(role: Role, candidate: Grant): boolean {
  return candidate.permission === SIGNED_IN || ROLE_PERMISSIONS[role].includes(candidate.permission);
}

function outcomeOf(response: GraphQLResponse, field: string): Outcome {
  const error = response.errors?.[0];
  return {
    code: error ? String(error.extensions?.code ?? 'UNKNOWN') : null,
    reason: error ? ((error.extensions?.reason as string | undefined) ?? null) : null,
    message: error?.message ?? null,
    data: response.data?.[field] ?? null,
  };
}

function hasData(outcome: Outcome): boolean {
  const data = outcome.data as { totalCount?: number; edges?: unknown[] } | unknown[] | null;
  if (data === null) return false;
  if (Array.isArray(data)) return data.length > 0;
  if (typeof data === 'object' && 'edges' in data) return (data.edges?.length ?? 0) > 0;
  return true;
}

describe('authorisation matrix', () => {
  let platform: TestPlatform;
  let supergraph: GraphQLSchema;
  let policies: Record<ServiceName, ServicePolicies>;
  let operations: Operation[];
  const callers: MatrixCaller[] = [];
  /** Ids of real records inside street A, by argument name and by the type an `id` argument names. */
  const fixtures = new Map<string, string>();
  const results = new Map<string, Outcome>();

  beforeAll(async () => {
    platform = await startPlatform({ streets: 2, households: 120 });
    const sdl = await readFile(join(repoRoot(), 'gateway/supergraph.graphql'), 'utf8');
    supergraph = buildSchema(sdl, { assumeValidSDL: true });
    policies = await loadAllPolicies();
    operations = rootOperations(supergraph, policies);

    const [streetA, streetB] = platform.plan.streets;
    const households = await seededHouseholds(platform);
    // Home A lies in a community of street A with a volunteer activity people signed up for and a party member with a
    // vanguard index, so the personal-data probes read real names.
    const [community] = await platform.database(ServiceName.Organization).query(
      `SELECT m.community_id AS id FROM party_member m JOIN vanguard_index_month v ON v.party_member_id = m.id
         JOIN org_unit u ON u.id = m.community_id
        WHERE u.path @> ARRAY[$1::uuid]
          AND EXISTS (SELECT 1 FROM volunteer_activity a JOIN org_unit au ON au.id = a.org_unit_id JOIN volunteer_sign_up s ON s.activity_id = a.id
                       WHERE au.path @> ARRAY[m.community_id])
        ORDER BY m.community_id LIMIT 1`,
      [streetA.id],
    );
    const homeA =
      households.find((household) => household.communityId === community?.id) ??
      households.find((household) => household.compoundPath.includes(streetA.id))!;
    const homeB = households.find((household) => household.compoundPath.includes(streetB.id))!;
    await arrangeFixtures(platform, fixtures, homeA, streetA.id);
    // Property companies: home A's, and one that manages no compound of home A's community (home B's, or another).
    const [companies] = await platform.database(ServiceName.Households).query(
      `SELECT (SELECT property_company_id FROM household WHERE id = $1) AS a,
              (SELECT h.property_company_id FROM household h JOIN territory_unit t ON t.id = h.compound_id
                WHERE h.property_company_id IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM household o JOIN territory_unit ot ON ot.id = o.compound_id
                         WHERE o.property_company_id = h.property_company_id AND ot.path @> ARRAY[$2::uuid])
                ORDER BY (h.id = $3) DESC, h.id LIMIT 1) AS b`,
      [homeA.id, homeA.communityId, homeB.id],
    );
    fixtures.set('propertyCompanyA', companies.a);
    fixtures.set('propertyCompanyB', companies.b);
    // Home A's compound's responsible person, whose name and phone the probes read.
    await platform
      .database(ServiceName.Households)
      .query(
        `INSERT INTO property_responsible_person (compound_id, property_company_id, name, phone, recorded_by) VALUES ($1, $2, '赵丽娟', '13700001234', 'matrix')`,
        [homeA.compoundId, companies.a],
      );

    for (const role of TOKEN_ROLES) {
      for (const scope of ['inside', 'outside'] as Scope[]) {
        if (UNSCOPED.includes(role) && scope === 'outside') continue;
        const home = scope === 'inside' ? homeA : homeB;
        const orgUnitId =
          UNSCOPED.includes(role) || role === Role.PROPERTY_MANAGER
            ? null
            : role === Role.STREET_ADMIN
              ? scope === 'inside'
                ? streetA.id
                : streetB.id
              : role === Role.RESIDENT
                ? home.compoundId
                : home.communityId;
        const householdId = role === Role.RESIDENT ? home.id : null;
        const institutionId =
          role === Role.PROPERTY_MANAGER ? fixtures.get(scope === 'inside' ? 'propertyCompanyA' : 'propertyCompanyB')! : null;
        const userId = `matrix-${role.toLowerCase()}-${scope}`;
        const token = await platform.token([role], orgUnitId, userId, householdId, institutionId);
        callers.push({
          role,
          scope,
          headers: { authorization: `Bearer ${token}` },
          caller: { userId, roles: [role], orgUnitId, householdId, institutionId, requestId: userId },
        });
      }
    }
    const institutionId = fixtures.get('institutionId')!;
    const { key, prefix } = await enrolInstitution(platform, institutionId);
    callers.push({
      role: Role.INSTITUTION,
      scope: 'inside',
      headers: { 'x-api-key': key },
      caller: {
        userId: `api-key:${prefix}`,
        roles: [Role.INSTITUTION],
        orgUnitId: null,
        householdId: null,
        institutionId,
        requestId: 'matrix-institution',
      },
    });
    // An enrolment code handed out but not yet redeemed: its contact is on record (and masked for staff).
    const admin = callers.find((entry) => entry.role === Role.DISTRICT_ADMIN)!;
    const issued = await postGraphQL(
      platform.gatewayUrl,
      'mutation($id: ID!) { issueInstitutionEnrolment(institutionId: $id, label: "矩阵", contactName: "王晓明", contactPhone: "13812345678") { code } }',
      { id: institutionId },
      admin.headers,
    );
    expect(issued.errors).toBeUndefined();

    // Side-effect-free refusals first, then permitted calls, destructive mutations last.
    const order = (operation: Operation) => (operation.kind === 'Query' ? 0 : DESTRUCTIVE.test(operation.name) ? 2 : 1);
    for (const operation of [...operations].sort((a, b) => order(a) - order(b))) {
      const document = documentFor(operation, fixtures);
      await Promise.all(
        callers.map(async ({ role, scope, headers }) => {
          const response = await postGraphQL(platform.gatewayUrl, document.query, document.variables, headers);
          results.set(`${operation.kind}.${operation.name}|${role}|${scope}`, outcomeOf(response, operation.name));
        }),
      );
      const anonymous = await platform.query(null, document.query, document.variables);
      results.set(`${operation.kind}.${operation.name}|anonymous|inside`, outcomeOf(anonymous, operation.name));
    }
  }, 900_000);

  afterAll(async () => {
    await platform.stop();
  });

  it('covers every root field of the supergraph', () => {
    const rootFields = ['Query', 'Mutation'].flatMap((name) =>
      Object.keys((supergraph.getType(name) as any)?.getFields() ?? {}).map((field) => `${name}.${field}`),
    );
    expect(operations.map((operation) => `${operation.kind}.${operation.name}`).sort()).toEqual(
      rootFields.filter((key) => !key.startsWith('Query._')).sort(),
    );
    expect(operations.length).toBeGreaterThan(150);
  });

  it('answers every call with a coded outcome, never an internal error', () => {
    const internal = [...results]
      .filter(([, outcome]) => outcome.code === 'INTERNAL_SERVER_ERROR')
      .map(([key, outcome]) => `${key}: ${outcome.message}`);
    expect(internal).toEqual([]);
  });

  it('refuses a caller without a token everywhere', () => {
    const wrong = operations.filter(
      (operation) => results.get(`${operation.kind}.${operation.name}|anonymous|inside`)?.code !== 'UNAUTHENTICATED',
    );
    expect(wrong.map((operation) => operation.name)).toEqual([]);
  });

  it("refuses exactly the roles that hold none of an operation's permissions (MISSING_PERMISSION)", () => {
    const mismatches: string[] = [];
    for (const operation of operations) {
      for (const { role, scope } of callers) {
        const outcome = results.get(`${operation.kind}.${operation.name}|${role}|${scope}`)!;
        const permitted = operation.grants.some((candidate) => holds(role, candidate));
        const refused = outcome.code === 'FORBIDDEN' && outcome.reason === 'MISSING_PERMISSION';
        if (permitted === refused)
          mismatches.push(`${operation.kind}.${operation.name} as ${role} (${scope}): ${outcome.code}/${outcome.reason}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('refuses operations for the whole district to callers of part of it (OUT_OF_SCOPE)', () => {
    const mismatches: string[] = [];
    const districtOnly = operations.filter((operation) => operation.grants.every((candidate) => candidate.reach === Reach.WHOLE_DISTRICT));
    expect(districtOnly.length).toBeGreaterThan(0);
    for (const operation of districtOnly) {
      for (const { role, scope } of callers) {
        if (DISTRICT_WIDE.includes(role) || !operation.grants.some((candidate) => holds(role, candidate))) continue;
        const outcome = results.get(`${operation.kind}.${operation.name}|${role}|${scope}`)!;
        if (outcome.reason !== 'OUT_OF_SCOPE') mismatches.push(`${operation.name} as ${role}: ${outcome.code}/${outcome.reason}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("gives a scoped role no data about another street's record, and does not refuse its own street's for scope", () => {
    const leaks: string[] = [];
    const wronglyRefused: string[] = [];
    let checked = 0;
    for (const operation of operations) {
      for (const role of SCOPED_STAFF) {
        const grants = operation.grants.filter((candidate) => holds(role, candidate));
        // Only where every grant the role holds is territorial and names the argument that carries the record.
        if (grants.length === 0 || !grants.every((candidate) => candidate.reach === Reach.TERRITORY && candidate.scopedBy)) continue;
        if (!grants.every((candidate) => scopedFixture(operation, candidate.scopedBy!, fixtures))) continue;
        checked++;
        const outside = results.get(`${operation.kind}.${operation.name}|${role}|outside`)!;
        const inside = results.get(`${operation.kind}.${operation.name}|${role}|inside`)!;
        if (outside.code === null && hasData(outside)) leaks.push(`${operation.name} as ${role} of street B gave data about street A`);
        // Volunteers and party members mostly act on their own records; staff on everything of their territory.
        if (TERRITORY_STAFF.includes(role) && inside.reason === 'OUT_OF_SCOPE')
          wronglyRefused.push(`${operation.name} as ${role} of street A refused its own street`);
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(leaks).toEqual([]);
    expect(wronglyRefused).toEqual([]);
  });

  it('resolves entity references only for roles their policy names', async () => {
    const problems: string[] = [];
    let resolved = 0;
    for (const [service, servicePolicies] of Object.entries(policies) as [ServiceName, ServicePolicies][]) {
      for (const [typeName, grants] of Object.entries(servicePolicies.references)) {
        const id = fixtures.get(typeName);
        if (!id) {
          problems.push(`no record of ${typeName} to resolve`);
          continue;
        }
        for (const { role, scope, caller } of callers.filter((entry) => entry.scope === 'inside')) {
          const response = await postAsGateway(
            platform.env,
            service,
            `${platform.serviceUrls.get(service)}/graphql`,
            caller,
            'query($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }',
            { representations: [{ __typename: typeName, [REFERENCE_KEYS[typeName] ?? 'id']: id }] },
          );
          const entity = response.data?._entities?.[0] ?? null;
          const mayResolve = grants.some((candidate) => holds(role, candidate));
          if (!mayResolve && entity !== null) problems.push(`${typeName} resolved for ${role} (${scope})`);
          if (mayResolve && entity !== null) resolved++;
        }
      }
    }
    // An institution resolves itself, never another institution.
    const institutionCaller = callers.find((entry) => entry.role === Role.INSTITUTION)!;
    const ofInstitution = async (id: string) =>
      (
        await postAsGateway(
          platform.env,
          ServiceName.Organization,
          `${platform.serviceUrls.get(ServiceName.Organization)}/graphql`,
          institutionCaller.caller,
          'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Institution { id } } }',
          { representations: [{ __typename: 'Institution', id }] },
        )
      ).data?._entities?.[0] ?? null;
    expect(await ofInstitution(fixtures.get('Institution')!)).toEqual({ id: fixtures.get('Institution') });
    expect(await ofInstitution(fixtures.get('otherInstitution')!)).toBeNull();
    expect(problems).toEqual([]);
    expect(resolved).toBeGreaterThan(10);
  });

  it('shows personal data in clear only to roles that may read it, on real data', async () => {
    const declared = Object.values(policies).flatMap((servicePolicies) => Object.entries(servicePolicies.personalData));
    const unprobed = declared.map(([key]) => key).filter((key) => !(key in PROBES));
    expect(unprobed).toEqual([]);
    const problems: string[] = [];
    for (const [key, policy] of declared) {
      const probe = PROBES[key];
      const values = async (role: Role) => {
        const entry = callers.find((candidate) => candidate.role === role && candidate.scope === 'inside')!;
        const response = await postGraphQL(platform.gatewayUrl, probe.query, probe.variables(fixtures), entry.headers);
        expect(response.errors).toBeUndefined();
        return probe.values(response.data).filter((value): value is string => typeof value === 'string');
      };
      const clear = probe.reader ? await values(probe.reader) : [];
      const shown = await values(probe.nonReader);
      if (probe.reader && clear.length === 0) problems.push(`${key}: the probe found no data to read`);
      if (probe.reader && clear.some((value) => isMasked(value))) problems.push(`${key}: masked for ${probe.reader}, who may read it`);
      if (policy.masking === Masking.WITHHELD) {
        if (shown.length > 0) problems.push(`${key}: shown to ${probe.nonReader}, who may not read it`);
      } else {
        if (shown.length === 0) problems.push(`${key}: the probe found no data for ${probe.nonReader}`);
        if (shown.some((value) => !isMasked(value))) problems.push(`${key}: in clear for ${probe.nonReader}, who may not read it`);
      }
      checkReaders(key, policy, probe, problems);
    }
    expect(problems).toEqual([]);
  });

  it('refuses an operator every field with personal data: refused, or nothing in clear', async () => {
    const operator = callers.find((entry) => entry.role === Role.OPERATOR)!;
    const problems: string[] = [];
    for (const [key, probe] of Object.entries(PROBES)) {
      const response = await postGraphQL(platform.gatewayUrl, probe.query, probe.variables(fixtures), operator.headers);
      const refused = response.errors?.some((error) => error.extensions?.code === 'FORBIDDEN') ?? false;
      let clear: unknown[] = [];
      try {
        clear = probe.values(response.data).filter((value) => typeof value === 'string' && !isMasked(value));
      } catch {
        // No data to read values from (the call was refused before any field resolved).
      }
      if (clear.length > 0) problems.push(`${key}: ${clear.length} values in clear for OPERATOR`);
      if (!refused && response.data !== undefined && response.data !== null && Object.values(response.data).some((v) => v !== null))
        problems.push(`${key}: answered data to OPERATOR`);
    }
    expect(Object.keys(PROBES).length).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});

/** The record of street A an operation's scoping argument carries in the matrix's calls, if it carries one. */
function scopedFixture(operation: Operation, argument: string, fixtures: Map<string, string>): string | undefined {
  if (argument === 'id') return idFixtureOf(operation, fixtures);
  return argument in ARGUMENT_FIXTURES ? fixtures.get(ARGUMENT_FIXTURES[argument]) : undefined;
}

function idFixtureOf(operation: Operation, fixtures: Map<string, string>): string | undefined {
  const returnType = getNamedType(operation.field.type);
  return fixtures.get(returnType.name) ?? fixtures.get(returnType.name.replace(/Connection$/, ''));
}

function isMasked(value: string): boolean {
  return value.includes('*');
}

/** The probe's reader must hold a reader permission and its non-reader none, or the probe proves nothing. */
function checkReaders(key: string, policy: PersonalDataPolicy, probe: Probe, problems: string[]): void {
  const reads = (role: Role) => policy.readers.some((permission) => ROLE_PERMISSIONS[role].includes(permission));
  if (probe.reader && !reads(probe.reader)) problems.push(`${key}: probe reader ${probe.reader} holds no reader permission`);
  if (reads(probe.nonReader)) problems.push(`${key}: probe non-reader ${probe.nonReader} holds a reader permission`);
}

interface Probe {
  query: string;
  variables(fixtures: Map<string, string>): Record<string, unknown>;
  values(data: any): unknown[];
  /** A role that may read the field in clear and reach it; null when no role that reaches it may (always masked). */
  reader: Role | null;
  nonReader: Role;
}

const nodes = (connection: any): any[] => connection?.edges?.map((edge: any) => edge.node) ?? [];
const householdProbe = (field: 'address' | 'name' | 'phone' | 'birthDate'): Probe => ({
  query: 'query($id: ID!) { household(id: $id) { address residents { name phone birthDate } } }',
  variables: (fixtures) => ({ id: fixtures.get('householdId') }),
  values: (data) => (field === 'address' ? [data.household.address] : data.household.residents.map((resident: any) => resident[field])),
  reader: Role.COMMUNITY_SECRETARY,
  nonReader: Role.STREET_ADMIN,
});
const guardianProbe = (field: 'guardianName' | 'guardianPhone'): Probe => ({
  query: 'query($id: ID!) { household(id: $id) { residents { guardianConsent { guardianName guardianPhone } } } }',
  variables: (fixtures) => ({ id: fixtures.get('consentHouseholdId') }),
  values: (data) => data.household.residents.map((resident: any) => resident.guardianConsent?.[field]),
  reader: Role.COMMUNITY_SECRETARY,
  nonReader: Role.STREET_ADMIN,
});
const partyMemberProbe = (field: 'name' | 'phone'): Probe => ({
  query: 'query($id: ID!) { partyMember(id: $id) { name phone } }',
  variables: (fixtures) => ({ id: fixtures.get('memberId') }),
  values: (data) => [data.partyMember[field]],
  reader: Role.COMMUNITY_SECRETARY,
  nonReader: Role.STREET_ADMIN,
});
const reporterProbe = (field: 'name' | 'phone'): Probe => ({
  query: '{ reports(first: 50) { edges { node { reporter { name phone } } } } }',
  variables: () => ({}),
  values: (data) => nodes(data.reports).map((report) => report.reporter?.[field]),
  reader: Role.COMMUNITY_SECRETARY,
  nonReader: Role.STREET_ADMIN,
});
const noticeProbe = (field: 'residentName' | 'textBody'): Probe => ({
  query: '{ notices(first: 20) { edges { node { residentName textBody } } } }',
  variables: () => ({}),
  values: (data) =>
    nodes(data.notices).map((notice) =>
      field === 'textBody'
        ? notice.residentName && notice.textBody.includes(notice.residentName)
          ? notice.residentName
          : null
        : notice[field],
    ),
  reader: Role.COMMUNITY_SECRETARY,
  nonReader: Role.STREET_ADMIN,
});

const volunteerProbe = (field: 'name' | 'phone'): Probe => ({
  query: 'query($id: ID!) { volunteerActivity(id: $id) { signUps(first: 50) { edges { node { volunteer { name phone } } } } } }',
  variables: (fixtures) => ({ id: fixtures.get('activityId') }),
  values: (data) => nodes(data.volunteerActivity.signUps).map((signUp) => signUp.volunteer?.[field]),
  reader: Role.COMMUNITY_SECRETARY,
  nonReader: Role.STREET_ADMIN,
});
const contestEntryProbe: Probe = {
  query: 'query($id: ID!) { volunteerContest(id: $id) { results(first: 20) { edges { node { entrantName } } } } }',
  variables: (fixtures) => ({ id: fixtures.get('contestId') }),
  values: (data) => nodes(data.volunteerContest.results).map((entry) => entry.entrantName),
  // A reader of personal data in the contest's territory; the street admin organises contests but reads no personal data.
  reader: Role.COMMUNITY_SECRETARY,
  nonReader: Role.STREET_ADMIN,
};
const vanguardProbe = (query: 'vanguardIndex' | 'vanguardIndexYear'): Probe => ({
  query:
    query === 'vanguardIndex'
      ? 'query($id: ID!, $month: String!) { vanguardIndex(memberId: $id, month: $month) { memberName } }'
      : 'query($id: ID!, $year: Int!) { vanguardIndexYear(memberId: $id, year: $year) { memberName } }',
  variables: (fixtures) => ({
    id: fixtures.get('memberId'),
    month: fixtures.get('vanguardMonth'),
    year: Number(fixtures.get('vanguardMonth')?.slice(0, 4)),
  }),
  values: (data) => [data[query]?.memberName],
  reader: Role.COMMUNITY_SECRETARY,
  nonReader: Role.STREET_ADMIN,
});
const responsibleProbe = (field: 'name' | 'phone'): Probe => ({
  query: '{ propertyResponsiblePersons(first: 50) { edges { node { name phone } } } }',
  variables: () => ({}),
  values: (data) => nodes(data.propertyResponsiblePersons).map((person) => person[field]),
  reader: Role.COMMUNITY_SECRETARY,
  nonReader: Role.STREET_ADMIN,
});
const enrolmentProbe = (field: 'contactName' | 'contactPhone'): Probe => ({
  query: '{ institutionEnrolments(first: 20) { edges { node { contactName contactPhone } } } }',
  variables: () => ({}),
  values: (data) => nodes(data.institutionEnrolments).map((enrolment) => enrolment[field]),
  // Only district administrators manage keys, and they do not read personal data: contacts are always masked.
  reader: null,
  nonReader: Role.DISTRICT_ADMIN,
});

/** How each declared personal-data field is read: the matrix fails for a declared field without a probe. */
const PROBES: Record<string, Probe> = {
  'Household.address': householdProbe('address'),
  'Resident.name': householdProbe('name'),
  'Resident.phone': householdProbe('phone'),
  'Resident.birthDate': householdProbe('birthDate'),
  'GuardianConsent.guardianName': guardianProbe('guardianName'),
  'GuardianConsent.guardianPhone': guardianProbe('guardianPhone'),
  'PartyMember.name': partyMemberProbe('name'),
  'PartyMember.phone': partyMemberProbe('phone'),
  'ReportReporter.name': reporterProbe('name'),
  'ReportReporter.phone': reporterProbe('phone'),
  'Notice.residentName': noticeProbe('residentName'),
  'Notice.textBody': noticeProbe('textBody'),
  'Volunteer.name': volunteerProbe('name'),
  'Volunteer.phone': volunteerProbe('phone'),
  'VolunteerContestEntry.entrantName': contestEntryProbe,
  'VanguardIndex.memberName': vanguardProbe('vanguardIndex'),
  'VanguardIndexYear.memberName': vanguardProbe('vanguardIndexYear'),
  'PropertyResponsiblePerson.name': responsibleProbe('name'),
  'PropertyResponsiblePerson.phone': responsibleProbe('phone'),
  'InstitutionEnrolment.contactName': enrolmentProbe('contactName'),
  'InstitutionEnrolment.contactPhone': enrolmentProbe('contactPhone'),
};

function rootOperations(schema: GraphQLSchema, policies: Record<ServiceName, ServicePolicies>): Operation[] {
  const operations: Operation[] = [];
  for (const kind of ['Query', 'Mutation'] as const) {
    for (const field of Object.values((schema.getType(kind) as any).getFields() as Record<string, GraphQLField<unknown, unknown>>)) {
      if (field.name.startsWith('_')) continue;
      const graph = field.astNode?.directives
        ?.find((directive) => directive.name.value === 'join__field')
        ?.arguments?.find((argument) => argument.name.value === 'graph')?.value as { value: string } | undefined;
      const service = graph!.value.toLowerCase() as ServiceName;
      operations.push({ kind, name: field.name, service, grants: policies[service].operations[`${kind}.${field.name}`] ?? [], field });
    }
  }
  return operations;
}

/** Argument names whose value is a record of street A, and the fixture each takes. */
const ARGUMENT_FIXTURES: Record<string, string> = {
  orgUnitId: 'orgUnitId',
  compoundId: 'orgUnitId',
  communityId: 'communityId',
  streetId: 'streetId',
  householdId: 'householdId',
  residentId: 'residentId',
  memberId: 'memberId',
  partyOrgId: 'partyOrgId',
  institutionId: 'institutionId',
  activityId: 'activityId',
  teamId: 'teamId',
  citizenReportId: 'CitizenReport',
  quizId: 'quizId',
  contestId: 'contestId',
  entryId: 'entryId',
};

function documentFor(operation: Operation, fixtures: Map<string, string>): { query: string; variables: Record<string, unknown> } {
  const variables: Record<string, unknown> = {};
  const declarations: string[] = [];
  const args: string[] = [];
  const returnType = getNamedType(operation.field.type);
  const idFixture = idFixtureOf(operation, fixtures);
  for (const argument of operation.field.args) {
    const required = argument.type instanceof GraphQLNonNull;
    if (!required && !(argument.name in ARGUMENT_FIXTURES)) continue;
    const value = argument.name === 'id' ? (idFixture ?? RANDOM_ID) : valueFor(argument.name, argument.type, fixtures);
    if (value === undefined) continue;
    variables[argument.name] = value;
    declarations.push(`$${argument.name}: ${argument.type.toString()}`);
    args.push(`${argument.name}: $${argument.name}`);
  }
  const selection = isCompositeType(returnType) ? ' { __typename }' : '';
  const head = declarations.length > 0 ? `(${declarations.join(', ')})` : '';
  const call = args.length > 0 ? `(${args.join(', ')})` : '';
  return { query: `${operation.kind.toLowerCase()}${head} { ${operation.name}${call}${selection} }`, variables };
}

const RANDOM_ID = '00000000-0000-4000-8000-00000000d1c7';

function valueFor(name: string, type: GraphQLInputType, fixtures: Map<string, string>, depth = 0): unknown {
  if (type instanceof GraphQLNonNull) return valueFor(name, type.ofType, fixtures, depth);
  if (type instanceof GraphQLList) return [];
  if (type instanceof GraphQLEnumType) return type.getValues()[0].value;
  if (type instanceof GraphQLInputObjectType) {
    if (depth > 3) return {};
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => field.type instanceof GraphQLNonNull || field.name in ARGUMENT_FIXTURES)
        .map((field) => [field.name, valueFor(field.name, field.type, fixtures, depth + 1)]),
    );
  }
  const scalar = type.name;
  if (name in ARGUMENT_FIXTURES) return fixtures.get(ARGUMENT_FIXTURES[name]) ?? RANDOM_ID;
  if (scalar === 'ID') return RANDOM_ID;
  if (scalar === 'Int') return 1;
  if (scalar === 'Float') return 1.5;
  if (scalar === 'Boolean') return false;
  if (scalar === 'DateTime') return '2026-11-20T02:00:00.000Z';
  if (scalar === 'LocalDate') return '2026-11-20';
  if (/month/i.test(name)) return MONTH;
  return 'matrix';
}

/** Records of street A the matrix names: one of each kind an argument or a reference can carry. */
async function arrangeFixtures(
  platform: TestPlatform,
  fixtures: Map<string, string>,
  home: { id: string; compoundId: string; communityId: string },
  streetId: string,
): Promise<void> {
  const one = async (service: ServiceName, sql: string, params: unknown[]): Promise<string | undefined> =>
    (await platform.database(service).query(sql, params))[0]?.id;
  const set = (key: string, id: string | undefined) => id && fixtures.set(key, id);
  set('householdId', home.id);
  set('Household', home.id);
  set('orgUnitId', home.compoundId);
  set('OrgUnit', home.compoundId);
  set('communityId', home.communityId);
  set('DistrictMonth', MONTH);
  set('streetId', streetId);
  // A minor of home A whose guardian's consent is on record.
  await platform.database(ServiceName.Households).query(
    `INSERT INTO resident (household_id, name, occupation, birth_date, birth_date_precision,
                           guardian_name, guardian_relation, guardian_phone, guardian_consent_recorded_at, guardian_consent_recorded_by)
     VALUES ($1, '周小雨', 'STUDENT', current_date - interval '10 years', 'DAY', '周建国', '父亲', '13912345678', now(), 'matrix')`,
    [home.id],
  );
  set('consentHouseholdId', home.id);
  set('residentId', await one(ServiceName.Households, 'SELECT id FROM resident WHERE household_id = $1 ORDER BY id LIMIT 1', [home.id]));
  const [member] = await platform.database(ServiceName.Organization).query(
    `SELECT m.id, to_char(max(v.month), 'YYYY-MM') AS month FROM party_member m JOIN org_unit u ON u.id = m.community_id
       LEFT JOIN vanguard_index_month v ON v.party_member_id = m.id
      WHERE u.path @> ARRAY[$1::uuid]
      GROUP BY m.id ORDER BY (m.community_id = $2::uuid) DESC, count(v.month) > 0 DESC, (m.phone IS NOT NULL) DESC, m.id LIMIT 1`,
    [streetId, home.communityId],
  );
  set('memberId', member?.id);
  // The seed gives members no phone: the probe of phones needs one.
  await platform.database(ServiceName.Organization).query(`UPDATE party_member SET phone = '13800001234' WHERE id = $1`, [member?.id]);
  set('vanguardMonth', member?.month ?? undefined);
  set('PartyMember', member?.id);
  const partyOrg = await one(
    ServiceName.Organization,
    `SELECT o.id FROM party_org o WHERE o.org_unit_id = $1 AND o.kind = 'COMMUNITY_BRANCH' ORDER BY o.id LIMIT 1`,
    [home.communityId],
  );
  set('partyOrgId', partyOrg);
  set('PartyOrg', partyOrg);
  const institution = await one(
    ServiceName.Organization,
    `SELECT i.id FROM institution i JOIN org_unit u ON u.id = i.org_unit_id WHERE u.path @> ARRAY[$1::uuid] ORDER BY i.id LIMIT 1`,
    [streetId],
  );
  set('institutionId', institution);
  set('Institution', institution);
  set(
    'otherInstitution',
    await one(ServiceName.Organization, 'SELECT id FROM institution WHERE id <> $1 ORDER BY id LIMIT 1', [institution]),
  );
  const activity = await one(
    ServiceName.Organization,
    `SELECT a.id FROM volunteer_activity a JOIN org_unit u ON u.id = a.org_unit_id
      WHERE u.path @> ARRAY[$1::uuid] AND EXISTS (SELECT 1 FROM volunteer_sign_up s WHERE s.activity_id = a.id)
      ORDER BY u.path @> ARRAY[$2::uuid] DESC, a.id LIMIT 1`,
    [streetId, home.communityId],
  );
  set('activityId', activity);
  set('VolunteerActivity', activity);
  // A quiz, and a closed contest with an awarded entry (an entrant's name to probe), of home A's community.
  const quiz = await one(
    ServiceName.Organization,
    `INSERT INTO volunteer_quiz (campaign, title, org_unit_id, opens_at, closes_at, created_by)
     VALUES ('TRUSTWORTHY_HOMEMAKERS', '矩阵答题', $1, now() - interval '1 day', now() + interval '1 day', 'matrix') RETURNING id`,
    [home.communityId],
  );
  await platform
    .database(ServiceName.Organization)
    .query(
      `INSERT INTO volunteer_quiz_question (quiz_id, number, text, options, correct_option) VALUES ($1, 1, '旧报纸属于？', ARRAY['可回收物', '其他垃圾'], 0)`,
      [quiz],
    );
  set('quizId', quiz);
  set('VolunteerQuiz', quiz);
  const contest = await one(
    ServiceName.Organization,
    `INSERT INTO volunteer_contest (campaign, title, theme, org_unit_id, entries_close_at, created_by)
     VALUES ('GOLDEN_YOUNGSTERS', '矩阵比赛', '垃圾分类', $1, now() - interval '1 day', 'matrix') RETURNING id`,
    [home.communityId],
  );
  await platform
    .database(ServiceName.Organization)
    .query(`INSERT INTO volunteer_contest_tier (contest_id, rank, tier, award_count) VALUES ($1, 1, '一等奖', 1)`, [contest]);
  set('contestId', contest);
  set('VolunteerContest', contest);
  set(
    'entryId',
    await one(
      ServiceName.Organization,
      `INSERT INTO volunteer_contest_entry (contest_id, volunteer_id, title, entrant_name, award_rank, awarded_by, awarded_at)
     SELECT $1, (SELECT id FROM volunteer ORDER BY user_id LIMIT 1), '四色桶的故事', '周小雨', 1, 'matrix', now() RETURNING id`,
      [contest],
    ),
  );
  set(
    'CollectionPoint',
    await one(
      ServiceName.Households,
      `SELECT p.id FROM collection_point p JOIN territory_unit t ON t.id = p.compound_id WHERE t.path @> ARRAY[$1::uuid]
      ORDER BY t.path @> ARRAY[$2::uuid] DESC, p.id LIMIT 1`,
      [streetId, home.communityId],
    ),
  );
  set(
    'DoorToDoorCollection',
    await one(
      ServiceName.Households,
      `SELECT d.id FROM door_to_door_collection d JOIN territory_unit t ON t.id = d.compound_id WHERE t.path @> ARRAY[$1::uuid]
      ORDER BY t.path @> ARRAY[$2::uuid] DESC, d.id LIMIT 1`,
      [streetId, home.communityId],
    ),
  );
  set(
    'PhotoCheckIn',
    await one(
      ServiceName.Households,
      `SELECT c.id FROM photo_check_in c JOIN household h ON h.id = c.household_id JOIN territory_unit t ON t.id = h.compound_id
      WHERE t.path @> ARRAY[$1::uuid] AND t.path @> ARRAY[$2::uuid] ORDER BY c.id LIMIT 1`,
      [streetId, home.communityId],
    ),
  );
  set(
    'Inspection',
    await one(
      ServiceName.Households,
      `SELECT i.id FROM inspection i JOIN household h ON h.id = i.household_id JOIN territory_unit t ON t.id = h.compound_id
      WHERE t.path @> ARRAY[$1::uuid] ORDER BY (h.id = $2) DESC, t.path @> ARRAY[$3::uuid] DESC, i.id LIMIT 1`,
      [streetId, home.id, home.communityId],
    ),
  );
  // A finished manual run of home A's compound (the seed's runs cover the whole district).
  set(
    'EvaluationRun',
    await one(
      ServiceName.Households,
      `INSERT INTO evaluation_run (month, org_unit_id, trigger, requested_by, status, finished_at)
     VALUES (date '2026-10-01', $1, 'MANUAL', 'matrix', 'COMPLETED', now()) RETURNING id`,
      [home.compoundId],
    ),
  );
  // An open objection of home A to a month's grade (the matrix's platform closes windows at once, so it is written here).
  set(
    'GradeObjection',
    await one(
      ServiceName.Households,
      `INSERT INTO grade_objection (household_id, month, district_id, statement, filed_by, grade_objected)
     SELECT $1, date '2026-10-01', t.path[1], '矩阵', 'matrix', 'UNQUALIFIED'
       FROM household h JOIN territory_unit t ON t.id = h.compound_id WHERE h.id = $1 RETURNING id`,
      [home.id],
    ),
  );
  // A campaign and a joint action of street A alone (a district-wide one concerns every street).
  const ofStreetA = (table: string, units: string) => `SELECT x.id FROM ${table} x
    WHERE EXISTS (SELECT 1 FROM territory_unit t WHERE t.id = ANY(x.${units}))
      AND NOT EXISTS (SELECT 1 FROM territory_unit t WHERE t.id = ANY(x.${units}) AND NOT t.path @> ARRAY[$1::uuid]) ORDER BY x.id LIMIT 1`;
  set('Campaign', await one(ServiceName.Enforcement, ofStreetA('campaign', 'target_unit_ids'), [streetId]));
  set(
    'CitizenReport',
    await one(
      ServiceName.Enforcement,
      'SELECT id FROM citizen_report WHERE unit_path @> ARRAY[$1::uuid] ORDER BY unit_path @> ARRAY[$2::uuid] DESC, id LIMIT 1',
      [streetId, home.communityId],
    ),
  );
  set(
    'Case',
    await one(
      ServiceName.Enforcement,
      `SELECT c.id FROM enforcement_case c JOIN territory_unit t ON t.id = c.org_unit_id WHERE t.path @> ARRAY[$1::uuid]
      ORDER BY t.path @> ARRAY[$2::uuid] DESC, c.id LIMIT 1`,
      [streetId, home.communityId],
    ),
  );
  set('JointAction', await one(ServiceName.Enforcement, ofStreetA('joint_action', 'target_unit_ids'), [streetId]));
  set(
    'Notice',
    await one(
      ServiceName.Notifications,
      `SELECT n.id FROM notice n JOIN territory_unit t ON t.id = n.compound_id WHERE t.path @> ARRAY[$1::uuid] ORDER BY n.id LIMIT 1`,
      [streetId],
    ),
  );
  set('PublicDisclosure', await one(ServiceName.Notifications, 'SELECT id FROM public_disclosure ORDER BY id LIMIT 1', []));
}
