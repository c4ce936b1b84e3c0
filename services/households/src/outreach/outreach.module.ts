import { Module } from '@nestjs/common';
import { Idempotency } from '#libs/idempotency';
import { TerritoryReplicaModule } from '#libs/territory';
import { HouseholdsModule } from '../households/households.module.js';
import { FollowUpVisitResolver } from './follow-up-visit.resolver.js';
import { FollowUpVisitService } from './follow-up-visit.service.js';
import { HouseholdClaimResolver } from './household-claim.resolver.js';
import { HouseholdClaimService } from './household-claim.service.js';
import { HouseholdOutreachResolver } from './household-outreach.resolver.js';
import { HouseholdUpgradeResolver } from './household-upgrade.resolver.js';
import { HouseholdUpgradeService } from './household-upgrade.service.js';
import { OutreachPlanResolver } from './outreach-plan.resolver.js';
import { OutreachPlanService } from './outreach-plan.service.js';

/**
 * Tiered management (分档管理): outreach plans per tier, claims of lower-tier households by party members and
 * volunteers, follow-up visits, and upgrades to QUALIFIED. Exports HouseholdClaimService for the monthly evaluation,
 * which calls `closeClaimsOfUpgradedHouseholds` once a month's grades are written.
 */
@Module({
  imports: [TerritoryReplicaModule, HouseholdsModule],
  providers: [
    OutreachPlanService,
    OutreachPlanResolver,
    HouseholdClaimService,
    HouseholdClaimResolver,
    HouseholdOutreachResolver,
    FollowUpVisitService,
    FollowUpVisitResolver,
    HouseholdUpgradeService,
    HouseholdUpgradeResolver,
    Idempotency,
  ],
  exports: [HouseholdClaimService],
})
export class OutreachModule {}
