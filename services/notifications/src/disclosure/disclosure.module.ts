import { Module } from '@nestjs/common';
import { TerritoryReplicaModule } from '#libs/territory';
import { DisclosureResolver } from './disclosure.resolver.js';
import { DisclosureService } from './disclosure.service.js';

/** Monthly public disclosures: drafts are made by notice generation (disclosure-draft.ts); staff review, approve, publish. */
@Module({
  imports: [TerritoryReplicaModule],
  providers: [DisclosureService, DisclosureResolver],
})
export class DisclosureModule {}
