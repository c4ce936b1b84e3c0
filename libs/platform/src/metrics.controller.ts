import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { queryOne } from '#libs/database';
import { MESSAGING_OPTIONS, QUEUE_OWNER, QueueRegistry, type MessagingOptions, type QueueName } from '#libs/messaging';
import { metricOptions } from './metric-catalogue.js';
import { COLLECT_TIMEOUT_MS, type ProcessMetrics } from './metrics.js';
import { settledWithin } from './settled-within.js';

export const PROCESS_METRICS = Symbol('PROCESS_METRICS');

const QUEUE_STATES = ['waiting', 'active', 'failed', 'delayed'] as const;

/** What node-postgres's Pool (TypeORM's postgres driver keeps it as `master`) tells of its connections. */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max?: number };
}

/**
 * `GET /metrics`: this service's series in the Prometheus text format. Queue depths and the outbox lag are read when
 * scraped (one Redis round trip per owned queue, one indexed query on the pending outbox rows), not polled; the
 * database pool's counts are the pool's own, read in memory.
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
      ...metricOptions('waste_queue_jobs'),
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
    metrics.scrapedGauges(['waste_outbox_pending_events', 'waste_outbox_oldest_pending_age_seconds'], () => readOutboxLag(dataSource));
    // Waiting requests mean the pool is at its maximum and queries queue in this process, unseen by the database.
    metrics.scrapedGauges(
      ['waste_db_pool_clients', 'waste_db_pool_idle_clients', 'waste_db_pool_waiting_requests', 'waste_db_pool_max_clients'],
      () => Promise.resolve(readPool(dataSource)),
    );
  }

  @Get()
  async scrape(@Res() response: Response): Promise<void> {
    const { contentType, body } = await this.metrics.scrape();
    response.type(contentType).send(body);
  }
}

async function readOutboxLag(
  dataSource: DataSource,
): Promise<{ waste_outbox_pending_events: number; waste_outbox_oldest_pending_age_seconds: number }> {
  // The partial index on unpublished rows keeps this cheap however many published rows the table holds.
  return queryOne(
    dataSource,
    `SELECT count(*)::int AS waste_outbox_pending_events,
            coalesce(extract(epoch FROM now() - min(occurred_at)), 0)::float8 AS waste_outbox_oldest_pending_age_seconds
       FROM outbox_event WHERE published_at IS NULL`,
  );
}

/** The pool's counts, or nothing when the driver keeps no pool (a data source not initialised). */
function readPool(dataSource: DataSource): Record<string, number> {
  const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
  if (!pool) return {};
  return {
    waste_db_pool_clients: pool.totalCount,
    waste_db_pool_idle_clients: pool.idleCount,
    waste_db_pool_waiting_requests: pool.waitingCount,
    // node-postgres's default when TypeORM is given no poolSize.
    waste_db_pool_max_clients: pool.options.max ?? 10,
  };
}
