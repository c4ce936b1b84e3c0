import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { queryOne } from '#libs/database';
import { MESSAGING_OPTIONS, QUEUE_OWNER, QueueRegistry, type MessagingOptions, type QueueName } from '#libs/messaging';
import { METRICS_PREFIX, type ProcessMetrics } from './metrics.js';
import { settledWithin } from './settled-within.js';

export const PROCESS_METRICS = Symbol('PROCESS_METRICS');

const QUEUE_STATES = ['waiting', 'active', 'failed', 'delayed'] as const;
/** Past this a scrape leaves out what it could not read, rather than hang while Redis or the database is away. */
const COLLECT_TIMEOUT_MS = 2_000;

/**
 * `GET /metrics`: this service's series in the Prometheus text format. Queue depths and the outbox lag are read when
 * scraped (one Redis round trip per owned queue, one indexed query on the pending outbox rows), not polled.
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(PROCESS_METRICS) private readonly metrics: ProcessMetrics,
    @Inject(MESSAGING_OPTIONS) messaging: MessagingOptions,
    queues: QueueRegistry,
    dataSource: DataSource,
  ) {
    const owned = (Object.keys(QUEUE_OWNER) as QueueName[]).filter((queue) => QUEUE_OWNER[queue] === messaging.service);
    new Gauge({
      name: `${METRICS_PREFIX}queue_jobs`,
      help: 'Jobs in each queue this service owns, by state (waiting, active, failed, delayed).',
      labelNames: ['queue', 'state'] as const,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        await Promise.all(
          owned.map(async (queue) => {
            const counts = await settledWithin(queues.get(queue).getJobCounts(...QUEUE_STATES), COLLECT_TIMEOUT_MS);
            if (counts) for (const state of QUEUE_STATES) this.set({ queue, state }, counts[state] ?? 0);
          }),
        );
      },
    });
    // Both outbox gauges come from one query per scrape: whichever is collected first runs it, the other reuses it.
    let lag: Promise<{ pending: number; oldestAgeSeconds: number } | undefined> | undefined;
    const outboxLag = () =>
      (lag ??= settledWithin(readOutboxLag(dataSource), COLLECT_TIMEOUT_MS).finally(() => {
        setImmediate(() => (lag = undefined));
      }));
    new Gauge({
      name: `${METRICS_PREFIX}outbox_pending_events`,
      help: 'Events recorded in this service’s outbox and not yet published.',
      registers: [metrics.registry],
      async collect() {
        this.reset();
        const read = await outboxLag();
        if (read) this.set(read.pending);
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}outbox_oldest_pending_age_seconds`,
      help: 'Age of the oldest unpublished outbox event (0 when none is pending).',
      registers: [metrics.registry],
      async collect() {
        this.reset();
        const read = await outboxLag();
        if (read) this.set(read.oldestAgeSeconds);
      },
    });
  }

  @Get()
  async scrape(@Res() response: Response): Promise<void> {
    const { contentType, body } = await this.metrics.scrape();
    response.type(contentType).send(body);
  }
}

async function readOutboxLag(dataSource: DataSource): Promise<{ pending: number; oldestAgeSeconds: number }> {
  // The partial index on unpublished rows keeps this cheap however many published rows the table holds.
  const { pending, age } = await queryOne<{ pending: number; age: number }>(
    dataSource,
    `SELECT count(*)::int AS pending, coalesce(extract(epoch FROM now() - min(occurred_at)), 0)::float8 AS age
       FROM outbox_event WHERE published_at IS NULL`,
  );
  return { pending, oldestAgeSeconds: age };
}
