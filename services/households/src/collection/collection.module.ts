import { Module } from '@nestjs/common';
import { Idempotency } from '#libs/idempotency';
import { GatewayCallerGuard, PlainHttpErrorFilter } from '#libs/platform';
import { PersonalDataAudit } from '#libs/privacy';
import { TerritoryReplicaModule } from '#libs/territory';
import { HouseholdService } from '../households/household.service.js';
import { CollectionImportController } from './collection-import.controller.js';
import { CollectionPointResolver } from './collection-point.resolver.js';
import { CollectionPointService } from './collection-point.service.js';
import { CollectionLimits, parseCollectionLimits } from './collection-limits.js';
import { CollectionRecordResolver } from './collection-record.resolver.js';
import { CollectionRecordService } from './collection-record.service.js';
import { DoorToDoorCollectionResolver } from './door-to-door.resolver.js';
import { DoorToDoorCollectionService } from './door-to-door.service.js';
import { HolidayCalendar, HolidayCalendarResolver } from './holiday-calendar.js';

/**
 * Humane service (人性化管理): collection points and their hours, and door-to-door collection requests; collection records
 * (收运记录) and their CSV import, by GraphQL or as a file (`POST /collection-imports`). `COLLECTION_MAX_KG_PER_POINT_DAY` is
 * read when the module starts, so a bad value stops the boot.
 */
@Module({
  imports: [TerritoryReplicaModule],
  controllers: [CollectionImportController],
  providers: [
    CollectionPointService,
    CollectionPointResolver,
    DoorToDoorCollectionService,
    DoorToDoorCollectionResolver,
    CollectionRecordService,
    CollectionRecordResolver,
    HolidayCalendar,
    HolidayCalendarResolver,
    { provide: CollectionLimits, useFactory: () => parseCollectionLimits() },
    HouseholdService,
    PersonalDataAudit,
    Idempotency,
    GatewayCallerGuard,
    PlainHttpErrorFilter,
  ],
})
export class CollectionModule {}
