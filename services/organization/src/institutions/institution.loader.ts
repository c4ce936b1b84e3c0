import { byIds, requestLoader, type RequestContext } from '#libs/platform';
import type { InstitutionRow } from './institution.entity.js';
import type { InstitutionService } from './institution.service.js';

/** The request's batched Institution loader: any number of lookups in one tick become one `id = ANY($1)` query. */
export function institutionLoader(context: RequestContext, institutions: InstitutionService) {
  return requestLoader<InstitutionRow>(context, 'Institution', async (ids) => byIds(ids, await institutions.findByIds(ids)));
}
