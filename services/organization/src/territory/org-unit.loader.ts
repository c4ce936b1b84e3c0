import { byIds, requestLoader, type RequestContext } from '#libs/platform';
import type { OrgUnitRow } from './org-unit.entity.js';
import type { OrgUnitService } from './org-unit.service.js';

/** The request's batched OrgUnit loader: any number of lookups in one tick become one `id = ANY($1)` query. */
export function orgUnitLoader(context: RequestContext, units: OrgUnitService) {
  return requestLoader<OrgUnitRow>(context, 'OrgUnit', async (ids) => byIds(ids, await units.findByIds(ids)));
}
