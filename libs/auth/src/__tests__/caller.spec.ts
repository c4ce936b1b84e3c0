import { describe, expect, it } from '@jest/globals';
import { DomainError, ErrorCode } from '#libs/errors';
import {
  actsForWholeDistrict,
  canSeeHousehold,
  hasPermission,
  isWithinScope,
  propertyCompanyOf,
  requirePermission,
  requireWithinScope,
  scopeProblem,
  type Caller,
} from '../caller.js';
import { Permission, Role } from '../roles.js';

const DISTRICT = 'd0000000-0000-4000-8000-000000000000';
const STREET_A = 'a0000000-0000-4000-8000-000000000000';
const STREET_B = 'b0000000-0000-4000-8000-000000000000';
const COMMUNITY_A1 = 'a1000000-0000-4000-8000-000000000000';

const caller = (roles: Role[], orgUnitId: string | null): Caller => ({
  userId: 'u',
  roles,
  orgUnitId,
  householdId: null,
  institutionId: null,
  requestId: 'r',
});

function thrown(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('permissions', () => {
  it('grants what any of the roles allows', () => {
    const inspector = caller([Role.INSPECTOR], STREET_A);
    expect(hasPermission(inspector, Permission.PERSONAL_DATA_READ)).toBe(true);
    expect(hasPermission(inspector, Permission.CAMPAIGN_MANAGE)).toBe(false);
    expect(hasPermission(caller([Role.INSPECTOR, Role.STREET_ADMIN], STREET_A), Permission.CAMPAIGN_MANAGE)).toBe(true);
  });

  it('grants nothing to a caller without roles', () => {
    expect(hasPermission(caller([], null), Permission.TERRITORY_READ)).toBe(false);
  });

  it('requirePermission throws FORBIDDEN naming the permission', () => {
    const error = thrown(() => requirePermission(caller([Role.BUREAU_OFFICER], null), Permission.HOUSEHOLD_READ));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: ErrorCode.FORBIDDEN, reason: 'MISSING_PERMISSION' });
    expect((error as Error).message).toContain(Permission.HOUSEHOLD_READ);
  });

  it('requirePermission passes when the permission is held', () => {
    expect(() => requirePermission(caller([Role.DISTRICT_ADMIN], null), Permission.TERRITORY_MANAGE)).not.toThrow();
  });
});

describe('scope', () => {
  it('lets a caller without an org unit see every unit', () => {
    const admin = caller([Role.DISTRICT_ADMIN], null);
    expect(isWithinScope(admin, [DISTRICT])).toBe(true);
    expect(isWithinScope(admin, [DISTRICT, STREET_B, 'c'])).toBe(true);
  });

  it('lets a street admin see only units whose path contains its street', () => {
    const admin = caller([Role.STREET_ADMIN], STREET_A);
    expect(isWithinScope(admin, [DISTRICT, STREET_A])).toBe(true);
    expect(isWithinScope(admin, [DISTRICT, STREET_A, COMMUNITY_A1])).toBe(true);
    expect(isWithinScope(admin, [DISTRICT])).toBe(false);
    expect(isWithinScope(admin, [DISTRICT, STREET_B])).toBe(false);
  });

  it('requireWithinScope throws FORBIDDEN outside the territory', () => {
    const admin = caller([Role.STREET_ADMIN], STREET_A);
    expect(thrown(() => requireWithinScope(admin, [DISTRICT, STREET_B]))).toMatchObject({
      code: ErrorCode.FORBIDDEN,
      reason: 'OUT_OF_SCOPE',
    });
    expect(() => requireWithinScope(admin, [DISTRICT, STREET_A])).not.toThrow();
  });
});

describe('canSeeHousehold', () => {
  const HOUSEHOLD = 'c0000000-0000-4000-8000-000000000001';
  const resident: Caller = {
    userId: 'r',
    roles: [Role.RESIDENT],
    orgUnitId: null,
    householdId: HOUSEHOLD,
    institutionId: null,
    requestId: 'r',
  };

  it('lets a resident see their own household and no other, wherever it is', () => {
    expect(canSeeHousehold(resident, HOUSEHOLD, [DISTRICT])).toBe(true);
    expect(canSeeHousehold(resident, 'c0000000-0000-4000-8000-000000000002', [DISTRICT])).toBe(false);
  });

  it('lets staff see households inside their territory', () => {
    expect(canSeeHousehold(caller([Role.STREET_ADMIN], STREET_B), HOUSEHOLD, [DISTRICT, STREET_B])).toBe(true);
    expect(canSeeHousehold(caller([Role.STREET_ADMIN], STREET_B), HOUSEHOLD, [DISTRICT, COMMUNITY_A1])).toBe(false);
  });

  it('refuses resident tokens without a household or without the compound it is in', () => {
    expect(scopeProblem([Role.RESIDENT], COMMUNITY_A1, null)).toBe('role RESIDENT needs a householdId');
    expect(scopeProblem([Role.RESIDENT], null, HOUSEHOLD)).toBe('roles RESIDENT need an orgUnitId');
    expect(scopeProblem([Role.RESIDENT], COMMUNITY_A1, HOUSEHOLD)).toBeNull();
  });

  it('lets a property manager name their company and nothing else: no org unit, no household, no other role', () => {
    const company = 'c0000000-0000-4000-8000-000000000000';
    expect(scopeProblem([Role.PROPERTY_MANAGER], null, null, company)).toBeNull();
    expect(scopeProblem([Role.PROPERTY_MANAGER], null)).toMatch(/needs an institutionId/);
    expect(scopeProblem([Role.PROPERTY_MANAGER], COMMUNITY_A1, null, company)).toMatch(/carries no orgUnitId/);
    expect(scopeProblem([Role.PROPERTY_MANAGER, Role.DISTRICT_ADMIN], null, null, company)).toMatch(/comes alone/);
    expect(scopeProblem([Role.STREET_ADMIN], STREET_B, null, company)).toMatch(/only role PROPERTY_MANAGER carries an institutionId/);
    const manager: Caller = {
      userId: 'p',
      roles: [Role.PROPERTY_MANAGER],
      orgUnitId: null,
      householdId: null,
      institutionId: company,
      requestId: 'r',
    };
    expect(actsForWholeDistrict(manager)).toBe(false);
    expect(isWithinScope(manager, [DISTRICT, STREET_B])).toBe(false);
    expect(propertyCompanyOf(manager)).toBe(company);
    expect(propertyCompanyOf({ ...manager, roles: [Role.INSTITUTION] })).toBeNull();
  });

  it('lets an operator carry the role alone, with no territory, and reach none', () => {
    expect(scopeProblem([Role.OPERATOR], null)).toBeNull();
    expect(scopeProblem([Role.OPERATOR], COMMUNITY_A1)).toMatch(/carries no orgUnitId/);
    expect(scopeProblem([Role.OPERATOR, Role.DISTRICT_ADMIN], null)).toMatch(/comes alone/);
    const operator: Caller = {
      userId: 'o',
      roles: [Role.OPERATOR],
      orgUnitId: null,
      householdId: null,
      institutionId: null,
      requestId: 'r',
    };
    expect(actsForWholeDistrict(operator)).toBe(false);
    expect(isWithinScope(operator, [DISTRICT, STREET_B])).toBe(false);
    expect(canSeeHousehold(operator, HOUSEHOLD, [DISTRICT, STREET_B])).toBe(false);
  });

  it('refuses a token that claims to be an institution: only an API key makes one', () => {
    expect(scopeProblem([Role.INSTITUTION], null)).toMatch(/only with an institution API key/);
    expect(scopeProblem([Role.DISTRICT_ADMIN, Role.INSTITUTION], null)).toMatch(/only with an institution API key/);
  });
});

describe('callers without an org unit', () => {
  it('reach the whole district only with a district-wide role: never as an institution or the anonymous caller', () => {
    const path = [DISTRICT, STREET_A, COMMUNITY_A1];
    expect(isWithinScope(caller([Role.DISTRICT_ADMIN], null), path)).toBe(true);
    expect(isWithinScope(caller([Role.BUREAU_OFFICER], null), path)).toBe(true);
    const institution = { ...caller([Role.INSTITUTION], null), institutionId: 'i0000000-0000-4000-8000-000000000000' };
    expect(actsForWholeDistrict(institution)).toBe(false);
    expect(isWithinScope(institution, path)).toBe(false);
    expect(isWithinScope(caller([], null), path)).toBe(false);
    expect(isWithinScope(caller([Role.STREET_ADMIN], STREET_B), path)).toBe(false);
  });
});
