import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module.js';
import { Open311Controller } from './open311.controller.js';
import { Open311Service } from './open311.service.js';

@Module({
  imports: [ReportsModule],
  controllers: [Open311Controller],
  providers: [Open311Service],
})
export class Open311Module {}
