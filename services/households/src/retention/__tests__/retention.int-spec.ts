import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource, type QueryRunner } from 'typeorm';
import { ensureDatabase, runMigrations, serviceDataSourceOptions, withDatabase } from '#libs/database';
import { QueueRegistry, ServiceName } from '#libs/messaging';
import { RetentionJob, type RetentionJobData } from '#libs/retention';
import { arrangeSharedStores, sharedStoresLeft, testInfrastructure, workerDatabasePrefix } from '#libs/testing';
import { householdsService } from '../../households.service-definition.js';
import { LocalDirectoryStorage } from '../../uploads/local-directory-storage.js';
import { householdsRetention } from '../retention-plan.js';
import { ORPHANED_UPLOAD_BATCH_SIZE } from '../retention-sql.js';
import { parseRetentionSettings } from '../retention-settings.js';

const FIRED_AT = new Date('2026-11-30T19:30:00.000Z');
const DAY_MS = 86_400_000;
/** Just past / just inside the default 30 days. */
const PAST_PERIOD = new Date(FIRED_AT.getTime() - 30 * DAY_MS - 1000);
const WITHIN_PERIOD = new Date(FIRED_AT.getTime() - 30 * DAY_MS + 1000);

describe('retention of personal data in households', () => {
  const name = `${workerDatabasePrefix()}households_retention`;
  const root = join(mkdtempSync(join(tmpdir(), 'retention-uploads-')), 'uploads');
  const storage = new LocalDirectoryStorage(root);
  const settings = parseRetentionSettings({});
  let dataSource: DataSource;
  let queues: QueueRegistry;
  let retention: RetentionJob<ReturnType<typeof parseRetentionSettings>>;
  /** A transaction citing a photo at the moment the job runs (holds the photo's row as requireUploads does). */
  let citing: QueryRunner;
  const uploads: Record<string, { id: string; key: string }> = {};

  const runRetention = (firedAt = FIRED_AT) =>
    retention.handle({ firedAt: firedAt.toISOString() }, { id: 'retention-test' } as Job<RetentionJobData>);
  const uploadIds = async (): Promise<string[]> => (await dataSource.query(`SELECT id FROM upload`)).map((row: { id: string }) => row.id);

  async function upload(label: string, createdAt: Date): Promise<string> {
    const id = randomUUID();
    const key = `${id.slice(0, 2)}/${id}.jpg`;
    await storage.put(key, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    await dataSource.query(
      `INSERT INTO upload (id, content_type, size_bytes, sha256, storage_key, uploaded_by, created_at) VALUES ($1, 'image/jpeg', 7, 'x', $2, 'inspector-1', $3)`,
      [id, key, createdAt],
    );
    uploads[label] = { id, key };
    return id;
  }

  beforeAll(async () => {
    // The job's log lines (counts and cutoffs) are kept off the console.
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    await ensureDatabase(testInfrastructure().databaseUrl, name);
    const url = withDatabase(testInfrastructure().databaseUrl, name);
    dataSource = await new DataSource(
      serviceDataSourceOptions({ url, entities: householdsService.entities, migrations: householdsService.migrations }),
    ).initialize();
    await runMigrations(dataSource);
    await dataSource.query(`TRUNCATE upload, household, personal_data_access, idempotency_record CASCADE`);
    await storage.prepare();
    queues = new QueueRegistry({
      service: ServiceName.Households,
      redisUrl: testInfrastructure().redisUrl,
      queuePrefix: `test-retention-${randomUUID()}`,
      background: false,
    });
    retention = new RetentionJob(
      dataSource,
      settings,
      { service: ServiceName.Households, steps: householdsRetention.steps(storage) },
      queues,
    );

    const [household] = await dataSource.query(
      `INSERT INTO household (compound_id, building, unit, room, tenure) VALUES (gen_random_uuid(), 5, 2, 301, 'OWNER') RETURNING id`,
    );
    const [resident] = await dataSource.query(
      `INSERT INTO resident (household_id, name, occupation, birth_date) VALUES ($1, '王建国', 'RETIRED', date '1950-03-01') RETURNING id`,
      [household.id],
    );
    await upload('orphanPastPeriod', PAST_PERIOD);
    await upload('orphanWithinPeriod', WITHIN_PERIOD);
    await upload('beingCited', PAST_PERIOD);
    const inspected = await upload('inspection', PAST_PERIOD);
    const checkedIn = await upload('checkIn', PAST_PERIOD);
    const letter = await upload('letter', PAST_PERIOD);
    // Stored before citations were recorded: enforcement may cite it without households knowing, so it is kept.
    const legacy = await upload('legacy', PAST_PERIOD);
    await dataSource.query(`UPDATE upload SET metadata_stripped = false WHERE id = $1`, [legacy]);
    await dataSource.query(
      `INSERT INTO inspection (household_id, kind, result, inspector_id, inspected_at, photo_ids) VALUES ($1, 'BIN_SIDE', 'PASS', 'inspector-1', $2, ARRAY[gen_random_uuid(), $3::uuid])`,
      [household.id, PAST_PERIOD, inspected],
    );
    await dataSource.query(
      `INSERT INTO photo_check_in (party_member_id, household_id, photo_id, taken_at) VALUES (gen_random_uuid(), $1, $2, $3)`,
      [household.id, checkedIn, PAST_PERIOD],
    );
    await dataSource.query(
      `INSERT INTO commitment_letter (household_id, signer_resident_id, signed_on, photo_id, recorded_by) VALUES ($1, $2, '2026-10-01', $3, 'secretary')`,
      [household.id, resident.id, letter],
    );
    // Each record cites its photo as the services do, in upload_citation (retention reads only that).
    await dataSource.query(
      `INSERT INTO upload_citation (upload_id, record_kind, record_id, household_id, cited_by)
       SELECT $1::uuid, 'INSPECTION', i.id, $4::uuid, 'inspector-1' FROM inspection i WHERE $1::uuid = ANY(i.photo_ids)
       UNION ALL SELECT $2::uuid, 'CHECK_IN', c.id, $4::uuid, 'member-1' FROM photo_check_in c WHERE c.photo_id = $2::uuid
       UNION ALL SELECT $3::uuid, 'COMMITMENT_LETTER', l.id, $4::uuid, 'secretary' FROM commitment_letter l WHERE l.photo_id = $3::uuid`,
      [inspected, checkedIn, letter, household.id],
    );
    // More orphans than one batch (rows only: deleting a file that is not there is no error).
    await dataSource.query(
      `INSERT INTO upload (content_type, size_bytes, sha256, storage_key, uploaded_by, created_at)
       SELECT 'image/png', 7, 'x', 'ff/missing-' || i || '.png', 'resident-1', $1 FROM generate_series(1, $2::int) AS i`,
      [PAST_PERIOD, ORPHANED_UPLOAD_BATCH_SIZE],
    );
    await arrangeSharedStores(dataSource, FIRED_AT, settings);

    citing = dataSource.createQueryRunner();
    await citing.startTransaction();
    await citing.query(`SELECT id FROM upload WHERE id = $1 FOR KEY SHARE`, [uploads.beingCited.id]);
    await runRetention();
  });

  // One hook per resource: each is released even when another fails to.
  afterAll(() => {
    jest.restoreAllMocks();
  });
  afterAll(() => citing.release());
  afterAll(() => queues.onApplicationShutdown());
  afterAll(() => dataSource.destroy());
  afterAll(() => {
    rmSync(join(root, '..'), { recursive: true, force: true });
  });

  it('deletes an upload no record cites once older than 30 days: its row and its file', async () => {
    const ids = await uploadIds();
    expect(ids).not.toContain(uploads.orphanPastPeriod.id);
    expect(existsSync(join(root, uploads.orphanPastPeriod.key))).toBe(false);
    const [{ left }] = await dataSource.query(`SELECT count(*)::int AS left FROM upload WHERE storage_key LIKE 'ff/missing-%'`);
    expect(left).toBe(0);
  });

  it('keeps uploads cited by an inspection, a check-in or a commitment letter, younger orphans and photos stored before citations were recorded, with their files', async () => {
    const ids = await uploadIds();
    for (const label of ['orphanWithinPeriod', 'inspection', 'checkIn', 'letter', 'legacy']) {
      expect(ids).toContain(uploads[label].id);
      expect(existsSync(join(root, uploads[label].key))).toBe(true);
    }
  });

  it('skips a photo a transaction is citing at that moment, and deletes it at a later run if the citation never came', async () => {
    expect(await uploadIds()).toContain(uploads.beingCited.id);
    await citing.rollbackTransaction();
    await runRetention();
    expect(await uploadIds()).not.toContain(uploads.beingCited.id);
    expect(existsSync(join(root, uploads.beingCited.key))).toBe(false);
  });

  it('deletes audit rows of unmasked reads and idempotency records past their periods, and keeps younger ones', async () => {
    expect(await sharedStoresLeft(dataSource)).toEqual({ audit: ['within-period'], idempotency: ['within-period'] });
  });

  it('changes nothing when run again', async () => {
    const before = await uploadIds();
    await runRetention();
    expect((await uploadIds()).sort()).toEqual(before.sort());
  });
});
