import { Module } from '@nestjs/common';
import { Idempotency } from '#libs/idempotency';
import { PersonalDataAudit } from '#libs/privacy';
import { TerritoryReplicaModule } from '#libs/territory';
import { HouseholdService } from '../households/household.service.js';
import { CollectionPointResolver } from './collection-point.resolver.js';
import { CollectionPointService } from './collection-point.service.js';
import { DoorToDoorCollectionResolver } from './door-to-door.resolver.js';
import { DoorToDoorCollectionService } from './door-to-door.service.js';

/** Humane service (人性化管理): collection points and their hours, and door-to-door collection requests. */
@Module({
  imports: [TerritoryReplicaModule],
  providers: [
    CollectionPointService, CollectionPointResolver, DoorToDoorCollectionService, DoorToDoorCollectionResolver,
    HouseholdService, PersonalDataAudit, Idempotency,
  ],
})
export class CollectionModule {}
