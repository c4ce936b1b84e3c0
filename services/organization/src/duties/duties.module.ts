import { Module } from '@nestjs/common';
import { Idempotency } from '#libs/idempotency';
import { InstitutionsModule } from '../institutions/institutions.module.js';
import { LeadersModule } from '../leaders/leaders.module.js';
import { PartyModule } from '../party/party.module.js';
import { TerritoryModule } from '../territory/territory.module.js';
import { DutyLogService } from './duty-log.service.js';
import { DutyReportService } from './duty-report.service.js';
import { DutyComplianceResolver, DutyEscalationResolver, DutyLogResolver, DutyPeriodResolver, DutyQueryResolver } from './duty.resolver.js';
import { DutyCheckJob } from './jobs/duty-check.job.js';

/**
 * Duty cadences as obligations (履职): duties follow from secretary posts and street liaisons (duty-kinds.ts), holders record logs from their
 * phones, a daily job closes periods as MET or MISSED and escalates misses to the next level up, consoles read
 * periods, escalations and compliance rates.
 */
@Module({
  imports: [TerritoryModule, InstitutionsModule, PartyModule, LeadersModule],
  providers: [
    DutyLogService,
    DutyReportService,
    DutyLogResolver,
    DutyPeriodResolver,
    DutyEscalationResolver,
    DutyQueryResolver,
    DutyComplianceResolver,
    DutyCheckJob,
    Idempotency,
  ],
})
export class DutiesModule {}
