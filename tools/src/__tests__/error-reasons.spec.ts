import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildSchema, isEnumType } from 'graphql';
import { CommonErrorReason } from '#libs/platform';
import { EnforcementErrorReason } from '#services/enforcement/src/enforcement-error-reasons';
import { HouseholdsErrorReason } from '#services/households/src/households-error-reasons';
import { NotificationsErrorReason } from '#services/notifications/src/notifications-error-reasons';
import { OrganizationErrorReason } from '#services/organization/src/organization-error-reasons';
import { thrownReasons } from '../error-reasons.js';
import { repoRoot } from '../repo-root.js';

/**
 * Reasons the scan cannot read from a literal, per file that builds or passes them on, with why. A new computed
 * reason anywhere else fails the spec until it is listed here (and in the enum).
 */
const COMPUTED: Record<string, Record<string, { reasons: string[]; why: string }>> = {
  households: {
    'objections/objection.service.ts': {
      reasons: ['STATEMENT_REQUIRED', 'STATEMENT_TOO_LONG', 'NOTE_REQUIRED', 'NOTE_TOO_LONG'],
      why: 'requireText builds <FIELD>_REQUIRED / <FIELD>_TOO_LONG for the statement and the note',
    },
  },
  enforcement: {
    'evidence/evidence-photos.ts': {
      reasons: ['UNKNOWN_PHOTO', 'NOT_YOUR_PHOTO', 'PHOTO_ALREADY_CITED'],
      why: "households' refusals of a photo citation pass through as they are",
    },
  },
  notifications: {
    'webhooks/webhook.service.ts': {
      reasons: ['INVALID_URL', 'URL_NOT_HTTPS', 'URL_NOT_ALLOWED'],
      why: 'the URL policy refusals (UrlRefusal)',
    },
  },
  organization: {},
};

const SERVICES = [
  { service: 'households', enumName: 'HouseholdsErrorReason', values: HouseholdsErrorReason },
  { service: 'enforcement', enumName: 'EnforcementErrorReason', values: EnforcementErrorReason },
  { service: 'notifications', enumName: 'NotificationsErrorReason', values: NotificationsErrorReason },
  { service: 'organization', enumName: 'OrganizationErrorReason', values: OrganizationErrorReason },
];

const apiSchema = () => buildSchema(readFileSync(join(repoRoot(), 'gateway/api-schema.graphql'), 'utf8'));
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

describe.each(SERVICES)('$enumName', ({ service, enumName, values }) => {
  const scan = thrownReasons(join(repoRoot(), `services/${service}/src`));
  const computed = COMPUTED[service];

  it(`lists exactly the reasons the ${service} service throws (add a new reason to services/${service}/src/${service}-error-reasons.ts)`, () => {
    const thrown = sorted([...scan.reasons.keys(), ...Object.values(computed).flatMap((entry) => entry.reasons)]);
    expect(sorted(Object.values(values))).toEqual(thrown);
  });

  it('has every reason of the service readable from its source, or listed as computed', () => {
    expect(scan.unresolved.filter((site) => !(site.file in computed))).toEqual([]);
  });

  it('is listed with every value in docs/interfaces/graphql.md', () => {
    const docs = readFileSync(join(repoRoot(), 'docs/interfaces/graphql.md'), 'utf8');
    const line = docs.split('\n- ').find((item) => item.startsWith(`**\`${enumName}\`**`)) ?? '';
    expect(Object.values(values).filter((value) => !line.includes(`\`${value}\``))).toEqual([]);
  });

  it('is published in the API schema with every value', () => {
    const type = apiSchema().getType(enumName);
    expect(isEnumType(type) && sorted(type.getValues().map((value) => value.name))).toEqual(sorted(Object.values(values)));
  });
});

describe('CommonErrorReason', () => {
  it('lists exactly the reasons the shared libraries throw', () => {
    const scan = thrownReasons(join(repoRoot(), 'libs'));
    expect(scan.unresolved).toEqual([]);
    expect(sorted(Object.values(CommonErrorReason))).toEqual(sorted(scan.reasons.keys()));
  });

  it('is listed with every value in docs/interfaces/graphql.md', () => {
    const docs = readFileSync(join(repoRoot(), 'docs/interfaces/graphql.md'), 'utf8');
    const line = docs.split('\n- ').find((item) => item.startsWith('**`CommonErrorReason`**')) ?? '';
    expect(Object.values(CommonErrorReason).filter((value) => !line.includes(`\`${value}\``))).toEqual([]);
  });

  it('is published in the API schema with ErrorCode beside it', () => {
    const schema = apiSchema();
    for (const name of ['CommonErrorReason', 'ErrorCode']) expect(isEnumType(schema.getType(name))).toBe(true);
  });
});

describe('thrownReasons', () => {
  it('reads literal reasons, both branches of a conditional, local constants and parameters fed literals, and lists the rest', () => {
    const dir = join(repoRoot(), 'tools/src/__tests__/fixtures/error-reasons');
    const scan = thrownReasons(dir);
    expect(sorted(scan.reasons.keys())).toEqual(['BRANCH_A', 'BRANCH_B', 'FED_BY_CALLER', 'LITERAL', 'LOCAL_CONSTANT']);
    expect(scan.reasons.get('LITERAL')).toEqual([{ file: 'sample.ts', code: 'BAD_USER_INPUT', message: 'name must be 1–… characters' }]);
    expect(scan.reasons.get('FED_BY_CALLER')?.[0].code).toBe('CONFLICT');
    expect(scan.unresolved.map((site) => site.file)).toEqual(['sample.ts']);
  });
});
