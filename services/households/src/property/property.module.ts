import { Module } from '@nestjs/common';
import { PersonalDataAudit } from '#libs/privacy';
import { TerritoryReplicaModule } from '#libs/territory';
import { PropertyResponsibleResolver } from './property-responsible.resolver.js';
import { PropertyResponsibleService } from './property-responsible.service.js';

/** Property management (物业): each compound's named responsible person for sorting. */
@Module({
  imports: [TerritoryReplicaModule],
  providers: [PropertyResponsibleService, PropertyResponsibleResolver, PersonalDataAudit],
})
export class PropertyModule {}
