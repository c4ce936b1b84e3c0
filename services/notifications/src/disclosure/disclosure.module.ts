import { Module } from '@nestjs/common';
import { TerritoryReplicaModule } from '#libs/territory';
import { DisclosureResolver } from './disclosure.resolver.js';
import { DisclosureService } from './disclosure.service.js';
import { MediaDisclosureResolver } from './media-disclosure.resolver.js';
import { MediaDisclosureService } from './media-disclosure.service.js';

/**
 * Monthly public disclosures: drafts are made by notice generation (disclosure-draft.ts); staff review, approve,
 * publish; media outlets receive published ones (webhooks/disclosure-fan-out.ts), read them and acknowledge publication.
 */
@Module({
  imports: [TerritoryReplicaModule],
  providers: [DisclosureService, DisclosureResolver, MediaDisclosureService, MediaDisclosureResolver],
})
export class DisclosureModule {}
