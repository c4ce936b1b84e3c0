import { Module } from '@nestjs/common';
import { DistrictMonthNoticesResolver, DistrictMonthResolver } from './district-month.resolver.js';
import { DistrictMonthNoticesService } from './district-month.service.js';

@Module({ providers: [DistrictMonthNoticesService, DistrictMonthResolver, DistrictMonthNoticesResolver] })
export class DistrictMonthModule {}
