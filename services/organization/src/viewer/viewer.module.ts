import { Module } from '@nestjs/common';
import { TerritoryModule } from '../territory/territory.module.js';
import { ViewerResolver } from './viewer.resolver.js';

@Module({ imports: [TerritoryModule], providers: [ViewerResolver] })
export class ViewerModule {}
