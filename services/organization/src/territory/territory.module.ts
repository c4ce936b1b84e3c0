import { Module } from '@nestjs/common';
import { OrgUnitResolver } from './org-unit.resolver.js';
import { OrgUnitService } from './org-unit.service.js';

@Module({
  providers: [OrgUnitService, OrgUnitResolver],
  exports: [OrgUnitService],
})
export class TerritoryModule {}
