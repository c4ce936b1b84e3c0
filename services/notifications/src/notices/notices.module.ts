import { Module } from '@nestjs/common';
import { PersonalDataAudit } from '#libs/privacy';
import { TerritoryReplicaModule } from '#libs/territory';
import { KeyAttributingPersonalDataAudit } from '../api-keys/api-key-audit.js';
import { HeldNoticeResolver, HeldNoticeService } from './held-notices.js';
import { HouseholdNoticeResolver, HouseholdNoticeService } from './household-notices.js';
import { NoticeAddressees } from './notice-addressees.js';
import { NoticeGenerator } from './notice-generator.js';
import { NoticeStatsService } from './notice-stats.js';
import { NoticeResolver, NoticeRuleSetResolver, NoticeStatsResolver } from './notice.resolver.js';
import { NoticeService } from './notice.service.js';

@Module({
  imports: [TerritoryReplicaModule],
  providers: [
    NoticeAddressees,
    HeldNoticeService,
    HeldNoticeResolver,
    NoticeGenerator,
    NoticeService,
    NoticeStatsService,
    // Reads through an institution's key are also attributed to the key, its enrolment and the staff member who issued it.
    { provide: PersonalDataAudit, useClass: KeyAttributingPersonalDataAudit },
    NoticeResolver,
    NoticeStatsResolver,
    NoticeRuleSetResolver,
    HouseholdNoticeService,
    HouseholdNoticeResolver,
  ],
  exports: [NoticeGenerator],
})
export class NoticesModule {}
