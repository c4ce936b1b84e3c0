import { Module } from '@nestjs/common';
import { PersonalDataAudit } from '#libs/privacy';
import { TerritoryReplicaModule } from '#libs/territory';
import { ReportResolver } from './report.resolver.js';
import { ReportService } from './report.service.js';

@Module({
  imports: [TerritoryReplicaModule],
  providers: [ReportService, ReportResolver, PersonalDataAudit],
  exports: [ReportService],
})
export class ReportsModule {}
