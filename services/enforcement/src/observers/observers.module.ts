import { Module } from '@nestjs/common';
import { TerritoryReplicaModule } from '#libs/territory';
import { ObserverResolver, ObserverSummaryResolver } from './observer.resolver.js';
import { ObserverService } from './observer.service.js';

/** The citizen observer group (市民观察团): teams, the roster with terms, and the monthly summary per street. */
@Module({
  imports: [TerritoryReplicaModule],
  providers: [ObserverService, ObserverResolver, ObserverSummaryResolver],
  exports: [ObserverService],
})
export class ObserversModule {}
