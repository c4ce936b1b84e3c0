import { Module } from '@nestjs/common';
import { TerritoryReplicaModule } from '#libs/territory';
import { AssessmentService } from './assessment.service.js';
import { CaseResolver } from './case.resolver.js';
import { CaseService } from './case.service.js';
import { CaseFollowUpJob } from './jobs/case-follow-up.job.js';

/** Cases with due process and property companies' monthly assessments (see case-enums.ts for the lifecycle). */
@Module({
  imports: [TerritoryReplicaModule],
  providers: [CaseService, AssessmentService, CaseResolver, CaseFollowUpJob],
  exports: [CaseService],
})
export class CasesModule {}
