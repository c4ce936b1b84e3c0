import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { DomainError } from '#libs/errors';
import { CurrentCaller, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { Household } from '../households/household.model.js';
import { HouseholdService } from '../households/household.service.js';
import { HouseholdClaimService } from './household-claim.service.js';
import { ClaimantType } from './outreach-enums.js';
import { HouseholdClaimsArgs } from './outreach.inputs.js';
import { HouseholdClaim, HouseholdClaimConnection, type OutreachPlan } from './outreach.model.js';
import { OutreachPlanService } from './outreach-plan.service.js';

@Resolver(() => HouseholdClaim)
export class HouseholdClaimResolver {
  constructor(
    private readonly claims: HouseholdClaimService,
    private readonly plans: OutreachPlanService,
    private readonly households: HouseholdService,
  ) {}

  @Query(() => HouseholdClaim, { description: 'One claim; FORBIDDEN when its household lies outside your territory.' })
  householdClaim(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The claim's id." }, ParseUuidPipe) id: string,
  ): Promise<HouseholdClaim> {
    return this.claims.get(caller, id);
  }

  @Query(() => HouseholdClaimConnection, { description: 'Claims (认领) of households in your territory, oldest first.' })
  householdClaims(@CurrentCaller() caller: Caller, @Args() args: HouseholdClaimsArgs): Promise<HouseholdClaimConnection> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.claims.list(caller, args);
  }

  @Mutation(() => HouseholdClaim, {
    description:
      'Claims a household whose latest monthly grade is UNQUALIFIED or BASICALLY_QUALIFIED: a party member as 党员认领, a volunteer as 骨干包干. ' +
      'Retrying with the same idempotencyKey returns the same claim.',
  })
  claimHousehold(
    @CurrentCaller() caller: Caller,
    @Args(
      'householdId',
      { type: () => ID, description: 'A household of your territory whose latest grade is UNQUALIFIED or BASICALLY_QUALIFIED.' },
      ParseUuidPipe,
    )
    householdId: string,
    @Args('idempotencyKey', { description: 'Send the same key on every retry: the household is claimed once.' }) idempotencyKey: string,
  ): Promise<HouseholdClaim> {
    return this.claims.claim(caller, householdId, idempotencyKey);
  }

  @Mutation(() => HouseholdClaim, { description: 'A community secretary makes a party member or volunteer responsible for a household.' })
  assignHouseholdClaim(
    @CurrentCaller() caller: Caller,
    @Args(
      'householdId',
      { type: () => ID, description: 'A household of your territory whose latest grade is UNQUALIFIED or BASICALLY_QUALIFIED.' },
      ParseUuidPipe,
    )
    householdId: string,
    @Args('claimantId', { description: 'User id of the party member or volunteer.' }) claimantId: string,
    @Args('claimantType', { type: () => ClaimantType, description: 'PARTY_MEMBER (党员认领) or VOLUNTEER (骨干包干).' })
    claimantType: ClaimantType,
  ): Promise<HouseholdClaim> {
    return this.claims.assign(caller, householdId, claimantId, claimantType);
  }

  @Mutation(() => HouseholdClaim, { description: 'Ends an active claim (by its claimant or a community secretary).' })
  releaseHouseholdClaim(
    @CurrentCaller() caller: Caller,
    @Args('claimId', { type: () => ID, description: "The claim's id; it must be ACTIVE." }, ParseUuidPipe) claimId: string,
    @Args('reason', { description: '1–200 characters.' }) reason: string,
  ): Promise<HouseholdClaim> {
    return this.claims.release(caller, claimId, reason);
  }

  @ResolveField(() => Household, { description: 'The claimed household (户); its room is masked unless your role visits households.' })
  async household(@Parent() claim: HouseholdClaim, @Context() context: RequestContext): Promise<Household> {
    const loader = requestLoader<Household>(context, 'Household', (ids) => this.households.findVisible(context.caller, ids));
    const household = await loader.load(claim.householdId);
    if (!household) throw DomainError.forbidden('That household is outside your territory', 'OUT_OF_SCOPE');
    return household;
  }

  @ResolveField(() => Int, {
    description: 'Follow-up visits recorded under this claim in the current month (Asia/Shanghai), whatever their outcome.',
  })
  async visitsThisMonth(@Parent() claim: HouseholdClaim, @Context() context: RequestContext): Promise<number> {
    const loader = requestLoader<number>(context, 'HouseholdClaim.visitsThisMonth', (ids) => this.claims.visitsThisMonth(ids));
    return (await loader.load(claim.id)) ?? 0;
  }

  @ResolveField(() => Int, { description: "Visits a month the outreach plan (帮扶方案) of the claim's tier asks for." })
  async visitsRequired(@Parent() claim: HouseholdClaim, @Context() context: RequestContext): Promise<number> {
    const loader = requestLoader<OutreachPlan>(context, 'OutreachPlan', (tiers) => this.plans.findByTiers(tiers));
    const plan = await loader.load(claim.tier);
    if (!plan) throw new Error(`No outreach plan for tier ${claim.tier}`);
    return plan.visitsPerMonth;
  }
}
