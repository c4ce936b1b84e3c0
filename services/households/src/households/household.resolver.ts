import { Args, Context, ID, Parent, Query, ResolveReference, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { CurrentCaller, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { Household, HouseholdConnection } from './household.model.js';
import { HouseholdService } from './household.service.js';
import { HouseholdsArgs } from './households.args.js';

@Resolver(() => Household)
export class HouseholdResolver {
  constructor(private readonly householdService: HouseholdService) {}

  @Query(() => Household, { description: 'One household; FORBIDDEN when it lies outside your territory.' })
  household(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The household's id." }, ParseUuidPipe) id: string,
  ): Promise<Household> {
    return this.householdService.get(caller, id);
  }

  @Query(() => HouseholdConnection, { description: 'Households in a unit of your territory and below it, in address order.' })
  households(@CurrentCaller() caller: Caller, @Args() args: HouseholdsArgs): Promise<HouseholdConnection> {
    args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.householdService.list(caller, args);
  }

  /** Batched; households outside the caller's territory resolve to null, and addresses are masked as elsewhere. */
  @ResolveReference()
  resolveReference(@Parent() reference: { id: string }, @Context() context: RequestContext): Promise<Household | null> {
    const loader = requestLoader<Household>(context, 'Household', (ids) => this.householdService.findVisible(context.caller, ids));
    return loader.load(reference.id);
  }
}
