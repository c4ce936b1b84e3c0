import { describe, expect, it } from '@jest/globals';
import { CreatePartyStructure1796000000104 } from '../../database/migrations/1796000000104-createPartyStructure.js';
import { PARTY_ORG_KIND_LABEL_ZH, PARTY_ORG_PARENT_KINDS, PartyOrgKind, RegistrationKind, registrationKindOf } from '../party-org-kind.js';

/** The statements migration 104 runs, captured without a database. */
async function migrationSql(): Promise<string> {
  const statements: string[] = [];
  const query = (sql: string) => {
    statements.push(sql);
    return Promise.resolve();
  };
  await new CreatePartyStructure1796000000104().up({ query } as never);
  return statements.join('\n');
}

describe('party organisation kinds', () => {
  it('allow the same parent kinds as the database trigger', async () => {
    const sql = await migrationSql();
    const trigger = sql.slice(sql.indexOf('CREATE FUNCTION party_org_parent_kind'));
    for (const kind of Object.values(PartyOrgKind)) {
      if (kind === PartyOrgKind.DISTRICT_COMMITTEE) {
        expect(PARTY_ORG_PARENT_KINDS[kind]).toEqual([]);
        continue;
      }
      const rule = new RegExp(`WHEN '${kind}' THEN parent_kind (?:= '(\\w+)'|IN \\(([^)]*)\\))`).exec(trigger);
      expect(rule).not.toBeNull();
      const allowed = rule![1] ? [rule![1]] : rule![2].split(',').map((k) => k.trim().replace(/'/g, ''));
      expect({ kind, allowed: [...PARTY_ORG_PARENT_KINDS[kind]].sort() }).toEqual({ kind, allowed: allowed.sort() });
    }
  });

  it('carry their Chinese terms and register members with branches only', () => {
    expect(PARTY_ORG_KIND_LABEL_ZH[PartyOrgKind.COMPOUND_BRANCH]).toBe('小区支部');
    expect(registrationKindOf(PartyOrgKind.WORK_UNIT_BRANCH)).toBe(RegistrationKind.WORK_UNIT);
    expect(registrationKindOf(PartyOrgKind.COMPOUND_BRANCH)).toBe(RegistrationKind.COMMUNITY);
    expect(registrationKindOf(PartyOrgKind.COMMUNITY_BRANCH)).toBe(RegistrationKind.COMMUNITY);
    expect(registrationKindOf(PartyOrgKind.COMMUNITY_COMMITTEE)).toBeNull();
  });
});
