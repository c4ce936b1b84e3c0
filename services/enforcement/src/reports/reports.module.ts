import { Module } from '@nestjs/common';
import { Idempotency } from '#libs/idempotency';
import { PersonalDataAudit } from '#libs/privacy';
import { TerritoryReplicaModule } from '#libs/territory';
import { ReportResolver } from './report.resolver.js';
import { ReportService } from './report.service.js';

@Module({
  imports: [TerritoryReplicaModule],
  providers: [ReportService, ReportResolver, PersonalDataAudit, Idempotency],
  exports: [ReportService],
})
export class ReportsModule {}
