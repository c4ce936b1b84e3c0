import { Module } from '@nestjs/common';
import { PersonalDataAudit } from '#libs/privacy';
import { MemberCheckInWeekHandler } from './check-in-week.handler.js';
import { DistrictMonthVanguardResolver } from './district-month.js';
import { UnitAnnualAssessmentResolver, VanguardIndexResolver } from './vanguard.resolver.js';
import { VanguardService } from './vanguard.service.js';

/**
 * The vanguard index (锋领指数): party members' photo check-ins from households, the versioned formula, monthly and
 * yearly scores with their parts, rankings and unit annual assessments. The month is computed when households
 * announces `monthly-evaluation.completed` (grades/grade-events.handler.ts) or on demand.
 */
@Module({
  providers: [
    VanguardService,
    PersonalDataAudit,
    VanguardIndexResolver,
    UnitAnnualAssessmentResolver,
    MemberCheckInWeekHandler,
    DistrictMonthVanguardResolver,
  ],
})
export class VanguardModule {}
