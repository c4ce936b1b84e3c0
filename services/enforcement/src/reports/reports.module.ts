import { Module } from '@nestjs/common';
import { Idempotency } from '#libs/idempotency';
import { PersonalDataAudit } from '#libs/privacy';
import { TerritoryReplicaModule } from '#libs/territory';
import { EvidencePhotosModule } from '../evidence/evidence-photos.js';
import { ObserversModule } from '../observers/observers.module.js';
import { ReportResolver } from './report.resolver.js';
import { ReportService } from './report.service.js';

@Module({
  imports: [TerritoryReplicaModule, EvidencePhotosModule, ObserversModule],
  providers: [ReportService, ReportResolver, PersonalDataAudit, Idempotency],
  exports: [ReportService],
})
export class ReportsModule {}
