import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { ensureDatabase, runMigrations, serviceDataSourceOptions, withDatabase } from '#libs/database';
import { QueueRegistry, ServiceName } from '#libs/messaging';
import { parseSharedRetentionSettings, type RetentionJobData } from '#libs/retention';
import { arrangeSharedStores, sharedStoresLeft, testInfrastructure, workerDatabasePrefix } from '#libs/testing';
import { organizationService } from '../../organization.service-definition.js';
import { RetentionJob } from '../jobs/retention.job.js';

const FIRED_AT = new Date('2026-11-30T19:30:00.000Z');

describe('retention of personal data in organization', () => {
  const name = `${workerDatabasePrefix()}organization_retention`;
  let dataSource: DataSource;
  let queues: QueueRegistry;
  const settings = parseSharedRetentionSettings({ PERSONAL_DATA_ACCESS_RETENTION_DAYS: '400', IDEMPOTENCY_RETENTION_DAYS: '3' });

  beforeAll(async () => {
    await ensureDatabase(testInfrastructure().databaseUrl, name);
    const url = withDatabase(testInfrastructure().databaseUrl, name);
    dataSource = await new DataSource(serviceDataSourceOptions({ url, entities: organizationService.entities, migrations: organizationService.migrations })).initialize();
    await runMigrations(dataSource);
    await dataSource.query(`TRUNCATE personal_data_access, idempotency_record`);
    queues = new QueueRegistry({ service: ServiceName.Organization, redisUrl: testInfrastructure().redisUrl, queuePrefix: `test-retention-${randomUUID()}`, background: false });
    await arrangeSharedStores(dataSource, FIRED_AT, settings);
    await new RetentionJob(dataSource, settings, queues).handle({ firedAt: FIRED_AT.toISOString() }, { id: 'retention-test' } as Job<RetentionJobData>);
  });

  afterAll(async () => {
    await queues?.onApplicationShutdown();
    await dataSource?.destroy();
  });

  it('deletes audit rows of unmasked reads and idempotency records past their configured periods, and keeps younger ones', async () => {
    expect(settings).toEqual({ personalDataAccessDays: 400, idempotencyDays: 3 });
    expect(await sharedStoresLeft(dataSource)).toEqual({ audit: ['within-period'], idempotency: ['within-period'] });
  });
});
