import { Module } from '@nestjs/common';
import { Idempotency } from '#libs/idempotency';
import { PersonalDataAudit } from '#libs/privacy';
import { TerritoryReplicaModule } from '#libs/territory';
import { EvidencePhotosModule } from '../evidence/evidence-photos.js';
import { ObserversModule } from '../observers/observers.module.js';
import { ReportInspectionResolver } from './report-inspection.resolver.js';
import { ReportInspectionService } from './report-inspection.service.js';
import { ReportResolver } from './report.resolver.js';
import { ReportService } from './report.service.js';

@Module({
  imports: [TerritoryReplicaModule, EvidencePhotosModule, ObserversModule],
  providers: [ReportService, ReportResolver, ReportInspectionService, ReportInspectionResolver, PersonalDataAudit, Idempotency],
  exports: [ReportService],
})
export class ReportsModule {}
