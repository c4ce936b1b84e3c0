import { Module } from '@nestjs/common';
import { TerritoryModule } from '../territory/territory.module.js';
import { LeaderLiaisonResolver, LeaderResolver, OrgUnitLiaisonResolver } from './leader.resolver.js';
import { LeaderService } from './leader.service.js';

/** Leadership liaison (领导联系): leaders of the four bodies assigned to streets. */
@Module({
  imports: [TerritoryModule],
  providers: [LeaderService, LeaderResolver, LeaderLiaisonResolver, OrgUnitLiaisonResolver],
  exports: [LeaderService],
})
export class LeadersModule {}
