import { Module } from '@nestjs/common';
import { InstitutionsChangedHandler } from './institutions-changed.handler.js';

/** For services that keep a copy of organization's institutions and only keep it (enforcement, households). */
@Module({
  providers: [InstitutionsChangedHandler],
})
export class InstitutionReplicaModule {}
