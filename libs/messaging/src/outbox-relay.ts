import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '#libs/database';
import { carriedContextOf, runOutsideRequest } from '#libs/observability';
import { EVENT_SUBSCRIBERS, type EventType, type QueueName, type QueuedEvent } from './catalogue.js';
import { MESSAGING_OPTIONS, type MessagingOptions } from './messaging-options.js';
import { PollingLoop } from './polling-loop.js';
import { QueueRegistry } from './queue-registry.js';

/** Events per transaction; grade events carry up to 500 households each, so a batch stays within tens of MB. */
const BATCH_SIZE = 50;
const PURGE_EVERY_MS = 3600_000;

interface OutboxRow {
  id: string;
  type: EventType;
  payload: string;
  occurred_at: Date;
  context: unknown;
}

/**
 * Moves committed outbox events onto the queues that subscribe to them. The job id is the event id, so an event
 * published twice (the process died between enqueueing and marking it published) is still one job, and consumers
 * dedupe by event id besides. Rows are claimed with SKIP LOCKED, so several replicas can relay side by side.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  // A full batch suggests more are pending: the next round starts at once.
  private readonly loop = new PollingLoop(
    async () => (await this.publishBatch()) >= BATCH_SIZE,
    (error, pauseMs) => this.logger.error(`Publishing outbox events failed, retrying in ${pauseMs} ms: ${error.message}`),
  );
  private lastPurge = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.background) this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Publish now rather than at the next poll; call after committing a transaction that recorded events. */
  kick(): void {
    this.loop.kick();
  }

  /** Publishes one batch of pending events and returns how many it published. */
  async publishBatch(): Promise<number> {
    // A request that kicked the relay must not lend it its id: the relay works for every request alike.
    return runOutsideRequest(() => this.publishPending());
  }

  private async publishPending(): Promise<number> {
    const published = await this.dataSource.transaction(async (manager) => {
      const rows = await queryRows<OutboxRow>(
        manager,
        `SELECT id, type, payload::text AS payload, occurred_at, context FROM outbox_event
          WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH_SIZE],
      );
      if (rows.length === 0) return 0;
      const jobsByQueue = new Map<QueueName, { name: string; data: QueuedEvent; opts: { jobId: string } }[]>();
      for (const row of rows) {
        const context = carriedContextOf(row.context);
        const envelope: QueuedEvent = {
          id: row.id,
          type: row.type,
          source: this.options.service,
          occurredAt: row.occurred_at.toISOString(),
          payloadJson: row.payload,
          ...(context ? { context } : {}),
        };
        for (const queue of EVENT_SUBSCRIBERS[row.type]) {
          const jobs = jobsByQueue.get(queue) ?? [];
          jobs.push({ name: row.type, data: envelope, opts: { jobId: row.id } });
          jobsByQueue.set(queue, jobs);
        }
      }
      for (const [queue, jobs] of jobsByQueue) await this.queues.get(queue).addBulk(jobs);
      await manager.query(`UPDATE outbox_event SET published_at = now() WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
    await this.purgeOldEvents();
    return published;
  }

  /** Published events are kept a week for audit and replay, then deleted. */
  private async purgeOldEvents(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    await this.dataSource.query(`DELETE FROM outbox_event WHERE published_at < now() - interval '7 days'`);
  }
}
