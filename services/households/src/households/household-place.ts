import { canSeeHousehold, type Caller } from '#libs/auth';
import { queryFirst, type SqlExecutor } from '#libs/database';
import { DomainError } from '#libs/errors';

/** Where a household lives: its compound, the property company managing it, and the compound's path (district first). */
export interface HouseholdPlace {
  compoundId: string;
  propertyCompanyId: string | null;
  path: string[];
}

/** The household's place, or NOT_FOUND; for a caller already known to be allowed (a resident's own household). */
export async function findHouseholdPlace(db: SqlExecutor, householdId: string): Promise<HouseholdPlace> {
  const place = await queryFirst<HouseholdPlace>(
    db,
    `SELECT h.compound_id AS "compoundId", h.property_company_id AS "propertyCompanyId", t.path::text[] AS path
       FROM household h JOIN territory_unit t ON t.id = h.compound_id WHERE h.id = $1`,
    [householdId],
  );
  if (!place) throw DomainError.notFound('Household', householdId);
  return place;
}

/** The household's place, provided the caller may see the household (a resident only their own): else NOT_FOUND or OUT_OF_SCOPE. */
export async function requireVisibleHousehold(db: SqlExecutor, caller: Caller, householdId: string): Promise<HouseholdPlace> {
  const place = await findHouseholdPlace(db, householdId);
  if (!canSeeHousehold(caller, householdId, place.path)) {
    throw DomainError.forbidden('That household is outside your territory', 'OUT_OF_SCOPE');
  }
  return place;
}
