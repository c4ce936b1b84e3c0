import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { ensureDatabase, runMigrations, serviceDataSourceOptions, withDatabase } from '#libs/database';
import { QueueRegistry, ServiceName } from '#libs/messaging';
import { RetentionJob, type RetentionJobData } from '#libs/retention';
import { arrangeSharedStores, sharedStoresLeft, testInfrastructure, workerDatabasePrefix } from '#libs/testing';
import { organizationService } from '../../organization.service-definition.js';
import { organizationRetention } from '../retention-plan.js';
import { parseRetentionSettings } from '../retention-settings.js';

const FIRED_AT = new Date('2026-11-30T19:30:00.000Z');

describe('retention of personal data in organization', () => {
  const name = `${workerDatabasePrefix()}organization_retention`;
  let dataSource: DataSource;
  let queues: QueueRegistry;
  const settings = parseRetentionSettings({
    PERSONAL_DATA_ACCESS_RETENTION_DAYS: '400',
    IDEMPOTENCY_RETENTION_DAYS: '3',
    CONTEST_ENTRANT_RETENTION_DAYS: '100',
  });
  const DISTRICT = '00000000-0000-4000-8000-0000000d1571';

  beforeAll(async () => {
    await ensureDatabase(testInfrastructure().databaseUrl, name);
    const url = withDatabase(testInfrastructure().databaseUrl, name);
    dataSource = await new DataSource(
      serviceDataSourceOptions({ url, entities: organizationService.entities, migrations: organizationService.migrations }),
    ).initialize();
    await runMigrations(dataSource);
    await dataSource.query(`TRUNCATE personal_data_access, idempotency_record`);
    queues = new QueueRegistry({
      service: ServiceName.Organization,
      redisUrl: testInfrastructure().redisUrl,
      queuePrefix: `test-retention-${randomUUID()}`,
      background: false,
    });
    await arrangeSharedStores(dataSource, FIRED_AT, settings);
    // Two contests, one closed just past the period and one just within it, each with an entry of a child.
    await dataSource.query(`TRUNCATE volunteer_contest CASCADE`);
    await dataSource.query(
      `INSERT INTO org_unit (id, kind, code, name, parent_id, path) VALUES ($1, 'DISTRICT', 'retention-district', '鄞州区', NULL, ARRAY[$1::uuid]) ON CONFLICT DO NOTHING`,
      [DISTRICT],
    );
    await dataSource.query(`INSERT INTO volunteer (user_id, name) VALUES ('retention-parent', '陈建国') ON CONFLICT DO NOTHING`);
    await dataSource.query(
      `WITH contest AS (
         INSERT INTO volunteer_contest (title, campaign, theme, org_unit_id, entries_close_at, created_by)
         SELECT c.title, 'GOLDEN_YOUNGSTERS', '垃圾分类', $1, $2::timestamptz - make_interval(days => c.days), 'test'
           FROM (VALUES ('past-period', 101), ('within-period', 99)) AS c(title, days)
         RETURNING id, title)
       INSERT INTO volunteer_contest_entry (contest_id, volunteer_id, title, entrant_name)
       SELECT contest.id, (SELECT id FROM volunteer WHERE user_id = 'retention-parent'), contest.title, '陈小明' FROM contest`,
      [DISTRICT, FIRED_AT],
    );
    await new RetentionJob(
      dataSource,
      settings,
      { service: ServiceName.Organization, steps: organizationRetention.steps() },
      queues,
    ).handle({ firedAt: FIRED_AT.toISOString() }, { id: 'retention-test' } as Job<RetentionJobData>);
  });

  afterAll(async () => {
    await queues.onApplicationShutdown();
    await dataSource.destroy();
  });

  it('deletes audit rows of unmasked reads and idempotency records past their configured periods, and keeps younger ones', async () => {
    expect(settings).toEqual({ personalDataAccessDays: 400, idempotencyDays: 3, contestEntrantDays: 100 });
    expect(await sharedStoresLeft(dataSource)).toEqual({ audit: ['within-period'], idempotency: ['within-period'] });
  });

  it("masks contest entrants' names in place once the contest closed longer ago than the period, and keeps the entries", async () => {
    const entries = await dataSource.query(
      `SELECT title, entrant_name AS name, entrant_name_masked_at IS NOT NULL AS masked FROM volunteer_contest_entry ORDER BY title`,
    );
    expect(entries).toEqual([
      { title: 'past-period', name: '陈*明', masked: true },
      { title: 'within-period', name: '陈小明', masked: false },
    ]);
    // A second run changes nothing.
    await new RetentionJob(
      dataSource,
      settings,
      { service: ServiceName.Organization, steps: organizationRetention.steps() },
      queues,
    ).handle({ firedAt: FIRED_AT.toISOString() }, { id: 'retention-again' } as Job<RetentionJobData>);
    expect(
      await dataSource.query(`SELECT count(*)::int AS count FROM volunteer_contest_entry WHERE entrant_name_masked_at = $1`, [FIRED_AT]),
    ).toEqual([{ count: 1 }]);
  });
});
