import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { execute, queryOne, queryRows } from '#libs/database';
import { PROCESS_METRICS, type CatalogueCounter, type ProcessMetrics } from '#libs/platform';
import { exportHeaders } from './credit-export-signature.js';
import { CREDIT_EXPORT_SETTINGS, type CreditExportSettings } from './credit-export-settings.js';

const BATCH = 50;
/** A claimed export is this process's for this long (covers a batch of requests running into the timeout). */
const LEASE_SECONDS = 600;

interface Claimed {
  id: string;
  attempts: number;
  body: string;
}

export interface DispatchSummary {
  delivered: number;
  retrying: number;
  failed: number;
  waiting: number;
}

/**
 * Delivers due exports of the outbox (`credit_export`, state PENDING, next attempt at or before the clock `now`):
 * a signed POST of the stored payload to CREDIT_EXPORT_URL with the export id as `x-export-id` on every attempt
 * (receivers deduplicate on it: delivery is at least once). A 2xx marks it DELIVERED; anything else (or no answer)
 * schedules the next attempt from the retry schedule, counted from `now`, until the schedule is used up (FAILED).
 * Every attempt is kept in credit_export_attempt. A retraction waits until its record has left PENDING.
 * Claims use SKIP LOCKED and a lease, so overlapping runs never send the same export at the same time.
 */
@Injectable()
export class CreditExportDispatcher {
  private readonly logger = new Logger(CreditExportDispatcher.name);
  private readonly outcomes: CatalogueCounter<'waste_credit_exports_total'>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CREDIT_EXPORT_SETTINGS) private readonly settings: CreditExportSettings,
    @Inject(PROCESS_METRICS) metrics: ProcessMetrics,
  ) {
    this.outcomes = metrics.counter('waste_credit_exports_total');
  }

  async dispatch(now: Date): Promise<DispatchSummary> {
    const summary: DispatchSummary = { delivered: 0, retrying: 0, failed: 0, waiting: 0 };
    if (!this.settings.url || !this.settings.secret) {
      const { count } = await queryOne<{ count: number }>(
        this.dataSource,
        `SELECT count(*)::int AS count FROM credit_export WHERE state = 'PENDING'`,
      );
      if (count > 0) this.logger.warn(`CREDIT_EXPORT_URL is not set: ${count} credit/points exports wait in the outbox`);
      summary.waiting = count;
      return summary;
    }
    for (;;) {
      const batch = await this.claim(now);
      if (batch.length === 0) return summary;
      for (const item of batch) {
        const outcome = await this.deliver(item, now);
        summary[outcome] += 1;
      }
    }
  }

  private claim(now: Date): Promise<Claimed[]> {
    return queryRows<Claimed>(
      this.dataSource,
      `UPDATE credit_export e SET claimed_until = now() + make_interval(secs => $3)
        WHERE e.id IN (
          SELECT x.id FROM credit_export x
           WHERE x.state = 'PENDING' AND x.next_attempt_at <= $1 AND (x.claimed_until IS NULL OR x.claimed_until < now())
             AND (x.kind = 'RECORD' OR NOT EXISTS (SELECT 1 FROM credit_export r WHERE r.id = x.retracts_id AND r.state = 'PENDING'))
           ORDER BY x.next_attempt_at, x.id
           LIMIT $2
           FOR UPDATE SKIP LOCKED)
        RETURNING e.id, e.attempts, e.payload::text AS body`,
      [now, BATCH, LEASE_SECONDS],
    );
  }

  private async deliver(item: Claimed, now: Date): Promise<'delivered' | 'retrying' | 'failed'> {
    const started = Date.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const timestamp = Math.floor(Date.now() / 1000);
      const response = await fetch(this.settings.url!, {
        method: 'POST',
        headers: exportHeaders(this.settings.secret!, item.id, timestamp, item.body),
        body: item.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      statusCode = response.status;
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (cause) {
      error = cause instanceof Error ? `${cause.name}: ${cause.message}`.slice(0, 500) : 'request failed';
    }
    const attempt = item.attempts + 1;
    const schedule = this.settings.retrySchedule;
    const outcome = error === null ? 'delivered' : attempt > schedule.length ? 'failed' : 'retrying';
    const nextAttemptAt = outcome === 'retrying' ? new Date(now.getTime() + schedule[attempt - 1] * 1000) : now;
    await this.dataSource.transaction(async (manager) => {
      await execute(
        manager,
        `INSERT INTO credit_export_attempt (export_id, attempt, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (export_id, attempt) DO NOTHING`,
        [item.id, attempt, statusCode, error, Date.now() - started],
      );
      await execute(
        manager,
        `UPDATE credit_export SET attempts = $2, claimed_until = NULL, last_error = $3, next_attempt_at = $4,
                state = $5, delivered_at = CASE WHEN $5 = 'DELIVERED' THEN now() END
          WHERE id = $1`,
        [item.id, attempt, error, nextAttemptAt, outcome === 'delivered' ? 'DELIVERED' : outcome === 'failed' ? 'FAILED' : 'PENDING'],
      );
    });
    // Counted once recorded (committed): an attempt whose record failed is sent again after its lease, and counted then.
    this.outcomes.inc({ outcome });
    if (error) this.logger.warn(`Credit export ${item.id}: attempt ${attempt} failed (${error}); ${outcome}`);
    return outcome;
  }
}
