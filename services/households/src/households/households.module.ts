import { Module } from '@nestjs/common';
import { PersonalDataAudit } from '#libs/privacy';
import { TerritoryReplicaModule } from '#libs/territory';
import { HouseholdResolver } from './household.resolver.js';
import { HouseholdService } from './household.service.js';

@Module({
  imports: [TerritoryReplicaModule],
  providers: [HouseholdService, HouseholdResolver, PersonalDataAudit],
  exports: [HouseholdService],
})
export class HouseholdsModule {}
