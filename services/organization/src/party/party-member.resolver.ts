import { Args, Context, ID, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { Role, type Caller } from '#libs/auth';
import { CurrentCaller, ParseUuidPipe, requireUuid, type RequestContext } from '#libs/platform';
import { Institution } from '../institutions/institution.model.js';
import { InstitutionService } from '../institutions/institution.service.js';
import { orgUnitLoader } from '../territory/org-unit.loader.js';
import { OrgUnit } from '../territory/org-unit.model.js';
import { OrgUnitService, canSee } from '../territory/org-unit.service.js';
import { RegistrationKind } from './party-org-kind.js';
import { PartyMemberService } from './party-member.service.js';
import { PartyOrgService } from './party-org.service.js';
import { CreatePartyMemberInput, PartyMembersArgs } from './party.inputs.js';
import { institutionLoader } from '../institutions/institution.loader.js';
import { partyMemberLoader, partyOrgLoader, registrationsLoader } from './party.loaders.js';
import { BranchRegistration, DualRegistration, PartyMember, PartyMemberConnection, PartyOrg } from './party.models.js';

@Resolver(() => PartyMember)
export class PartyMemberResolver {
  constructor(
    private readonly members: PartyMemberService,
    private readonly units: OrgUnitService,
    private readonly institutions: InstitutionService,
  ) {}

  @Query(() => PartyMember, { description: 'One party member: staff within their territory, or a member their own record.' })
  async partyMember(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The member's id." }, ParseUuidPipe) id: string,
  ): Promise<PartyMember> {
    return this.members.presentOne(caller, await this.members.get(caller, id));
  }

  @Query(() => PartyMemberConnection, { description: 'Party members living in your territory (a party member: only themself).' })
  partyMembers(@CurrentCaller() caller: Caller, @Args() args: PartyMembersArgs): Promise<PartyMemberConnection> {
    if (args.communityId) args.communityId = requireUuid(args.communityId, 'communityId');
    if (args.institutionId) args.institutionId = requireUuid(args.institutionId, 'institutionId');
    if (args.branchId) args.branchId = requireUuid(args.branchId, 'branchId');
    return this.members.list(caller, args);
  }

  @Query(() => PartyMember, { nullable: true, description: "The signed-in party member's own record (by their account)." })
  async myPartyMember(@CurrentCaller() caller: Caller): Promise<PartyMember | null> {
    if (!caller.roles.includes(Role.PARTY_MEMBER)) return null;
    const member = await this.members.mine(caller);
    return member ? this.members.presentOne(caller, member) : null;
  }

  @Mutation(() => PartyMember, { description: 'Registers a party member.' })
  async createPartyMember(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: "The member's name, household and joining date." }) input: CreatePartyMemberInput,
  ): Promise<PartyMember> {
    if (input.communityId) input.communityId = requireUuid(input.communityId, 'communityId');
    if (input.institutionId) input.institutionId = requireUuid(input.institutionId, 'institutionId');
    if (input.householdId) input.householdId = requireUuid(input.householdId, 'householdId');
    return this.members.presentOne(caller, await this.members.create(caller, input));
  }

  @Mutation(() => PartyMember, { description: 'Records the signed commitment letter (承诺书).' })
  async signCommitmentLetter(
    @CurrentCaller() caller: Caller,
    @Args('memberId', { type: () => ID, description: "The member's id." }, ParseUuidPipe) memberId: string,
    @Args('signedAt', { description: 'When the letter was signed (ISO 8601 timestamp), not in the future.' }) signedAt: Date,
  ): Promise<PartyMember> {
    return this.members.presentOne(caller, await this.members.signCommitmentLetter(caller, memberId, signedAt));
  }

  @Mutation(() => BranchRegistration, {
    description:
      'Registers a member with a branch (报到): a work-unit branch, or a community or compound branch. CONFLICT ALREADY_REGISTERED when one of that kind is open.',
  })
  async registerWithBranch(
    @CurrentCaller() caller: Caller,
    @Args('memberId', { type: () => ID, description: "The member's id." }, ParseUuidPipe) memberId: string,
    @Args(
      'branchId',
      { type: () => ID, description: 'The branch (a party organisation) to register with: a work-unit or a community branch.' },
      ParseUuidPipe,
    )
    branchId: string,
  ): Promise<BranchRegistration> {
    return BranchRegistration.from(await this.members.register(caller, memberId, branchId));
  }

  @Mutation(() => BranchRegistration, {
    description: 'The branch confirms a registration: its secretary, or staff whose territory covers the branch.',
  })
  async confirmBranchRegistration(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The registration's id." }, ParseUuidPipe) id: string,
  ): Promise<BranchRegistration> {
    return BranchRegistration.from(await this.members.confirm(caller, id));
  }

  @Mutation(() => BranchRegistration, {
    description: 'Ends a registration when the member moves; they may then register with another branch.',
  })
  async endBranchRegistration(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The registration's id." }, ParseUuidPipe) id: string,
  ): Promise<BranchRegistration> {
    return BranchRegistration.from(await this.members.end(caller, id));
  }

  @ResolveField(() => Institution, { nullable: true, description: 'Where the member works.' })
  async institution(@Parent() member: PartyMember, @Context() context: RequestContext): Promise<Institution | null> {
    if (!member.institutionId) return null;
    const institution = await institutionLoader(context, this.institutions).load(member.institutionId);
    return institution ? Institution.from(institution) : null;
  }

  @ResolveField(() => OrgUnit, { nullable: true, description: 'The community the member lives in (null outside your territory).' })
  async community(
    @Parent() member: PartyMember,
    @CurrentCaller() caller: Caller,
    @Context() context: RequestContext,
  ): Promise<OrgUnit | null> {
    if (!member.communityId) return null;
    const unit = await orgUnitLoader(context, this.units).load(member.communityId);
    return unit && canSee(caller, unit) ? OrgUnit.from(unit) : null;
  }

  /**
   * Other subgraphs reference members by id (a check-in's member); the referencing subgraph decided the caller may see
   * its entity, and names stay masked for callers without PERSONAL_DATA_READ. One batched query per request, and one
   * audit insert for the members it shows unmasked.
   */
  @ResolveReference()
  resolveReference(@Parent() reference: { id: string }, @Context() context: RequestContext): Promise<PartyMember | null> {
    return partyMemberLoader(context, this.members).load(reference.id);
  }

  @ResolveField(() => DualRegistration, { description: "双报到: the member's current work-unit and community registrations." })
  async dualRegistration(@Parent() member: PartyMember, @Context() context: RequestContext): Promise<DualRegistration> {
    const open = (await registrationsLoader(context, this.members).load(member.id)) ?? [];
    const of = (kind: RegistrationKind) => {
      const row = open.find((registration) => registration.kind === kind);
      return row ? BranchRegistration.from(row) : null;
    };
    const workUnit = of(RegistrationKind.WORK_UNIT);
    const community = of(RegistrationKind.COMMUNITY);
    return Object.assign(new DualRegistration(), {
      labelZh: '双报到',
      workUnit,
      community,
      complete: !!workUnit?.confirmed && !!community?.confirmed,
    });
  }
}

@Resolver(() => BranchRegistration)
export class BranchRegistrationResolver {
  constructor(private readonly orgs: PartyOrgService) {}

  @ResolveField(() => PartyOrg, { description: 'The branch registered with.' })
  async branch(@Parent() registration: BranchRegistration, @Context() context: RequestContext): Promise<PartyOrg> {
    return PartyOrg.from((await partyOrgLoader(context, this.orgs).load(registration.branchId))!);
  }
}
