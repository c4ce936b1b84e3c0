import { Module } from '@nestjs/common';
import { Idempotency } from '#libs/idempotency';
import { TerritoryReplicaModule } from '#libs/territory';
import { BureauCalendarService } from './bureau-calendar.service.js';
import { CalendarsController } from './calendars.controller.js';
import { InstitutionsChangedHandler } from './institutions-changed.handler.js';
import { QuarterlyActionDraftJob } from './jobs/quarterly-action-draft.job.js';
import { JointActionResolver } from './joint-action.resolver.js';
import { JointActionService } from './joint-action.service.js';

@Module({
  imports: [TerritoryReplicaModule],
  controllers: [CalendarsController],
  providers: [Idempotency, JointActionService, JointActionResolver, BureauCalendarService, QuarterlyActionDraftJob, InstitutionsChangedHandler],
})
export class JointActionsModule {}
