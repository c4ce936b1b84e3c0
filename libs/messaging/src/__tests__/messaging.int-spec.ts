import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Global, Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ensureDatabase, runMigrations, serviceDataSourceOptions, withDatabase } from '#libs/database';
import { testInfrastructure, waitFor, workerDatabasePrefix } from '#libs/testing';
import {
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
  jobsOfQueue,
  queuesOwnedBy,
  type EventEnvelope,
  type EventPayload,
  type JobProcessor,
} from '../index.js';

/** territory.changed's payload with the behaviour this test asks of its handler (the catalogue has no such field). */
type TestPayload = EventPayload<EventType.TerritoryChanged> & { behaviour?: 'fail-once' | 'permanent' };

/** Counts attempts in memory and records processed events in the database, deduplicated by the inbox. */
@Injectable()
@JobHandler(EventType.TerritoryChanged)
class RecordingHandler implements JobProcessor<EventEnvelope<TestPayload>> {
  static attempts = new Map<string, number>();

  constructor(private readonly inbox: Inbox) {}

  async handle(event: EventEnvelope<TestPayload>): Promise<void> {
    const attempt = (RecordingHandler.attempts.get(event.id) ?? 0) + 1;
    RecordingHandler.attempts.set(event.id, attempt);
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
        useFactory: () => serviceDataSourceOptions({ url: databaseUrl, entities: [], migrations: [CreateOutboxAndInbox1796000000000] }),
        dataSourceFactory: async (options) => {
          const dataSource = await new DataSource(options!).initialize();
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
