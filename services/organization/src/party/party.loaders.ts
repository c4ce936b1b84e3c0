import { byIds, requestLoader, type RequestContext } from '#libs/platform';
import type { PartyMemberService } from './party-member.service.js';
import type { PartyOrgService } from './party-org.service.js';
import type { BranchRegistrationRow, PartyMember, PartyOrgRow } from './party.models.js';

/** The request's batched loaders: every lookup of a page becomes one `= ANY($1)` query per kind of entity. */
export const partyOrgLoader = (context: RequestContext, orgs: PartyOrgService) =>
  requestLoader<PartyOrgRow>(context, 'PartyOrg', async (ids) => byIds(ids, await orgs.findByIds(ids)));

/**
 * Members as the request's caller may see them (masked or not); the batch's unmasked members are recorded in
 * personal_data_access in one insert (PartyMemberService.present), so a page of them is one audit row.
 */
export const partyMemberLoader = (context: RequestContext, members: PartyMemberService) =>
  requestLoader<PartyMember>(context, 'PartyMember', async (ids) =>
    byIds(ids, await members.present(context.caller, await members.findByIds(ids))),
  );

/** Today's secretary of each organisation, presented and audited as partyMemberLoader does. */
export const secretaryLoader = (context: RequestContext, orgs: PartyOrgService, members: PartyMemberService) =>
  requestLoader<PartyMember>(context, 'PartyOrgSecretary', async (ids) => {
    const rows = await orgs.currentSecretaries(ids);
    const presented = await members.present(context.caller, rows);
    const found = new Map(rows.map((row, i) => [row.partyOrgId, presented[i]]));
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
