import { Module } from '@nestjs/common';
import { NoticesModule } from '../notices/notices.module.js';
import { GradeObjectionDecidedHandler, ObjectionWindowClosedHandler } from './objection-events.handler.js';
import { HouseholdGradesPublishedHandler, InstitutionsChangedHandler, MonthlyEvaluationCompletedHandler } from './grade-events.handler.js';

@Module({
  imports: [NoticesModule],
  providers: [
    HouseholdGradesPublishedHandler,
    MonthlyEvaluationCompletedHandler,
    InstitutionsChangedHandler,
    ObjectionWindowClosedHandler,
    GradeObjectionDecidedHandler,
  ],
})
export class GradesModule {}
