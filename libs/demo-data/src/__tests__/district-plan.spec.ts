import { describe, expect, it } from '@jest/globals';
import { planDistrict, planUnits, type PlanUnitKind } from '../district-plan.js';

const plan = planDistrict();
const units = planUnits(plan);
const CHINESE = /[\u4e00-\u9fff]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('planDistrict', () => {
  it('gives the same plan on every call', () => {
    expect(planDistrict()).toEqual(plan);
  });

  it('gives a different plan for another seed', () => {
    expect(planDistrict({ seed: 7 }).district.id).not.toBe(plan.district.id);
  });

  it('has 22 streets, at least 150 communities and at least 600 compounds', () => {
    expect(plan.district).toMatchObject({ kind: 'DISTRICT', name: '鄞州区', parentId: null });
    expect(plan.streets).toHaveLength(22);
    expect(plan.communities.length).toBeGreaterThanOrEqual(150);
    expect(plan.compounds.length).toBeGreaterThanOrEqual(600);
  });

  it('includes every kind of institution', () => {
    const kinds = new Set(plan.institutions.map((institution) => institution.kind));
    expect([...kinds].sort()).toEqual(['DEPARTMENT', 'EMPLOYER', 'MEDIA', 'PROPERTY_COMPANY', 'SCHOOL']);
  });

  it('places institutions in the district or one of its streets', () => {
    const places = new Set([plan.district.id, ...plan.streets.map((street) => street.id)]);
    for (const institution of plan.institutions) expect(places).toContain(institution.orgUnitId);
  });

  it('gives compounds a property company of the plan', () => {
    const companies = new Set(plan.institutions.filter((i) => i.kind === 'PROPERTY_COMPANY').map((i) => i.id));
    for (const compound of plan.compounds) expect(companies).toContain(compound.propertyCompanyId);
  });

  it('gives every unit a path from the district down to itself', () => {
    for (const unit of units) {
      expect(unit.path[0]).toBe(plan.district.id);
      expect(unit.path.at(-1)).toBe(unit.id);
    }
  });

  it('makes each path its parent path plus its own id', () => {
    const byId = new Map(units.map((unit) => [unit.id, unit]));
    for (const unit of units.slice(1)) {
      const parent = byId.get(unit.parentId!);
      expect(unit.path).toEqual([...parent!.path, unit.id]);
    }
  });

  it('puts each kind of unit one level below its parent kind', () => {
    const levels: PlanUnitKind[] = ['DISTRICT', 'STREET', 'COMMUNITY', 'COMPOUND'];
    const byId = new Map(units.map((unit) => [unit.id, unit]));
    for (const unit of units.slice(1)) {
      const parent = byId.get(unit.parentId!)!;
      expect(levels.indexOf(unit.kind)).toBe(levels.indexOf(parent.kind) + 1);
      expect(unit.path).toHaveLength(levels.indexOf(unit.kind) + 1);
    }
  });

  it('gives unique UUIDs and unique codes', () => {
    const ids = [...units.map((unit) => unit.id), ...plan.institutions.map((institution) => institution.id)];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(units.map((unit) => unit.code)).size).toBe(units.length);
    const creditCodes = plan.institutions.map((institution) => institution.creditCode);
    expect(new Set(creditCodes).size).toBe(creditCodes.length);
  });

  it('names communities and compounds in Chinese', () => {
    for (const unit of [...plan.communities, ...plan.compounds]) expect(unit.name).toMatch(CHINESE);
  });

  it('makes a smaller district when asked for fewer streets', () => {
    const small = planDistrict({ streets: 2 });
    expect(small.streets).toHaveLength(2);
    const streetIds = new Set(small.streets.map((street) => street.id));
    for (const community of small.communities) expect(streetIds).toContain(community.parentId);
  });
});
