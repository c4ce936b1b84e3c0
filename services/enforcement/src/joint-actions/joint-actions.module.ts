import { Module, type DynamicModule } from '@nestjs/common';
import { Idempotency } from '#libs/idempotency';
import { InstitutionReplicaModule } from '#libs/institutions';
import type { ServiceRuntime } from '#libs/platform';
import { TerritoryReplicaModule } from '#libs/territory';
import { EvidencePhotosModule } from '../evidence/evidence-photos.js';
import { BureauCalendarService } from './bureau-calendar.service.js';
import { CALENDAR_SETTINGS, parseCalendarSettings } from './calendar-settings.js';
import { CalendarsController } from './calendars.controller.js';
import { QuarterlyActionDraftJob } from './jobs/quarterly-action-draft.job.js';
import { JointActionResolver } from './joint-action.resolver.js';
import { QuarterCoverageService } from './quarter-coverage.js';
import { JointActionService } from './joint-action.service.js';

/** Campaigns' joint actions, bureaus' calendar feeds (whose public address comes from the environment, checked at boot). */
@Module({
  imports: [TerritoryReplicaModule, InstitutionReplicaModule, EvidencePhotosModule],
  controllers: [CalendarsController],
  providers: [Idempotency, JointActionService, JointActionResolver, BureauCalendarService, QuarterlyActionDraftJob, QuarterCoverageService],
})
export class JointActionsModule {
  static forRoot(runtime: ServiceRuntime, env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: JointActionsModule,
      providers: [{ provide: CALENDAR_SETTINGS, useValue: parseCalendarSettings(env, runtime.env.NODE_ENV) }],
    };
  }
}
