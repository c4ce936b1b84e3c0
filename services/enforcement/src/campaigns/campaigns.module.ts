import { Module } from '@nestjs/common';
import { TerritoryReplicaModule } from '#libs/territory';
import { CampaignResolver } from './campaign.resolver.js';
import { CampaignService } from './campaign.service.js';

@Module({
  imports: [TerritoryReplicaModule],
  providers: [CampaignService, CampaignResolver],
})
export class CampaignsModule {}
