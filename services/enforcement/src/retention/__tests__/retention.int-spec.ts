import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { ensureDatabase, runMigrations, serviceDataSourceOptions, withDatabase } from '#libs/database';
import { QueueRegistry, ServiceName } from '#libs/messaging';
import { RETENTION_BATCH_SIZE, RetentionJob, type RetentionJobData } from '#libs/retention';
import { arrangeSharedStores, sharedStoresLeft, testInfrastructure, workerDatabasePrefix } from '#libs/testing';
import { enforcementService } from '../../enforcement.service-definition.js';
import { enforcementRetention } from '../retention-plan.js';
import { parseRetentionSettings } from '../retention-settings.js';

const FIRED_AT = new Date('2026-11-30T19:30:00.000Z');
const DAY_MS = 86_400_000;
/** Just past / just inside the default 90 days after closing. */
const PAST_PERIOD = new Date(FIRED_AT.getTime() - 90 * DAY_MS - 1000);
const WITHIN_PERIOD = new Date(FIRED_AT.getTime() - 90 * DAY_MS + 1000);

const NAMES = ['欧阳明月', '李华', '张伟'];
const PHONE = '13812345678';
const HOME = '锦苑花园5幢2单元301室';

describe('retention of personal data in enforcement', () => {
  const url = withDatabase(testInfrastructure().databaseUrl, `${workerDatabasePrefix()}enforcement_retention`);
  let dataSource: DataSource;
  let queues: QueueRegistry;
  let retention: RetentionJob<ReturnType<typeof parseRetentionSettings>>;
  const logged: string[] = [];
  const settings = parseRetentionSettings({});
  const ids: Record<string, string> = {};
  let statisticsBefore: unknown;

  const runRetention = (firedAt = FIRED_AT) =>
    retention.handle({ firedAt: firedAt.toISOString() }, { id: 'retention-test' } as Job<RetentionJobData>);
  /** What report statistics and Open311 rest on: unchanged by the job. */
  const statistics = () =>
    dataSource.query(
      `SELECT channel, category_code, status, count(*)::int AS reports, string_agg(description, '|' ORDER BY id) AS descriptions,
              count(reporter_user_id)::int AS with_user, count(org_unit_id)::int AS located
         FROM citizen_report GROUP BY channel, category_code, status ORDER BY channel, status`,
    );
  const report = async (id: string) =>
    (
      await dataSource.query(
        `SELECT reporter_name, reporter_phone, address_text, reporter_user_id, description, status, contact_erased_at FROM citizen_report WHERE id = $1`,
        [id],
      )
    )[0];

  async function insertReport(
    key: string,
    values: { closedAt: Date | null; orgUnit?: boolean; name?: string; phone?: string | null; address?: string | null },
  ): Promise<void> {
    const [row] = await dataSource.query(
      `INSERT INTO citizen_report (channel, category_code, description, org_unit_id, address_text, reporter_user_id, reporter_name,
                                   reporter_phone, submitted_by, status, submitted_at, due_at, closed_at)
       VALUES ('APP', 'MIXED_WASTE', $1, $2, $3, $4, $5, $6, $4, $7, $8::timestamptz - interval '10 days', $8::timestamptz, $9) RETURNING id`,
      [
        `${key}: 桶边混投`,
        values.orgUnit === false ? null : randomUUID(),
        values.address ?? null,
        `resident-${key}`,
        values.name ?? null,
        values.phone ?? null,
        values.closedAt ? 'RESOLVED' : 'IN_PROGRESS',
        values.closedAt ?? FIRED_AT,
        values.closedAt,
      ],
    );
    ids[key] = row.id;
    await dataSource.query(
      `INSERT INTO citizen_report_history (report_id, action, to_status, actor, note) VALUES ($1, 'SUBMIT', 'SUBMITTED', 'reporter', '已受理')`,
      [row.id],
    );
  }

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => void logged.push(String(message)));
    await ensureDatabase(testInfrastructure().databaseUrl, `${workerDatabasePrefix()}enforcement_retention`);
    dataSource = await new DataSource(
      serviceDataSourceOptions({ url, entities: enforcementService.entities, migrations: enforcementService.migrations }),
    ).initialize();
    await runMigrations(dataSource);
    for (const table of ['citizen_report_history', 'citizen_report', 'personal_data_access', 'idempotency_record'])
      await dataSource.query(`TRUNCATE ${table} CASCADE`);
    queues = new QueueRegistry({
      service: ServiceName.Enforcement,
      redisUrl: testInfrastructure().redisUrl,
      queuePrefix: `test-retention-${randomUUID()}`,
      background: false,
    });
    retention = new RetentionJob(dataSource, settings, { service: ServiceName.Enforcement, steps: enforcementRetention.steps() }, queues);

    await insertReport('closedLongAgo', { closedAt: PAST_PERIOD, name: NAMES[0], phone: PHONE, address: HOME });
    await insertReport('onlyAddress', { closedAt: PAST_PERIOD, orgUnit: false, name: NAMES[1], address: HOME });
    await insertReport('closedRecently', { closedAt: WITHIN_PERIOD, name: NAMES[2], phone: PHONE, address: HOME });
    await insertReport('open', { closedAt: null, name: NAMES[2], phone: PHONE });
    // More closed reports than one batch, so the job has to go on past the first.
    await dataSource.query(
      `INSERT INTO citizen_report (channel, category_code, description, org_unit_id, reporter_name, reporter_phone, submitted_by, status, due_at, closed_at)
       SELECT 'HOTLINE', 'BIN_OVERFLOW', '热线来电', gen_random_uuid(), '赵' || i, $1, 'handler', 'REJECTED', $2, $2
         FROM generate_series(1, $3::int) AS i`,
      [PHONE, PAST_PERIOD, RETENTION_BATCH_SIZE],
    );
    await arrangeSharedStores(dataSource, FIRED_AT, settings);
    statisticsBefore = await statistics();

    await runRetention();
  });

  // A hook per resource: each is released even when setup failed before the next one existed.
  afterAll(() => {
    jest.restoreAllMocks();
  });
  afterAll(() => queues.onApplicationShutdown());
  afterAll(() => dataSource.destroy());

  it('erases the reporter’s name, phone and own place description of a report closed longer than 90 days, and keeps the report', async () => {
    expect(await report(ids.closedLongAgo)).toEqual({
      reporter_name: null,
      reporter_phone: null,
      address_text: null,
      reporter_user_id: 'resident-closedLongAgo',
      description: 'closedLongAgo: 桶边混投',
      status: 'RESOLVED',
      contact_erased_at: FIRED_AT,
    });
    const [{ left }] = await dataSource.query(
      `SELECT count(*)::int AS left FROM citizen_report WHERE closed_at < $1 AND reporter_phone IS NOT NULL`,
      [PAST_PERIOD.toISOString()],
    );
    expect(left).toBe(0);
    const [{ history }] = await dataSource.query(`SELECT count(*)::int AS history FROM citizen_report_history WHERE report_id = $1`, [
      ids.closedLongAgo,
    ]);
    expect(history).toBe(1);
  });

  it('keeps the place of a report located only by its description, masked as staff without personal data see it', async () => {
    expect(await report(ids.onlyAddress)).toMatchObject({ reporter_name: null, reporter_phone: null, address_text: '***' });
  });

  it('leaves reports closed within the period, and open ones, as they were', async () => {
    expect(await report(ids.closedRecently)).toMatchObject({
      reporter_name: NAMES[2],
      reporter_phone: PHONE,
      address_text: HOME,
      contact_erased_at: null,
    });
    expect(await report(ids.open)).toMatchObject({ reporter_name: NAMES[2], reporter_phone: PHONE, contact_erased_at: null });
  });

  it('keeps every report and what statistics count of them', async () => {
    expect(await statistics()).toEqual(statisticsBefore);
  });

  it('deletes audit rows of unmasked reads and idempotency records past their periods, and keeps younger ones', async () => {
    expect(await sharedStoresLeft(dataSource)).toEqual({ audit: ['within-period'], idempotency: ['within-period'] });
  });

  it('changes nothing when run again, nor when a run of an earlier day is delivered late', async () => {
    const snapshot = () => dataSource.query(`SELECT string_agg(r::text, E'\\n' ORDER BY r.id) AS reports FROM citizen_report r`);
    const before = await snapshot();
    await runRetention();
    await runRetention(new Date(FIRED_AT.getTime() - 30 * DAY_MS));
    expect(await snapshot()).toEqual(before);
  });

  it('names no one in its log lines', () => {
    expect(logged.filter((line) => [...NAMES, PHONE, HOME].some((text) => line.includes(text)))).toEqual([]);
    expect(logged).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `: ${RETENTION_BATCH_SIZE + 2} reporters' contact details erased; audit rows before .*: 1 deleted; idempotency records before .*: 1 deleted`,
        ),
      ),
    );
  });
});
