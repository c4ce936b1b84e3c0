import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryOne } from '#libs/database';
import { PROCESS_METRICS, type ProcessMetrics } from '#libs/platform';

/**
 * The credit/points export backlog, read when scraped in one statement over the pending exports (the partial index of
 * due exports holds only those). Exports wait here while CREDIT_EXPORT_URL is unset or the receiver fails; attempts'
 * outcomes are counted where they are recorded (credit-export.dispatcher.ts).
 */
const BACKLOG = `
SELECT count(*)::int AS waste_credit_export_backlog,
       count(*) FILTER (WHERE attempts > 0)::int AS waste_credit_export_retry_backlog,
       coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS waste_credit_export_oldest_pending_age_seconds
  FROM credit_export WHERE state = 'PENDING'`;

@Injectable()
export class CreditExportMetrics {
  constructor(@InjectDataSource() dataSource: DataSource, @Inject(PROCESS_METRICS) metrics: ProcessMetrics) {
    metrics.scrapedGauges(
      ['waste_credit_export_backlog', 'waste_credit_export_retry_backlog', 'waste_credit_export_oldest_pending_age_seconds'],
      () => queryOne(dataSource, BACKLOG),
    );
  }
}
