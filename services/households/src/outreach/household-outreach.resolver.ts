import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Permission } from '#libs/auth';
import { requestLoader, type RequestContext } from '#libs/platform';
import { Household } from '../households/household.model.js';
import { requireAnyPermission } from './access.js';
import { HouseholdClaimService } from './household-claim.service.js';
import { HouseholdClaim } from './outreach.model.js';

/** Outreach fields of the Household entity, so household lists show who looks after each household. */
@Resolver(() => Household)
export class HouseholdOutreachResolver {
  constructor(private readonly claims: HouseholdClaimService) {}

  @ResolveField(() => HouseholdClaim, { nullable: true, description: 'The active claim (认领) on the household, if any.' })
  activeClaim(@Parent() household: Household, @Context() context: RequestContext): Promise<HouseholdClaim | null> {
    requireAnyPermission(context.caller, Permission.OUTREACH, Permission.STATS_READ);
    const loader = requestLoader<HouseholdClaim>(context, 'Household.activeClaim', (ids) => this.claims.activeOf(ids));
    return loader.load(household.id);
  }
}
