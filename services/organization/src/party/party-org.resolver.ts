import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { PageArgs } from '#libs/pagination';
import { CurrentCaller, LocalDateScalar, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { Institution } from '../institutions/institution.model.js';
import { InstitutionService } from '../institutions/institution.service.js';
import { orgUnitLoader } from '../territory/org-unit.loader.js';
import { OrgUnit } from '../territory/org-unit.model.js';
import { OrgUnitService, canSee } from '../territory/org-unit.service.js';
import { PartyMemberService } from './party-member.service.js';
import { PartyOrgService } from './party-org.service.js';
import { CreatePartyOrgInput, PartyOrgsArgs } from './party.inputs.js';
import { institutionLoader } from '../institutions/institution.loader.js';
import { memberCountLoader, partyMemberLoader, partyOrgLoader, secretaryLoader } from './party.loaders.js';
import { PartyMember, PartyOrg, PartyOrgConnection, SecretaryPost, SecretaryPostConnection, type PartyOrgRow } from './party.models.js';
import { orgWithinScope } from './party-scope.js';

@Resolver(() => PartyOrg)
export class PartyOrgResolver {
  constructor(
    private readonly orgs: PartyOrgService,
    private readonly members: PartyMemberService,
    private readonly units: OrgUnitService,
    private readonly institutions: InstitutionService,
  ) {}

  @Query(() => PartyOrg, { description: 'One party organisation. FORBIDDEN when it answers to a unit outside your territory.' })
  async partyOrg(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The party organisation's id." }, ParseUuidPipe) id: string,
  ): Promise<PartyOrg> {
    return PartyOrg.from(await this.orgs.get(caller, id));
  }

  @Query(() => PartyOrgConnection, { description: 'Party organisations of your territory, top down by kind, then by name.' })
  partyOrgs(@CurrentCaller() caller: Caller, @Args() args: PartyOrgsArgs): Promise<PartyOrgConnection> {
    if (args.parentId) args.parentId = requireUuid(args.parentId, 'parentId');
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.orgs.list(caller, args);
  }

  @Mutation(() => PartyOrg, {
    description:
      'Adds a party organisation under a parent of the right kind (INVALID_PARENT_KIND otherwise), tied to its unit or institution.',
  })
  async createPartyOrg(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'Its kind, name and parent.' }) input: CreatePartyOrgInput,
  ): Promise<PartyOrg> {
    if (input.parentId) input.parentId = requireUuid(input.parentId, 'parentId');
    if (input.orgUnitId) input.orgUnitId = requireUuid(input.orgUnitId, 'orgUnitId');
    if (input.institutionId) input.institutionId = requireUuid(input.institutionId, 'institutionId');
    return PartyOrg.from(await this.orgs.create(caller, input));
  }

  @Mutation(() => PartyOrg, {
    description: "Appoints the organisation's secretary from startsOn; the previous secretary's post ends the day before.",
  })
  async appointSecretary(
    @CurrentCaller() caller: Caller,
    @Args('partyOrgId', { type: () => ID, description: 'The party organisation.' }, ParseUuidPipe) partyOrgId: string,
    @Args('memberId', { type: () => ID, description: 'The party member appointed secretary.' }, ParseUuidPipe) memberId: string,
    @Args('startsOn', {
      type: () => LocalDateScalar,
      description: "First day of the term (Asia/Shanghai); the previous secretary's term ends the day before.",
    })
    startsOn: string,
  ): Promise<PartyOrg> {
    return PartyOrg.from(await this.orgs.appointSecretary(caller, partyOrgId, memberId, startsOn));
  }

  @ResolveField(() => PartyOrg, {
    nullable: true,
    description: 'Null for the district committee, and when the parent lies outside your territory.',
  })
  async parent(@Parent() org: PartyOrg, @CurrentCaller() caller: Caller, @Context() context: RequestContext): Promise<PartyOrg | null> {
    if (!org.parentId) return null;
    const parent = await partyOrgLoader(context, this.orgs).load(org.parentId);
    return parent && orgWithinScope(caller, parent) ? PartyOrg.from(parent) : null;
  }

  @ResolveField(() => [PartyOrg], {
    description: 'The organisations above this one, from the district committee down, omitting those outside your territory.',
  })
  async ancestors(@Parent() org: PartyOrg, @CurrentCaller() caller: Caller, @Context() context: RequestContext): Promise<PartyOrg[]> {
    // Read from the live path (one batched query per request), so a re-parenting shows at once.
    const found = await partyOrgLoader(context, this.orgs).loadMany(org.path.slice(0, -1));
    return found
      .filter((row): row is PartyOrgRow => !!row && !(row instanceof Error) && orgWithinScope(caller, row))
      .map((row) => PartyOrg.from(row));
  }

  @ResolveField(() => PartyOrgConnection, { description: 'The organisations directly under this one (inside your territory).' })
  async children(
    @Parent() org: PartyOrg,
    @CurrentCaller() caller: Caller,
    @Args() page: PageArgs,
    @Context() context: RequestContext,
  ): Promise<PartyOrgConnection> {
    // One statement per page of organisations asking for the same page of children.
    const loader = requestLoader<PartyOrgConnection>(
      context,
      `PartyOrg.children:${JSON.stringify([page.first ?? null, page.after ?? null])}`,
      (ids) => this.orgs.childrenOf(caller, ids, page),
    );
    return (await loader.load(org.id))!;
  }

  @ResolveField(() => OrgUnit, { nullable: true, description: 'The territory unit a territorial organisation is tied to.' })
  async orgUnit(@Parent() org: PartyOrg, @CurrentCaller() caller: Caller, @Context() context: RequestContext): Promise<OrgUnit | null> {
    if (!org.orgUnitId) return null;
    const unit = await orgUnitLoader(context, this.units).load(org.orgUnitId);
    return unit && canSee(caller, unit) ? OrgUnit.from(unit) : null;
  }

  @ResolveField(() => Institution, {
    nullable: true,
    description: 'The institution a department committee or work-unit branch is tied to.',
  })
  async institution(@Parent() org: PartyOrg, @Context() context: RequestContext): Promise<Institution | null> {
    if (!org.institutionId) return null;
    const institution = await institutionLoader(context, this.institutions).load(org.institutionId);
    return institution ? Institution.from(institution) : null;
  }

  @ResolveField(() => PartyMember, { nullable: true, description: 'The secretary (书记) today; null when the post is vacant.' })
  secretary(@Parent() org: PartyOrg, @Context() context: RequestContext): Promise<PartyMember | null> {
    return secretaryLoader(context, this.orgs, this.members).load(org.id);
  }

  @ResolveField(() => SecretaryPostConnection, { description: 'Every secretary of the organisation, latest first.' })
  async secretaries(@Parent() org: PartyOrg, @Args() page: PageArgs, @Context() context: RequestContext): Promise<SecretaryPostConnection> {
    // One statement per page of organisations asking for the same page of secretaries.
    const loader = requestLoader<SecretaryPostConnection>(
      context,
      `PartyOrg.secretaries:${JSON.stringify([page.first ?? null, page.after ?? null])}`,
      (ids) => this.orgs.secretaryPostsOf(ids, page),
    );
    return (await loader.load(org.id))!;
  }

  /** Other subgraphs reference organisations by id (a duty's organisation); one batched query per request. */
  @ResolveReference()
  async resolveReference(@Parent() reference: { id: string }, @Context() context: RequestContext): Promise<PartyOrg | null> {
    const org = await partyOrgLoader(context, this.orgs).load(reference.id);
    return org ? PartyOrg.from(org) : null;
  }

  @ResolveField(() => Int, { description: 'Members registered (open registrations) with this organisation or any branch below it.' })
  async memberCount(@Parent() org: PartyOrg, @Context() context: RequestContext): Promise<number> {
    return (await memberCountLoader(context, this.orgs).load(org.id)) ?? 0;
  }
}

@Resolver(() => SecretaryPost)
export class SecretaryPostResolver {
  constructor(private readonly members: PartyMemberService) {}

  @ResolveField(() => PartyMember, { description: 'The party member holding the post.' })
  async member(@Parent() post: SecretaryPost, @Context() context: RequestContext): Promise<PartyMember> {
    return (await partyMemberLoader(context, this.members).load(post.partyMemberId))!;
  }
}
