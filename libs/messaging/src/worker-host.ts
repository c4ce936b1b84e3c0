import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, propagation, trace } from '@opentelemetry/api';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { DomainError, ErrorCode } from '#libs/errors';
import { carriedContextOf, runWithRequestId } from '#libs/observability';
import {
  DEFAULT_QUEUE_CONCURRENCY,
  JOB_SCHEDULES,
  QUEUE_CONCURRENCY,
  SCHEDULE_TIME_ZONE,
  jobsOfQueue,
  queuesOwnedBy,
  type EventEnvelope,
  type QueueName,
  type QueuedEvent,
} from './catalogue.js';
import { checkJobHandlers } from './handler-check.js';
import { JOB_HANDLER_METADATA, PermanentJobError, type JobProcessor } from './job-handler.js';
import { MESSAGING_OPTIONS, type MessagingOptions } from './messaging-options.js';
import { QueueRegistry } from './queue-registry.js';
import { bullConnection } from './redis.js';

/**
 * Finds every @JobHandler in this process, refuses to boot unless each job name of the service's queues has
 * exactly one, then runs a BullMQ worker per queue that dispatches jobs by name.
 */
@Injectable()
export class WorkerHost implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerHost.name);
  private readonly workers: Worker[] = [];
  private readonly handlers = new Map<string, JobProcessor>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly queues: QueueRegistry,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  /** Runs before any process starts work (relay, workers), so an inconsistent service stops before doing anything. */
  onModuleInit(): void {
    const queues = queuesOwnedBy(this.options.service);
    const found = this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.metatype && wrapper.instance)
      .map((wrapper) => ({
        name: Reflect.getMetadata(JOB_HANDLER_METADATA, wrapper.metatype!) as string | undefined,
        instance: wrapper.instance as JobProcessor,
      }))
      .filter((h): h is { name: string; instance: JobProcessor } => typeof h.name === 'string');
    const expected = queues.flatMap((queue) => jobsOfQueue(queue));
    const problems = checkJobHandlers(
      expected,
      found.map((h) => h.name),
    );
    if (problems.length > 0) {
      throw new Error(`Job handlers of ${this.options.service} are inconsistent:\n  - ${problems.join('\n  - ')}`);
    }
    for (const handler of found) this.handlers.set(handler.name, handler.instance);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.background) return;
    const queues = queuesOwnedBy(this.options.service);
    for (const queue of queues) {
      if (jobsOfQueue(queue).length > 0) this.workers.push(this.startWorker(queue));
    }
    // Upserting is idempotent: every replica may do it at every start.
    for (const schedule of JOB_SCHEDULES.filter((s) => queues.includes(s.queue))) {
      await this.queues
        .get(schedule.queue)
        .upsertJobScheduler(schedule.id, { pattern: schedule.pattern, tz: SCHEDULE_TIME_ZONE }, { name: schedule.job });
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Let running jobs finish; unfinished ones are picked up again by another worker after their lock expires.
    await Promise.all(this.workers.map((worker) => worker.close()));
    this.workers.length = 0;
  }

  private startWorker(queue: QueueName): Worker {
    const worker = new Worker(queue, (job) => this.process(job), {
      connection: bullConnection(this.options.redisUrl),
      prefix: this.options.queuePrefix,
      concurrency: QUEUE_CONCURRENCY[queue] ?? DEFAULT_QUEUE_CONCURRENCY,
    });
    worker.on('failed', (job, error) => {
      if (!job) return;
      this.logger.warn(`Job ${job.name} ${job.id} on ${queue} failed (attempt ${job.attemptsMade}): ${error.message}`);
      const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      this.observe(queue, job, 'failed', final);
      if (final) {
        this.handlers
          .get(job.name)
          ?.failed?.(asHandlerData(job.data), error)
          .catch((cause: Error) => {
            this.logger.error(`Recording the failure of job ${job.name} ${job.id} failed: ${cause.message}`);
          });
      }
    });
    worker.on('completed', (job) => this.observe(queue, job, 'completed', false));
    worker.on('error', (error) => this.logger.error(`Worker for ${queue}: ${error.message}`));
    return worker;
  }

  /** Tells the observer (the platform's metrics) how an attempt ended; job names outside the catalogue count as `unknown`. */
  private observe(queue: QueueName, job: Job, outcome: 'completed' | 'failed', final: boolean): void {
    const ended = job.finishedOn ?? Date.now();
    const seconds = Math.max(0, ended - (job.processedOn ?? ended)) / 1000;
    this.options.jobObserver?.jobFinished({ queue, job: this.handlers.has(job.name) ? job.name : 'unknown', outcome, seconds, final });
  }

  /**
   * Runs a job's handler inside the context it carries: an event's is the one of the request or job that recorded it
   * (so its lines and the events it records in turn carry the same request id); a scheduled job, or an event recorded
   * outside any request, starts its own, `job:<queue>:<job id>`, so a whole scheduled run is followed by one id. The
   * handler runs in a CONSUMER span whose parent is the carried trace context (both no-ops until a tracing SDK is
   * registered). One line per job says how it ended.
   */
  private async process(job: Job): Promise<void> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new UnrecoverableError(`No handler for job ${job.name}`);
    const carried = carriedContextOf((job.data as Partial<QueuedEvent> | undefined)?.context);
    const requestId = carried?.requestId ?? `job:${job.queueName}:${job.id}`;
    const parent = carried ? propagation.extract(ROOT_CONTEXT, carried) : ROOT_CONTEXT;
    const attributes = { 'messaging.destination.name': job.queueName, 'messaging.message.id': String(job.id) };
    const line = (outcome: string, started: number) => ({
      msg: 'job',
      queue: job.queueName,
      job: job.name,
      jobId: job.id,
      outcome,
      durationMs: Date.now() - started,
    });
    await runWithRequestId(requestId, () =>
      trace
        .getTracer('waste-platform')
        .startActiveSpan(`${job.queueName} process`, { kind: SpanKind.CONSUMER, attributes }, parent, async (span) => {
          const started = Date.now();
          try {
            await handler.handle(asHandlerData(job.data), job);
            this.logger.log(line('completed', started));
          } catch (error) {
            span.recordException(error as Error);
            span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
            this.logger.warn(line('failed', started));
            // Bad input stays bad however often it is retried.
            const permanent =
              error instanceof PermanentJobError || (error instanceof DomainError && error.code === ErrorCode.BAD_USER_INPUT);
            if (permanent) throw new UnrecoverableError(error.message);
            throw error;
          } finally {
            span.end();
          }
        }),
    );
  }
}

/** Events arrive as QueuedEvent (payload still JSON text); handlers get an EventEnvelope with the payload parsed. */
function asHandlerData(data: unknown): unknown {
  if (data && typeof data === 'object' && 'payloadJson' in data) {
    const { payloadJson, ...envelope } = data as QueuedEvent;
    return { ...envelope, payload: JSON.parse(payloadJson) } satisfies EventEnvelope;
  }
  return data;
}
