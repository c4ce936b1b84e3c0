import { SeededRandom } from './random.js';
import type { DistrictPlan, PlanCompound } from './district-plan.js';

export interface PlanHousehold {
  id: string;
  compoundId: string;
  building: number;
  unit: number;
  room: number;
  tenure: 'OWNER' | 'TENANT';
  floatingPopulation: boolean;
  propertyCompanyId: string;
}

/**
 * Yields `total` households in batches, spread over the plan's compounds by weight and laid out as real
 * buildings: 2–4 units per building, 6–18 floors, two flats per floor (301, 302, …).
 * The same plan and total always give the same households.
 */
export function* planHouseholds(plan: DistrictPlan, total: number, batchSize = 10_000): Generator<PlanHousehold[]> {
  const random = new SeededRandom(plan.seed ^ 0x5eed);
  const counts = apportion(plan.compounds, total);
  let batch: PlanHousehold[] = [];
  for (let i = 0; i < plan.compounds.length; i++) {
    const compound = plan.compounds[i];
    const unitsPerBuilding = random.int(2, 4);
    const floors = random.int(6, 18);
    const flatsPerFloor = 2;
    let building = 1,
      unit = 1,
      floor = 1,
      flat = 1;
    for (let n = 0; n < counts[i]; n++) {
      const tenant = random.chance(0.25);
      batch.push({
        id: random.uuid(),
        compoundId: compound.id,
        building,
        unit,
        room: floor * 100 + flat,
        tenure: tenant ? 'TENANT' : 'OWNER',
        floatingPopulation: random.chance(tenant ? 0.6 : 0.05),
        propertyCompanyId: compound.propertyCompanyId,
      });
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
      if (++flat > flatsPerFloor) {
        flat = 1;
        floor++;
      }
      if (floor > floors) {
        floor = 1;
        unit++;
      }
      if (unit > unitsPerBuilding) {
        unit = 1;
        building++;
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/** Splits `total` over compounds in proportion to their weight (largest remainder, so the parts sum to total). */
function apportion(compounds: readonly PlanCompound[], total: number): number[] {
  const weight = compounds.reduce((sum, c) => sum + c.weight, 0);
  const exact = compounds.map((c) => (c.weight / weight) * total);
  const counts = exact.map(Math.floor);
  let remaining = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((value, i) => ({ i, rest: value - Math.floor(value) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (remaining-- <= 0) break;
    counts[i]++;
  }
  return counts;
}
