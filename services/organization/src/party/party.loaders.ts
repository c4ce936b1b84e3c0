import { byIds, requestLoader, type RequestContext } from '#libs/platform';
import type { InstitutionEntity } from '../institutions/institution.entity.js';
import type { InstitutionService } from '../institutions/institution.service.js';
import type { PartyMemberService } from './party-member.service.js';
import type { PartyOrgService } from './party-org.service.js';
import type { BranchRegistrationRow, PartyMemberRow, PartyOrgRow } from './party.models.js';

/** The request's batched loaders: every lookup of a page becomes one `= ANY($1)` query per kind of entity. */
export const partyOrgLoader = (context: RequestContext, orgs: PartyOrgService) =>
  requestLoader<PartyOrgRow>(context, 'PartyOrg', async (ids) => byIds(ids, await orgs.findByIds(ids)));

export const partyMemberLoader = (context: RequestContext, members: PartyMemberService) =>
  requestLoader<PartyMemberRow>(context, 'PartyMember', async (ids) => byIds(ids, await members.findByIds(ids)));

export const secretaryLoader = (context: RequestContext, orgs: PartyOrgService) =>
  requestLoader<PartyMemberRow>(context, 'PartyOrgSecretary', async (ids) => {
    const found = new Map((await orgs.currentSecretaries(ids)).map((row) => [row.partyOrgId, row]));
    return ids.map((id) => found.get(id) ?? null);
  });

export const memberCountLoader = (context: RequestContext, orgs: PartyOrgService) =>
  requestLoader<number>(context, 'PartyOrgMemberCount', async (ids) => {
    const counts = await orgs.memberCounts(ids);
    return ids.map((id) => counts.get(id) ?? 0);
  });

export const registrationsLoader = (context: RequestContext, members: PartyMemberService) =>
  requestLoader<BranchRegistrationRow[]>(context, 'PartyMemberOpenRegistrations', async (ids) => {
    const rows = await members.openRegistrations(ids);
    return ids.map((id) => rows.filter((row) => row.partyMemberId === id));
  });

export const institutionLoader = (context: RequestContext, institutions: InstitutionService) =>
  requestLoader<InstitutionEntity>(context, 'Institution', async (ids) => byIds(ids, await institutions.findByIds(ids)));
