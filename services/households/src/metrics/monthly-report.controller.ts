import { Controller, Get, Param, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { Permission, type Caller } from '#libs/auth';
import { addMonths } from '#libs/calendar';
import { DomainError } from '#libs/errors';
import { GatewayCallerGuard, PlainHttpErrorFilter, RequireAnyPermission, requireUuid, SignedCaller } from '#libs/platform';
import { DistrictMetricsService } from './district-metrics.service.js';
import { renderReportCsv, renderReportHtml, reportFileName, type StreetMonthlyReport } from './monthly-report.js';

const REPORT_FILE = /^(\d{4}-\d{2})\.(csv|html)$/;
/** The months of the trend chart: the report's month and the eleven before it. */
const TREND_MONTHS = 12;

/**
 * `GET /reports/monthly/:orgUnitId/:month.csv` (a download) and `…/:month.html` (a printable page with a chart per
 * figure): a unit's headline figures for a month, with each unit directly below it (a street's communities) and the
 * unit's last twelve months. Reached through the gateway only, with the caller's territory and STATS_READ.
 */
@Controller('reports')
@UseGuards(GatewayCallerGuard)
@UseFilters(PlainHttpErrorFilter)
export class MonthlyReportController {
  constructor(private readonly metrics: DistrictMetricsService) {}

  @Get('monthly/:orgUnitId/:file')
  @RequireAnyPermission(Permission.STATS_READ)
  async monthly(
    @SignedCaller() caller: Caller,
    @Param('orgUnitId') orgUnitId: string,
    @Param('file') file: string,
    @Res() response: Response,
  ): Promise<void> {
    const unitId = requireUuid(orgUnitId, 'orgUnitId');
    const [, month, format] = REPORT_FILE.exec(file) ?? [];
    if (!month) throw DomainError.badInput('Ask for <YYYY-MM>.csv or <YYYY-MM>.html', 'INVALID_REPORT_FILE');
    const months = await this.metrics.metrics(caller, unitId, addMonths(month, 1 - TREND_MONTHS), month, true);
    const last = months.at(-1)!;
    const report: StreetMonthlyReport = {
      street: last.unit,
      units: last.children,
      trend: months.map(({ unit }) => unit),
      generatedAt: new Date(),
    };
    // Figures change when late records or corrected grades arrive: a client may keep the report, but must ask again.
    response.set({ 'Cache-Control': 'private, no-cache', 'X-Content-Type-Options': 'nosniff' });
    if (format === 'csv') {
      response
        .type('text/csv; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="${reportFileName(report, 'csv')}"`)
        .send(renderReportCsv(report));
    } else {
      response
        .type('text/html; charset=utf-8')
        .set({
          'Content-Disposition': `inline; filename="${reportFileName(report, 'html')}"`,
          // The page is self-contained: no script, nothing fetched, only its own inline style.
          'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        })
        .send(renderReportHtml(report));
    }
  }
}
