import { Module } from '@nestjs/common';
import { PersonalDataAudit } from '#libs/privacy';
import { TerritoryReplicaModule } from '#libs/territory';
import { NoticeAddressees } from './notice-addressees.js';
import { NoticeGenerator } from './notice-generator.js';
import { NoticeStatsService } from './notice-stats.js';
import { NoticeResolver, NoticeRuleSetResolver, NoticeStatsResolver } from './notice.resolver.js';
import { NoticeService } from './notice.service.js';

@Module({
  imports: [TerritoryReplicaModule],
  providers: [NoticeAddressees, NoticeGenerator, NoticeService, NoticeStatsService, PersonalDataAudit, NoticeResolver, NoticeStatsResolver, NoticeRuleSetResolver],
  exports: [NoticeGenerator],
})
export class NoticesModule {}
