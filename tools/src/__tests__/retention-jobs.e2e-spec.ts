import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Queue } from 'bullmq';
import { JOB_SCHEDULES, JobName, QueueName, ServiceName } from '#libs/messaging';
import { platformQueue, waitFor, waitForJob } from '#libs/testing';
import { startPlatform, type TestPlatform } from '../test-platform.js';

/** Each service's own jobs queue, where its daily retention job runs. */
const JOBS_QUEUES: Record<ServiceName, QueueName> = {
  [ServiceName.Organization]: QueueName.OrganizationJobs,
  [ServiceName.Households]: QueueName.HouseholdsJobs,
  [ServiceName.Enforcement]: QueueName.EnforcementJobs,
  [ServiceName.Notifications]: QueueName.NotificationsJobs,
};
const SERVICES = Object.values(ServiceName);

describe('the daily retention job of every service', () => {
  let platform: TestPlatform;
  const queues = new Map<ServiceName, Queue>();

  beforeAll(async () => {
    platform = await startPlatform({ streets: 1, households: 60 });
    for (const service of SERVICES) {
      queues.set(service, platformQueue(platform, JOBS_QUEUES[service]));
    }
  });

  afterAll(async () => {
    await Promise.all([...queues.values()].map((queue) => queue.close()));
    await platform.stop();
  });

  it.each(SERVICES)('%s schedules it every day at 03:30 in Shanghai', async (service) => {
    const schedule = JOB_SCHEDULES.find((s) => s.queue === JOBS_QUEUES[service] && s.job === JobName.RetentionDaily)!;
    const scheduler = await waitFor(`the ${service} retention schedule`, () => queues.get(service)!.getJobScheduler(schedule.id));
    expect(scheduler).toMatchObject({ name: JobName.RetentionDaily, pattern: '30 3 * * *', tz: 'Asia/Shanghai' });
  });

  it.each(SERVICES)(
    '%s deletes audit rows of unmasked reads older than three years when it runs, and keeps younger ones',
    async (service) => {
      const db = platform.database(service);
      await db.query(
        `INSERT INTO personal_data_access (accessed_at, user_id, roles, request_id, entity, entity_ids)
       VALUES (now() - interval '1096 days', 'retention-e2e-old', '{DISTRICT_ADMIN}', 'r1', 'Test', ARRAY[gen_random_uuid()]),
              (now() - interval '1094 days', 'retention-e2e-young', '{DISTRICT_ADMIN}', 'r2', 'Test', ARRAY[gen_random_uuid()])`,
      );
      const queue = queues.get(service)!;
      await waitForJob(queue, await queue.add(JobName.RetentionDaily, {}), `${service} retention`);
      const left = await db.query(`SELECT user_id FROM personal_data_access WHERE user_id LIKE 'retention-e2e-%'`);
      expect(left).toEqual([{ user_id: 'retention-e2e-young' }]);
    },
  );
});
