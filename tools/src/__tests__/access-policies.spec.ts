import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { policyFor, ROLE_PERMISSIONS, Role, SIGNED_IN, type Grant } from '#libs/auth';
import { supergraphPolicyProblems } from '../access-policy-coverage.js';
import { repoRoot } from '../repo-root.js';
import { loadAllPolicies } from '../services.js';

const supergraph = () => readFile(join(repoRoot(), 'gateway/supergraph.graphql'), 'utf8');

describe('access policies over the composed schema', () => {
  it('declare every root field, every entity reference and every field that looks like personal data', async () => {
    expect(supergraphPolicyProblems(await supergraph(), await loadAllPolicies())).toEqual([]);
  });

  it('fail as soon as an operation is added without a policy', async () => {
    const withNewOperation = (await supergraph()).replace(
      /^type Query\n((?:  @join__type\(graph: \w+\)\n)+)\{\n/m,
      (opening) => `${opening}  exportEveryResidentsPhone: [String!]! @join__field(graph: HOUSEHOLDS)\n`,
    );
    expect(withNewOperation).toContain('exportEveryResidentsPhone');
    expect(supergraphPolicyProblems(withNewOperation, await loadAllPolicies())).toEqual([
      'Query.exportEveryResidentsPhone (households) has no access policy',
    ]);
  });

  it('fail when a field with personal data is added without a personal-data policy', async () => {
    const withNewField = (await supergraph()).replace(/^type Household\n(.*\n)\{\n/m, (opening) => `${opening}  ownerPhone: String\n`);
    expect(withNewField).toContain('ownerPhone');
    expect(supergraphPolicyProblems(withNewField, await loadAllPolicies())).toEqual([
      'Household.ownerPhone (households) looks like personal data but has no personal-data policy',
    ]);
  });

  it('give an operator (OPERATOR) no reader permission of any personal data, and no entity reference but the month status', async () => {
    const policies = Object.values(await loadAllPolicies());
    const held = ROLE_PERMISSIONS[Role.OPERATOR];
    const holds = (grant: Grant) => grant.permission !== SIGNED_IN && held.includes(grant.permission);
    expect(
      policies.flatMap((policy) => Object.entries(policy.personalData)).filter(([, data]) => data.readers.some((p) => held.includes(p))),
    ).toEqual([]);
    // The one entity an operator resolves is the month's status, keyed by the month and made of figures and ids.
    const references = policies.flatMap((policy) => Object.entries(policy.references)).filter(([, grants]) => grants.some(holds));
    expect([...new Set(references.map(([type]) => type))]).toEqual(['DistrictMonth']);
    // The queue audit and the month's pipeline are theirs to read (ids, queue names, account ids and counts only).
    for (const field of ['Query.queueActionAudit', 'Query.districtMonth', 'Query.evaluationRuns'])
      expect([field, policies.some((policy) => policyFor(policy.operations, field)?.some(holds))]).toEqual([field, true]);
  });
});
