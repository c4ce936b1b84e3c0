import { describe, expect, it } from '@jest/globals';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse, type GraphQLSchema } from 'graphql';
import {
  Masking,
  Permission,
  Role,
  district,
  emptyPolicies,
  personalData,
  territory,
  wholeDistrict,
  type Caller,
  type ServicePolicies,
} from '#libs/auth';
import { ErrorCode } from '#libs/errors';
import { accessPolicyProblems, enforceAccessPolicies } from '../access-policy-enforcement.js';

const SDL = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key"])
  type Query { households: [Household!]! rules: String! }
  type Mutation { publishRules: String! }
  type Household @key(fields: "id") { id: ID! phone: String }
`);
const HOUSEHOLD = { id: 'h1', phone: '13812345678' };

function schema(): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: SDL,
    resolvers: {
      Query: { households: () => [HOUSEHOLD], rules: () => 'v1' },
      Mutation: { publishRules: () => 'v2' },
      Household: { __resolveReference: () => HOUSEHOLD },
    },
  });
}

const policies = (): ServicePolicies => ({
  operations: {
    'Query.households': [territory(Permission.HOUSEHOLD_READ)],
    'Query.rules': [district(Permission.EVALUATION_READ)],
    'Mutation.publishRules': [wholeDistrict(Permission.GRADING_RULES_MANAGE)],
  },
  references: { Household: [territory(Permission.HOUSEHOLD_READ)] },
  personalData: { 'Household.phone': personalData([Permission.PERSONAL_DATA_READ], Masking.WITHHELD) },
});

const caller = (roles: Role[], orgUnitId: string | null): Caller => ({
  userId: 'u',
  roles,
  orgUnitId,
  householdId: null,
  institutionId: null,
  requestId: 'r',
});

async function run(source: string, as: Caller, variables: Record<string, unknown> = {}) {
  const guarded = enforceAccessPolicies(schema(), policies(), 'test');
  return graphql({ schema: guarded, source, contextValue: { caller: as }, variableValues: variables });
}

describe('access policy enforcement', () => {
  it('names every operation and entity without a policy, and every policy for something the schema lacks', () => {
    const incomplete = {
      ...emptyPolicies(),
      operations: { 'Query.rules': [district(Permission.EVALUATION_READ)], 'Query.gone': [district(Permission.EVALUATION_READ)] },
    };
    expect(accessPolicyProblems(schema(), incomplete).sort()).toEqual([
      'Mutation.publishRules has no access policy',
      'Query.households has no access policy',
      'policy for Query.gone, which the schema does not have',
      'reference to Household has no access policy',
    ]);
    expect(() => enforceAccessPolicies(schema(), incomplete, 'test')).toThrow(/access policies do not match the schema/);
  });

  it('refuses a caller without the permission before the resolver runs', async () => {
    const result = await run('{ households { id } }', caller([Role.BUREAU_OFFICER], null));
    expect(result.errors?.[0].originalError).toMatchObject({ code: ErrorCode.FORBIDDEN, reason: 'MISSING_PERMISSION' });
    expect(result.data).toBeNull();
  });

  it('refuses a whole-district operation to a caller of part of it', async () => {
    const street = await run(
      'mutation { publishRules }',
      caller([Role.STREET_ADMIN, Role.DISTRICT_ADMIN], 'a0000000-0000-4000-8000-000000000000'),
    );
    expect(street.errors?.[0].originalError).toMatchObject({ code: ErrorCode.FORBIDDEN, reason: 'OUT_OF_SCOPE' });
    expect((await run('mutation { publishRules }', caller([Role.DISTRICT_ADMIN], null))).data).toEqual({ publishRules: 'v2' });
  });

  it('withholds a personal-data field from a caller who may not read it', async () => {
    const street = await run('{ households { phone } }', caller([Role.STREET_ADMIN], 'a0000000-0000-4000-8000-000000000000'));
    expect(street.data).toEqual({ households: [{ phone: null }] });
    const secretary = await run('{ households { phone } }', caller([Role.COMMUNITY_SECRETARY], 'a1000000-0000-4000-8000-000000000000'));
    expect(secretary.data).toEqual({ households: [{ phone: '13812345678' }] });
  });

  it('resolves a reference to null for a caller the reference policy does not name', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Household { id } } }';
    const representations = { r: [{ __typename: 'Household', id: 'h1' }] };
    expect((await run(query, caller([Role.BUREAU_OFFICER], null), representations)).data).toEqual({ _entities: [null] });
    expect((await run(query, caller([Role.INSPECTOR], 'a1000000-0000-4000-8000-000000000000'), representations)).data).toEqual({
      _entities: [{ id: 'h1' }],
    });
  });
});
