import { Module } from '@nestjs/common';
import { Idempotency } from '#libs/idempotency';
import { TerritoryReplicaModule } from '#libs/territory';
import { EvidencePhotosModule } from '../evidence/evidence-photos.js';
import { AssessmentService } from './assessment.service.js';
import { CaseFollowUpInspectedHandler } from './case-follow-up-inspected.handler.js';
import { CaseResolver, ReportEvidenceResolver } from './case.resolver.js';
import { ReportsModule } from '../reports/reports.module.js';
import { CaseService } from './case.service.js';
import { HouseholdsChangedHandler } from './households-changed.handler.js';
import { CaseFollowUpJob } from './jobs/case-follow-up.job.js';
import { PropertyAssessmentRuleSetResolver } from './property-assessment-rules.resolver.js';
import { PropertyCompoundGradesHandler } from './property-compound-grades.handler.js';

/**
 * Cases with due process (see case-enums.ts for the lifecycle) and property companies' monthly assessments under their
 * streets' versioned rules, with the copy of households' per-compound grades they read.
 */
@Module({
  imports: [TerritoryReplicaModule, EvidencePhotosModule, ReportsModule],
  providers: [
    CaseService,
    AssessmentService,
    CaseResolver,
    ReportEvidenceResolver,
    CaseFollowUpJob,
    HouseholdsChangedHandler,
    CaseFollowUpInspectedHandler,
    Idempotency,
    PropertyAssessmentRuleSetResolver,
    PropertyCompoundGradesHandler,
  ],
  exports: [CaseService],
})
export class CasesModule {}
