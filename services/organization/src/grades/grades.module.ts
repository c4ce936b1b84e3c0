import { Module } from '@nestjs/common';
import { MemberHouseholdGradeHandler, MonthlyEvaluationCompletedHandler } from './grade-events.handler.js';

@Module({ providers: [MemberHouseholdGradeHandler, MonthlyEvaluationCompletedHandler] })
export class GradesModule {}
