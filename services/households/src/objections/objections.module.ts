import { Module } from '@nestjs/common';
import { TerritoryReplicaModule } from '#libs/territory';
import { HouseholdsModule } from '../households/households.module.js';
import { OutreachModule } from '../outreach/outreach.module.js';
import { ObjectionWindowCloseJob } from './jobs/objection-window-close.job.js';
import { ObjectionResolver } from './objection.resolver.js';
import { ObjectionService } from './objection.service.js';

@Module({
  imports: [TerritoryReplicaModule, HouseholdsModule, OutreachModule],
  providers: [ObjectionService, ObjectionResolver, ObjectionWindowCloseJob],
})
export class ObjectionsModule {}
