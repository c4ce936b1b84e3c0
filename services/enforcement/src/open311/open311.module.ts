import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Open311BodyErrorFilter } from './open311-body.filter.js';
import { ReportsModule } from '../reports/reports.module.js';
import { Open311Controller } from './open311.controller.js';
import { Open311Service } from './open311.service.js';

@Module({
  imports: [ReportsModule],
  controllers: [Open311Controller],
  providers: [Open311Service, { provide: APP_FILTER, useClass: Open311BodyErrorFilter }],
})
export class Open311Module {}
