import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { ensureDatabase, runMigrations, serviceDataSourceOptions, withDatabase } from '#libs/database';
import { CreateIdempotencyRecord1796000000003 } from '#libs/idempotency';
import { FINISHED_JOB_RETENTION, QueueName, QueueRegistry, ServiceName, bullConnection } from '#libs/messaging';
import { CreatePersonalDataAccess1796000000002 } from '#libs/privacy';
import { testInfrastructure, waitFor, workerDatabasePrefix } from '#libs/testing';
import { RETENTION_BATCH_SIZE } from '../batches.js';
import { applySharedRetention, addPersonalDataAccessAgeIndex } from '../shared-stores.js';
import { trimFinishedJobs } from '../queues.js';

const FIRED_AT = new Date('2026-11-30T19:30:00.000Z');
const DAY_MS = 86_400_000;

class AddAgeIndex1796000000391 {
  name = 'AddAgeIndex1796000000391';
  up = addPersonalDataAccessAgeIndex;
  async down(): Promise<void> {}
}

describe('shared retention: audit rows and idempotency records', () => {
  const name = `${workerDatabasePrefix()}lib_retention`;
  let dataSource: DataSource;

  beforeAll(async () => {
    await ensureDatabase(testInfrastructure().databaseUrl, name);
    dataSource = await new DataSource(
      serviceDataSourceOptions({
        url: withDatabase(testInfrastructure().databaseUrl, name),
        entities: [],
        migrations: [CreatePersonalDataAccess1796000000002, CreateIdempotencyRecord1796000000003, AddAgeIndex1796000000391],
      }),
    ).initialize();
    await runMigrations(dataSource);
    await dataSource.query(`TRUNCATE personal_data_access, idempotency_record`);
    // More audit rows past three years than one batch, and some inside; idempotency records either side of 7 days.
    await dataSource.query(
      `INSERT INTO personal_data_access (accessed_at, user_id, roles, request_id, entity, entity_ids)
       SELECT $1::timestamptz - make_interval(days => 1095, secs => i), 'old', '{}'::text[], 'r', 'Resident', ARRAY[gen_random_uuid()] FROM generate_series(1, $2::int) AS i
       UNION ALL
       SELECT $1::timestamptz - make_interval(days => 1094), 'recent', '{}'::text[], 'r', 'Resident', ARRAY[gen_random_uuid()] FROM generate_series(1, 3)`,
      [FIRED_AT, RETENTION_BATCH_SIZE + 1],
    );
    await dataSource.query(
      `INSERT INTO idempotency_record (caller_id, key, operation, request_hash, response, created_at)
       SELECT 'caller', 'old-' || i, 'op', 'h', '{"name":"王建国"}'::jsonb, $1::timestamptz - make_interval(days => 7, secs => i) FROM generate_series(1, 3) AS i
       UNION ALL SELECT 'caller', 'recent-1', 'op', 'h', '{"name":"陈静"}'::jsonb, $1::timestamptz - make_interval(days => 6)`,
      [FIRED_AT],
    );
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('leaves idempotency records alone in a service that keeps none, and deletes audit rows past the period batch after batch', async () => {
    const result = await applySharedRetention(dataSource, FIRED_AT, { personalDataAccessDays: 1095 });
    expect(result).toMatchObject({
      auditRowsDeleted: RETENTION_BATCH_SIZE + 1,
      idempotencyRecordsBefore: null,
      idempotencyRecordsDeleted: 0,
    });
    const audit = await dataSource.query(`SELECT user_id, count(*)::int AS rows FROM personal_data_access GROUP BY user_id`);
    expect(audit).toEqual([{ user_id: 'recent', rows: 3 }]);
    const [{ records }] = await dataSource.query(`SELECT count(*)::int AS records FROM idempotency_record`);
    expect(records).toBe(4);
  });

  it('deletes idempotency records past the replay window, keeps younger ones, and finds nothing more when run again', async () => {
    expect(await applySharedRetention(dataSource, FIRED_AT, { personalDataAccessDays: 1095, idempotencyDays: 7 })).toMatchObject({
      auditRowsDeleted: 0,
      idempotencyRecordsDeleted: 3,
    });
    expect(await dataSource.query(`SELECT key FROM idempotency_record`)).toEqual([{ key: 'recent-1' }]);
    expect(await applySharedRetention(dataSource, FIRED_AT, { personalDataAccessDays: 1095, idempotencyDays: 7 })).toMatchObject({
      auditRowsDeleted: 0,
      idempotencyRecordsDeleted: 0,
    });
  });
});

describe('finished jobs in Redis', () => {
  const { redisUrl } = testInfrastructure();
  const registries: QueueRegistry[] = [];
  const redis = new Redis(redisUrl);
  const workers: Worker[] = [];

  /** A queue with the platform's job defaults and a worker that completes jobs, or fails those marked `fail` for good. */
  function queueWithWorker(): Queue {
    const registry = new QueueRegistry({
      service: ServiceName.Households,
      redisUrl,
      queuePrefix: `test-retention-${randomUUID()}`,
      background: false,
    });
    registries.push(registry);
    const queue = registry.get(QueueName.HouseholdsJobs);
    const worker = new Worker(
      QueueName.HouseholdsJobs,
      (job: Job<{ fail?: boolean }>) => (job.data.fail ? Promise.reject(new UnrecoverableError('fails for good')) : Promise.resolve()),
      { connection: bullConnection(redisUrl), prefix: queue.opts.prefix, concurrency: 50 },
    );
    workers.push(worker);
    return queue;
  }

  /** Whether the job's record (its data, that is its payload) is still in Redis. */
  async function stored(queue: Queue, id: string): Promise<boolean> {
    return (await redis.exists(`${queue.opts.prefix}:${queue.name}:${id}`)) === 1;
  }

  /** Makes a finished job look as if it finished `ageMs` ago (its finish time and its place in the finished set). */
  async function age(queue: Queue, id: string, state: 'completed' | 'failed', ageMs: number): Promise<void> {
    const finishedOn = Date.now() - ageMs;
    await redis.hset(`${queue.opts.prefix}:${queue.name}:${id}`, 'finishedOn', String(finishedOn));
    await redis.zadd(`${queue.opts.prefix}:${queue.name}:${state}`, finishedOn, id);
  }

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    for (const registry of registries) {
      for (const queue of [registry.get(QueueName.HouseholdsJobs)]) await queue.obliterate({ force: true });
      await registry.onApplicationShutdown();
    }
    redis.disconnect();
  });

  it('keeps completed jobs a day and failed jobs a week: older ones, payload and all, are gone after the daily trim', async () => {
    const queue = queueWithWorker();
    const jobs = await queue.addBulk([
      ...['done-old', 'done-young', 'done-recent'].map((label) => ({ name: 'test', data: { label, resident: '王建国' } })),
      ...['failed-old', 'failed-young'].map((label) => ({ name: 'test', data: { label, resident: '陈静', fail: true } })),
    ]);
    const ids = Object.fromEntries(jobs.map((job) => [job.data.label, job.id!]));
    await waitFor('all five jobs to finish', async () => (await queue.getCompletedCount()) === 3 && (await queue.getFailedCount()) === 2);

    const minute = 60_000;
    await age(queue, ids['done-old'], 'completed', FINISHED_JOB_RETENTION.completed.ageSeconds * 1000 + minute);
    await age(queue, ids['done-young'], 'completed', FINISHED_JOB_RETENTION.completed.ageSeconds * 1000 - minute);
    await age(queue, ids['failed-old'], 'failed', FINISHED_JOB_RETENTION.failed.ageSeconds * 1000 + minute);
    // A failed job older than a completed job may be but younger than a week stays.
    await age(queue, ids['failed-young'], 'failed', 2 * DAY_MS);

    expect(await trimFinishedJobs([queue])).toEqual({ completed: 1, failed: 1 });
    expect(await stored(queue, ids['done-old'])).toBe(false);
    expect(await stored(queue, ids['failed-old'])).toBe(false);
    for (const label of ['done-young', 'done-recent', 'failed-young']) expect(await stored(queue, ids[label])).toBe(true);

    const now = Date.now();
    const finished = [...(await queue.getCompleted()), ...(await queue.getFailed())];
    for (const job of finished) {
      const bound = (job.failedReason ? FINISHED_JOB_RETENTION.failed : FINISHED_JOB_RETENTION.completed).ageSeconds * 1000;
      expect(now - job.finishedOn!).toBeLessThan(bound);
    }
  });

  it('keeps at most 1,000 completed jobs per queue, the newest', async () => {
    const queue = queueWithWorker();
    const total = FINISHED_JOB_RETENTION.completed.count + 20;
    const jobs = await queue.addBulk(Array.from({ length: total }, (_, i) => ({ name: 'test', data: { i } })));
    await waitFor(
      'every job to finish',
      async () => (await queue.getJobCounts('wait', 'active', 'prioritized')).wait === 0 && (await queue.getActiveCount()) === 0,
      60_000,
    );
    await waitFor(
      'the completed set to be trimmed',
      async () => (await queue.getCompletedCount()) === FINISHED_JOB_RETENTION.completed.count,
    );
    expect(await stored(queue, jobs[0].id!)).toBe(false);
    expect(await stored(queue, jobs[total - 1].id!)).toBe(true);
  });
});
