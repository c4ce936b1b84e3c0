import { Module } from '@nestjs/common';
import { Idempotency } from '#libs/idempotency';
import { InspectionResolver } from './inspection.resolver.js';
import { InspectionService } from './inspection.service.js';

@Module({
  providers: [InspectionService, InspectionResolver, Idempotency],
  exports: [InspectionService],
})
export class InspectionsModule {}
