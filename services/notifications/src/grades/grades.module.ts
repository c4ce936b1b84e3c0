import { Module } from '@nestjs/common';
import { HouseholdGradesPublishedHandler, MonthlyEvaluationCompletedHandler } from './grade-events.handler.js';

@Module({ providers: [HouseholdGradesPublishedHandler, MonthlyEvaluationCompletedHandler] })
export class GradesModule {}
