import { Module } from '@nestjs/common';
import { Idempotency } from '#libs/idempotency';
import { TerritoryReplicaModule } from '#libs/territory';
import { HouseholdsModule } from '../households/households.module.js';
import { UploadsModule } from '../uploads/uploads.module.js';
import { ActionFindingRecordedHandler } from './action-finding-recorded.handler.js';
import { CaseFollowUpRequestResolver } from './case-follow-up-request.resolver.js';
import { CaseFollowUpRequestService } from './case-follow-up-request.service.js';
import { CaseFollowUpRequestedHandler } from './case-follow-up-requested.handler.js';
import { InspectionResolver } from './inspection.resolver.js';
import { InspectionService } from './inspection.service.js';
import { ReportInspectionRecordedHandler } from './report-inspection-recorded.handler.js';

@Module({
  imports: [UploadsModule, HouseholdsModule, TerritoryReplicaModule],
  providers: [
    InspectionService,
    InspectionResolver,
    Idempotency,
    ActionFindingRecordedHandler,
    CaseFollowUpRequestedHandler,
    CaseFollowUpRequestService,
    CaseFollowUpRequestResolver,
    ReportInspectionRecordedHandler,
  ],
  exports: [InspectionService],
})
export class InspectionsModule {}
