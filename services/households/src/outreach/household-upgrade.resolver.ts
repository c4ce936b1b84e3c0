import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { DomainError } from '#libs/errors';
import { CurrentCaller, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { Household } from '../households/household.model.js';
import { HouseholdService } from '../households/household.service.js';
import { HouseholdClaimService } from './household-claim.service.js';
import { HouseholdUpgradeService } from './household-upgrade.service.js';
import { HouseholdUpgradesArgs, UpgradeCountArgs } from './outreach.inputs.js';
import { HouseholdClaim, HouseholdUpgrade, HouseholdUpgradeConnection, UpgradeCount } from './outreach.model.js';

@Resolver(() => HouseholdUpgrade)
export class HouseholdUpgradeResolver {
  constructor(
    private readonly upgrades: HouseholdUpgradeService,
    private readonly claims: HouseholdClaimService,
    private readonly households: HouseholdService,
  ) {}

  @Query(() => HouseholdUpgradeConnection, {
    description: 'Households of a unit graded QUALIFIED in `month` after UNQUALIFIED the month before (不合格户升为合格户).',
  })
  householdUpgrades(@CurrentCaller() caller: Caller, @Args() args: HouseholdUpgradesArgs): Promise<HouseholdUpgradeConnection> {
    args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.upgrades.list(caller, args);
  }

  @Query(() => UpgradeCount, { description: 'How many households of a unit were upgraded from 不合格 to 合格 over a period of months.' })
  upgradeCount(@CurrentCaller() caller: Caller, @Args() args: UpgradeCountArgs): Promise<UpgradeCount> {
    args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.upgrades.count(caller, args);
  }

  @ResolveField(() => Household, { description: 'The upgraded household (户).' })
  async household(@Parent() upgrade: HouseholdUpgrade, @Context() context: RequestContext): Promise<Household> {
    const loader = requestLoader<Household>(context, 'Household', (ids) => this.households.findVisible(context.caller, ids));
    const household = await loader.load(upgrade.householdId);
    if (!household) throw DomainError.forbidden('That household is outside your territory', 'OUT_OF_SCOPE');
    return household;
  }

  @ResolveField(() => HouseholdClaim, { nullable: true, description: 'The claim active on the household when it was upgraded.' })
  async claim(@Parent() upgrade: HouseholdUpgrade, @Context() context: RequestContext): Promise<HouseholdClaim | null> {
    if (!upgrade.claimId) return null;
    const loader = requestLoader<HouseholdClaim>(context, 'HouseholdClaim', (ids) => this.claims.findVisible(context.caller, ids));
    return loader.load(upgrade.claimId);
  }
}
