import { propertyCompanyOf, type Caller } from '#libs/auth';
import type { SqlParams } from '#libs/database';
import type { Territory } from '#libs/territory';

/**
 * SQL conditions for a list of per-compound rows (`alias` has `compound_id` and `property_company_id`) a caller reads.
 * A property manager: the rows of their company, narrowed to the subtree of `orgUnitId` when one is named. Anyone else:
 * the subtree of `orgUnitId`, which must lie in their territory (default: their territory). None at all for a
 * caller with neither a company nor a unit.
 */
export async function compoundListScope(
  territory: Territory,
  caller: Caller,
  orgUnitId: string | null | undefined,
  alias: string,
  params: SqlParams,
): Promise<string[]> {
  const where: string[] = [];
  const company = propertyCompanyOf(caller);
  if (company) where.push(`${alias}.property_company_id = ${params.add(company)}::uuid`);
  const root = company ? orgUnitId : orgUnitId ? (await territory.requireInScope(caller, orgUnitId)).id : caller.orgUnitId;
  if (root) where.push(`${alias}.compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[${params.add(root)}::uuid])`);
  return where;
}
