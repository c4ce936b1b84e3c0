import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryOne } from '#libs/database';
import { PROCESS_METRICS, type ProcessMetrics } from '#libs/platform';

/**
 * The webhook backlog, read when scraped in one statement over the pending deliveries (the partial index of open
 * deliveries keeps it to those, however many delivered ones the table holds). A growing retry backlog means receivers
 * are failing; a growing overdue age means no dispatcher is sending. Attempts' outcomes are counted where they are
 * recorded (webhook.dispatcher.ts).
 */
const BACKLOG = `
SELECT count(*)::int AS waste_webhook_pending_deliveries,
       count(*) FILTER (WHERE attempts > 0)::int AS waste_webhook_retry_backlog,
       coalesce(extract(epoch FROM now() - min(next_attempt_at) FILTER (WHERE next_attempt_at <= now())), 0)::float8
         AS waste_webhook_oldest_due_age_seconds
  FROM webhook_delivery WHERE state = 'PENDING'`;

@Injectable()
export class WebhookMetrics {
  constructor(@InjectDataSource() dataSource: DataSource, @Inject(PROCESS_METRICS) metrics: ProcessMetrics) {
    metrics.scrapedGauges(['waste_webhook_pending_deliveries', 'waste_webhook_retry_backlog', 'waste_webhook_oldest_due_age_seconds'], () =>
      queryOne(dataSource, BACKLOG),
    );
  }
}
