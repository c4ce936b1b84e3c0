import { Module } from '@nestjs/common';
import { Idempotency } from '#libs/idempotency';
import { TerritoryReplicaModule } from '#libs/territory';
import { HouseholdsModule } from '../households/households.module.js';
import { UploadsModule } from '../uploads/uploads.module.js';
import { CheckInQuotaService } from './check-in-quota.service.js';
import { CheckInQuotaFlagResolver, MemberCheckInWeekResolver, PhotoCheckInResolver } from './check-in.resolver.js';
import { CheckInQuotaJob } from './jobs/check-in-quota.job.js';
import { PhotoCheckInService } from './photo-check-in.service.js';
import { WorkUnitBranchesChangedHandler } from './work-unit-branches.handler.js';

/**
 * Party members' photo check-ins (党员晒图打卡, 双报到双管理): members post photos of their household's kitchen-waste
 * sorting, the work-unit branch and the community branch review them, and a weekly job flags members under quota.
 */
@Module({
  imports: [TerritoryReplicaModule, HouseholdsModule, UploadsModule],
  providers: [
    PhotoCheckInService,
    CheckInQuotaService,
    PhotoCheckInResolver,
    CheckInQuotaFlagResolver,
    MemberCheckInWeekResolver,
    CheckInQuotaJob,
    Idempotency,
    WorkUnitBranchesChangedHandler,
  ],
})
export class CheckInsModule {}
