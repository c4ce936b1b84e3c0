import { Module } from '@nestjs/common';
import { TerritoryReplicaModule } from '#libs/territory';
import { DistrictMetricsResolver } from './district-metrics.resolver.js';
import { DistrictMetricsService } from './district-metrics.service.js';
import { MonthlyReportController } from './monthly-report.controller.js';

/** The district's headline figures: through GraphQL, and as the monthly report per unit in CSV and HTML. */
@Module({
  imports: [TerritoryReplicaModule],
  providers: [DistrictMetricsService, DistrictMetricsResolver],
  controllers: [MonthlyReportController],
})
export class MetricsModule {}
