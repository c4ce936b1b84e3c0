/**
 * One household as the registry holds it now, reduced to what other services may act on: where it is (its compound,
 * never the building, unit or room) and whether it is floating population (流动人口). Never names, phones or residents.
 * `version` comes from one sequence in households and grows with every change of these fields (and on removal), so
 * copies apply snapshots in any order and keep the newest.
 */
export interface HouseholdSnapshot {
  id: string;
  compoundId: string;
  floatingPopulation: boolean;
  /** The household was removed from the registry; `compoundId` is the compound it was in. */
  removed: boolean;
  version: number;
}

/**
 * households → enforcement: registered, moved, changed or removed households. Bulk writes announce their rows in
 * chunks of at most HOUSEHOLDS_PER_EVENT snapshots, so no event is huge.
 */
export interface HouseholdsChangedPayload {
  households: HouseholdSnapshot[];
}

/**
 * Snapshots per `households.changed` event. households' migration 1796000000310 uses the same number in SQL (its
 * trigger and its announcement of existing households); change both together.
 */
export const HOUSEHOLDS_PER_EVENT = 1000;
