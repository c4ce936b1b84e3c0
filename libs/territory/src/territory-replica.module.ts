import { Module } from '@nestjs/common';
import { Territory } from './territory.js';
import { TerritoryChangedHandler } from './territory-changed.handler.js';

/** For services that keep a copy of the territory tree (every service but organization, which owns it). */
@Module({
  providers: [Territory, TerritoryChangedHandler],
  exports: [Territory],
})
export class TerritoryReplicaModule {}
