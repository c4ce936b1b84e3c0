import { Module } from '@nestjs/common';
import { TerritoryReplicaModule } from '#libs/territory';
import { OutreachModule } from '../outreach/outreach.module.js';
import { EvaluationResolver, HouseholdGradeResolver } from './evaluation.resolver.js';
import { EvaluationService } from './evaluation.service.js';
import { EvaluationMetrics } from './evaluation-metrics.js';
import { EvaluationChunkJob } from './jobs/evaluation-chunk.job.js';
import { EvaluationRequestedJob } from './jobs/evaluation-requested.job.js';
import { MonthlyEvaluationJob } from './jobs/monthly-evaluation.job.js';
import { RuleSetService } from './rule-set.service.js';
import { StatsService } from './stats.service.js';

@Module({
  imports: [TerritoryReplicaModule, OutreachModule],
  providers: [
    EvaluationService,
    EvaluationMetrics,
    RuleSetService,
    StatsService,
    EvaluationResolver,
    HouseholdGradeResolver,
    EvaluationRequestedJob,
    EvaluationChunkJob,
    MonthlyEvaluationJob,
  ],
  exports: [EvaluationService],
})
export class EvaluationModule {}
