import { Module } from '@nestjs/common';
import { Idempotency } from '#libs/idempotency';
import { UploadsModule } from '../uploads/uploads.module.js';
import { ActionFindingRecordedHandler } from './action-finding-recorded.handler.js';
import { InspectionResolver } from './inspection.resolver.js';
import { InspectionService } from './inspection.service.js';

@Module({
  imports: [UploadsModule],
  providers: [InspectionService, InspectionResolver, Idempotency, ActionFindingRecordedHandler],
  exports: [InspectionService],
})
export class InspectionsModule {}
