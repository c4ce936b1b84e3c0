import { Module } from '@nestjs/common';
import { Idempotency } from '#libs/idempotency';
import { InstitutionReplicaModule } from '#libs/institutions';
import { PlainHttpErrorFilter } from '#libs/platform';
import { PersonalDataAudit } from '#libs/privacy';
import { TerritoryReplicaModule } from '#libs/territory';
import { HouseholdsModule } from '../households/households.module.js';
import { UploadsModule } from '../uploads/uploads.module.js';
import { NoticeAddresseesController } from './notice-addressees.controller.js';
import { RegistryResolver } from './registry.resolver.js';
import { RegistryService } from './registry.service.js';

@Module({
  imports: [TerritoryReplicaModule, InstitutionReplicaModule, HouseholdsModule, UploadsModule],
  controllers: [NoticeAddresseesController],
  providers: [RegistryService, RegistryResolver, PlainHttpErrorFilter, PersonalDataAudit, Idempotency],
  exports: [RegistryService],
})
export class RegistryModule {}
