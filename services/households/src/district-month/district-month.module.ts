import { Module } from '@nestjs/common';
import { EvaluationModule } from '../evaluation/evaluation.module.js';
import { DistrictMonthResolver } from './district-month.resolver.js';
import { DistrictMonthService } from './district-month.service.js';

@Module({
  imports: [EvaluationModule],
  providers: [DistrictMonthService, DistrictMonthResolver],
})
export class DistrictMonthModule {}
