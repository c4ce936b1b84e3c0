import { Module } from '@nestjs/common';
import { TerritoryModule } from '../territory/territory.module.js';
import { InstitutionResolver } from './institution.resolver.js';
import { InstitutionService } from './institution.service.js';

@Module({
  imports: [TerritoryModule],
  providers: [InstitutionService, InstitutionResolver],
  exports: [InstitutionService],
})
export class InstitutionsModule {}
