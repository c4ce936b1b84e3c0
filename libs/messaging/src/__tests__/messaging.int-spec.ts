import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Global, Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ensureDatabase, runMigrations, serviceDataSourceOptions, withDatabase } from '#libs/database';
import { currentRequestId, runWithRequestId } from '#libs/observability';
import { testInfrastructure, waitFor, workerDatabasePrefix } from '#libs/testing';
import {
  AddOutboxContext1796000000007,
  CreateOutboxAndInbox1796000000000,
  EventType,
  Inbox,
  JobHandler,
  MessagingModule,
  Outbox,
  OutboxRelay,
  PermanentJobError,
  QueueName,
  QueueRegistry,
  ServiceName,
  carryContextIntoOutbox,
  jobsOfQueue,
  queuesOwnedBy,
  type EventEnvelope,
  type EventPayload,
  type JobProcessor,
} from '../index.js';

/** territory.changed's payload with the behaviour this test asks of its handler (the catalogue has no such field). */
type TestPayload = EventPayload<EventType.TerritoryChanged> & { behaviour?: 'fail-once' | 'permanent' | 'announce-onward' };

/** Counts attempts in memory and records processed events in the database, deduplicated by the inbox. */
@Injectable()
@JobHandler(EventType.TerritoryChanged)
class RecordingHandler implements JobProcessor<EventEnvelope<TestPayload>> {
  static attempts = new Map<string, number>();
  /** The request id each event was handled under. */
  static requestIds = new Map<string, string | undefined>();
  /** The event each 'announce-onward' event recorded while it was handled. */
  static onward = new Map<string, string>();

  constructor(
    private readonly inbox: Inbox,
    private readonly outbox: Outbox,
    private readonly dataSource: DataSource,
  ) {}

  async handle(event: EventEnvelope<TestPayload>): Promise<void> {
    const attempt = (RecordingHandler.attempts.get(event.id) ?? 0) + 1;
    RecordingHandler.attempts.set(event.id, attempt);
    RecordingHandler.requestIds.set(event.id, currentRequestId());
    if (event.payload.behaviour === 'announce-onward') {
      const [onward] = await this.dataSource.transaction((manager) =>
        this.outbox.record(manager, [{ type: EventType.TerritoryChanged, payload: { units: [] } }]),
      );
      RecordingHandler.onward.set(event.id, onward);
    }
    if (event.payload.behaviour === 'permanent') throw new PermanentJobError('this event can never be processed');
    if (event.payload.behaviour === 'fail-once' && attempt === 1) throw new Error('transient failure');
    await this.inbox.once('recording-handler', event.id, (manager) =>
      manager.query(`INSERT INTO delivered (event_id) VALUES ($1)`, [event.id]),
    );
  }
}

/**
 * The enforcement service's other jobs (its scheduled cycles, other events), which these tests do not exercise: a
 * handler each that does nothing, so the boot check (every job exactly one handler) passes.
 */
const otherEnforcementJobHandlers = queuesOwnedBy(ServiceName.Enforcement)
  .flatMap(jobsOfQueue)
  .filter((job) => job !== String(EventType.TerritoryChanged))
  .map((job) => {
    @Injectable()
    @JobHandler(job)
    class UnexercisedJob implements JobProcessor {
      async handle(): Promise<void> {}
    }
    return UnexercisedJob;
  });

function messagingApp(databaseUrl: string, queuePrefix: string, handlers: (new (...args: never[]) => unknown)[]) {
  @Module({
    imports: [
      TypeOrmModule.forRootAsync({
        useFactory: () =>
          serviceDataSourceOptions({
            url: databaseUrl,
            entities: [],
            migrations: [CreateOutboxAndInbox1796000000000, AddOutboxContext1796000000007],
          }),
        dataSourceFactory: async (options) => {
          const dataSource = await new DataSource(options!).initialize();
          carryContextIntoOutbox(dataSource);
          await runMigrations(dataSource);
          await dataSource.query(`CREATE TABLE IF NOT EXISTS delivered (event_id uuid NOT NULL)`);
          return dataSource;
        },
      }),
      MessagingModule.forRoot({ service: ServiceName.Enforcement, redisUrl: testInfrastructure().redisUrl, queuePrefix, background: true }),
    ],
    providers: [...handlers, ...otherEnforcementJobHandlers],
  })
  class TestMessagingModule {}
  return NestFactory.createApplicationContext(TestMessagingModule, { logger: ['error'] });
}

// Runs as the enforcement service: territory.changed is the job under test, its other jobs do nothing here.
describe('outbox, relay, queue and inbox', () => {
  const { databaseUrl } = testInfrastructure();
  const url = withDatabase(databaseUrl, `${workerDatabasePrefix()}messaging`);
  let app: INestApplicationContext;
  let dataSource: DataSource;

  const publish = async (payload: TestPayload): Promise<string> => {
    const [id] = await dataSource.transaction((manager) =>
      app.get(Outbox).record(manager, [{ type: EventType.TerritoryChanged, payload }]),
    );
    app.get(OutboxRelay).kick();
    return id;
  };
  // The relay marks an event published when its enqueueing transaction commits, which may be after a fast consumer ran.
  const published = async (id: string) =>
    (await dataSource.query(`SELECT published_at FROM outbox_event WHERE id = $1`, [id]))[0].published_at as Date | null;
  const deliveries = async (id: string) =>
    (await dataSource.query(`SELECT count(*)::int AS count FROM delivered WHERE event_id = $1`, [id]))[0].count as number;

  beforeAll(async () => {
    await ensureDatabase(databaseUrl, `${workerDatabasePrefix()}messaging`);
    app = await messagingApp(url, `test-messaging-${randomBytes(4).toString('hex')}`, [RecordingHandler]);
    dataSource = app.get(DataSource);
  });

  afterAll(async () => {
    await app.close();
  });

  it('delivers an event recorded in a committed transaction to its subscriber, once', async () => {
    const id = await publish({ units: [] });
    await waitFor('the event to be processed', async () => (await deliveries(id)) === 1);
    expect(await waitFor('the relay to mark the event published', () => published(id))).toBeInstanceOf(Date);
  });

  it('processes an event relayed a second time (the relay died before marking it) only once', async () => {
    const id = await publish({ units: [] });
    await waitFor('first delivery', async () => (await deliveries(id)) === 1);
    await waitFor('the relay to mark the event published', () => published(id));
    // As if the relay had died between enqueueing and marking: the job is gone and the row is pending again.
    await app.get(QueueRegistry).get(QueueName.EnforcementEvents).remove(id);
    await dataSource.query(`UPDATE outbox_event SET published_at = NULL WHERE id = $1`, [id]);
    app.get(OutboxRelay).kick();
    await waitFor('the second delivery attempt', () => Promise.resolve(RecordingHandler.attempts.get(id) === 2));
    expect(await deliveries(id)).toBe(1);
  });

  it('records nothing when the transaction that would announce a change rolls back', async () => {
    const [{ count: before }] = await dataSource.query(`SELECT count(*)::int AS count FROM outbox_event`);
    await expect(
      dataSource.transaction(async (manager) => {
        await app.get(Outbox).record(manager, [{ type: EventType.TerritoryChanged, payload: { units: [] } }]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const [{ count: after }] = await dataSource.query(`SELECT count(*)::int AS count FROM outbox_event`);
    expect(after).toBe(before);
  });

  it('retries a job that failed for a passing reason', async () => {
    const id = await publish({ units: [], behaviour: 'fail-once' });
    await waitFor('the retry to succeed', async () => (await deliveries(id)) === 1, 15_000);
    expect(RecordingHandler.attempts.get(id)).toBe(2);
  });

  it('fails a job with a permanent error at once and keeps it for inspection', async () => {
    const id = await publish({ units: [], behaviour: 'permanent' });
    const queue = app.get(QueueRegistry).get(QueueName.EnforcementEvents);
    await waitFor('the job to fail', async () => (await queue.getJobState(id)) === 'failed');
    const job = await queue.getJob(id);
    expect(job!.attemptsMade).toBe(1);
    expect(job!.failedReason).toBe('this event can never be processed');
  });

  const contextOf = async (id: string) =>
    (await dataSource.query(`SELECT context FROM outbox_event WHERE id = $1`, [id]))[0].context as Record<string, unknown> | null;

  it('records the request id with every event recorded inside a request, by the Outbox and by plain statements alike, and none outside', async () => {
    const requestId = `test-${randomBytes(6).toString('hex')}`;
    const [{ id: plain }] = await runWithRequestId(requestId, () =>
      // An autocommit statement that names no context column, as the households table's triggers and the CTEs write.
      // Published at once: the relay has no queue for its type.
      dataSource.query(
        `INSERT INTO outbox_event (id, type, payload, published_at) VALUES (gen_random_uuid(), 'test.plain', '{}', now()) RETURNING id`,
      ),
    );
    const recorded = await runWithRequestId(requestId, () => publish({ units: [] }));
    // The same pooled connections, now outside any request: the context does not outlive its work.
    const [{ id: outside }] = await dataSource.query(
      `INSERT INTO outbox_event (id, type, payload, published_at) VALUES (gen_random_uuid(), 'test.plain', '{}', now()) RETURNING id`,
    );
    expect(await contextOf(plain)).toEqual({ requestId });
    expect(await contextOf(recorded)).toEqual({ requestId });
    expect(await contextOf(outside)).toBeNull();
  });

  it('carries the context in the queued job, handles the event under its request id, and carries it onward to the events the handler records', async () => {
    const requestId = `test-${randomBytes(6).toString('hex')}`;
    const id = await runWithRequestId(requestId, () => publish({ units: [], behaviour: 'announce-onward' }));
    const job = await waitFor('the job to be queued', () => app.get(QueueRegistry).get(QueueName.EnforcementEvents).getJob(id));
    // The envelope: ids, type, source, time, the payload the outbox stored and the context; nothing of the caller.
    expect(Object.keys(job.data as object).sort()).toEqual(['context', 'id', 'occurredAt', 'payloadJson', 'source', 'type']);
    expect(job.data.context).toEqual({ requestId });
    await waitFor('the event to be handled', () => Promise.resolve(RecordingHandler.onward.has(id)));
    expect(RecordingHandler.requestIds.get(id)).toBe(requestId);
    expect(await contextOf(RecordingHandler.onward.get(id)!)).toEqual({ requestId });
  });

  it('handles an event recorded outside any request under an id of its own job', async () => {
    const id = await publish({ units: [] });
    await waitFor('the event to be handled', () => Promise.resolve(RecordingHandler.requestIds.has(id)));
    expect(RecordingHandler.requestIds.get(id)).toBe(`job:${QueueName.EnforcementEvents}:${id}`);
  });

  it('refuses to boot when a job of its queues has no handler, or two, before starting any work', async () => {
    @Injectable()
    @JobHandler(EventType.TerritoryChanged)
    class SecondHandler implements JobProcessor {
      async handle(): Promise<void> {}
    }
    const boot = (handlers: (new (...args: never[]) => unknown)[]) => {
      // The check runs before the relay or any worker starts: the database is never even connected.
      @Global()
      @Module({ providers: [{ provide: DataSource, useValue: new DataSource({ type: 'postgres' }) }], exports: [DataSource] })
      class UnconnectedDatabase {}
      @Module({
        imports: [
          UnconnectedDatabase,
          MessagingModule.forRoot({
            service: ServiceName.Enforcement,
            redisUrl: testInfrastructure().redisUrl,
            queuePrefix: 'unused',
            background: true,
          }),
        ],
        providers: handlers,
      })
      class BootModule {}
      return NestFactory.createApplicationContext(BootModule, { logger: false, abortOnError: false });
    };
    await expect(boot([])).rejects.toThrow('job "territory.changed" has no handler');
    await expect(boot([RecordingHandler, SecondHandler])).rejects.toThrow('job "territory.changed" has 2 handlers');
  });
});
