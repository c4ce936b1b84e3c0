import { describe, expect, it } from '@jest/globals';
import { planDistrict } from '../district-plan.js';
import { planHouseholds, type PlanHousehold } from '../households.js';

const plan = planDistrict();
const all = (total: number, batchSize?: number): PlanHousehold[] => [...planHouseholds(plan, total, batchSize)].flat();
const households = all(24_000);

describe('planHouseholds', () => {
  it('yields exactly the total asked for', () => {
    expect(households).toHaveLength(24_000);
  });

  it('yields batches no larger than the batch size', () => {
    const sizes = [...planHouseholds(plan, 24_000)].map((batch) => batch.length);
    expect(sizes).toEqual([10_000, 10_000, 4_000]);
  });

  it('gives every household its own address and id', () => {
    const addresses = new Set(households.map((h) => `${h.compoundId}/${h.building}/${h.unit}/${h.room}`));
    expect(addresses.size).toBe(households.length);
    expect(new Set(households.map((h) => h.id)).size).toBe(households.length);
  });

  it('places households only in compounds of the plan, with their compound’s property company', () => {
    const compounds = new Map(plan.compounds.map((compound) => [compound.id, compound]));
    const misplaced = households.filter((h) => h.propertyCompanyId !== compounds.get(h.compoundId)?.propertyCompanyId);
    expect(misplaced).toEqual([]);
  });

  it('numbers rooms as floor and flat: 101, 102, 201, …', () => {
    const badRooms = households.map((h) => h.room).filter((room) => room < 101 || ![1, 2].includes(room % 100));
    expect(badRooms).toEqual([]);
  });

  it('gives the same households on every run', () => {
    expect(all(24_000)).toEqual(households);
  });

  it('does not depend on the batch size', () => {
    expect(all(2_000, 333)).toEqual(all(2_000));
  });

  it('yields the total for a small district too', () => {
    expect([...planHouseholds(planDistrict({ streets: 2 }), 500)].flat()).toHaveLength(500);
  });
});
