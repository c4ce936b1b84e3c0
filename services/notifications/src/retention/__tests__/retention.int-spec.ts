import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { ensureDatabase, runMigrations, serviceDataSourceOptions, withDatabase } from '#libs/database';
import {
  EventType,
  QueueRegistry,
  ServiceName,
  type EventEnvelope,
  type HouseholdGradesPublishedPayload,
  type MonthlyEvaluationCompletedPayload,
} from '#libs/messaging';
import { testInfrastructure, workerDatabasePrefix } from '#libs/testing';
import { PublicDisclosure } from '../../disclosure/disclosure.models.js';
import { DisclosureService } from '../../disclosure/disclosure.service.js';
import { HouseholdGradesPublishedHandler, MonthlyEvaluationCompletedHandler } from '../../grades/grade-events.handler.js';
import type { NoticeAddressees } from '../../notices/notice-addressees.js';
import { NoticeGenerator } from '../../notices/notice-generator.js';
import { notificationsService } from '../../notifications.service-definition.js';
import { RetentionJob, type RetentionJobData, RETENTION_BATCH_SIZE } from '#libs/retention';
import { notificationsRetention } from '../retention-plan.js';
import { parseRetentionSettings } from '../retention-settings.js';

/**
 * 03:30 on 1 December 2026 in Shanghai, so the job's month is 2026-12: with the default periods, grade copies of
 * 2026-06 and later stay (2026-05 goes), notices of 2024-12 and later stay whole (2024-11 is redacted), and webhook
 * attempts from 2026-09-01T19:30Z on stay.
 */
const FIRED_AT = '2026-11-30T19:30:00.000Z';
const DAY_MS = 86_400_000;

const DISTRICT = randomUUID();
const INSTITUTION = randomUUID();

/** Every name the arranged rows carry, to look for in the rows and in the logs afterwards. */
const GRADED_NAMES = ['王建国', '陈静'];
const OLD_NOTICE_NAME = '欧阳明月';
const RECENT_NOTICE_NAME = '李华';

function gradesEvent(
  month: string,
  households: { householdId: string; names: string[] }[],
): EventEnvelope<HouseholdGradesPublishedPayload> {
  return {
    id: randomUUID(),
    type: EventType.HouseholdGradesPublished,
    source: ServiceName.Households,
    occurredAt: new Date().toISOString(),
    payload: {
      month,
      districtId: DISTRICT,
      runId: randomUUID(),
      households: households.map(({ householdId, names }) => ({
        householdId,
        compoundId: randomUUID(),
        status: 'GRADED',
        grade: 'QUALIFIED',
        previousGrade: 'QUALIFIED',
        score: 98,
        ruleVersion: 1,
        issues: [],
        correction: false,
        residents: names.map(() => ({
          residentId: randomUUID(),
          occupation: 'EMPLOYED',
          institutionId: INSTITUTION,
          partyMemberId: null,
          minor: false,
          maskedName: null,
          disclosureBasis: 'NONE',
        })),
      })),
    },
  };
}

describe('retention of personal data in notifications', () => {
  const url = withDatabase(testInfrastructure().databaseUrl, `${workerDatabasePrefix()}retention`);
  let dataSource: DataSource;
  let grades: HouseholdGradesPublishedHandler;
  let retention: RetentionJob<ReturnType<typeof parseRetentionSettings>>;
  let queues: QueueRegistry;
  const logged: string[] = [];

  const runRetention = (firedAt = FIRED_AT) => retention.handle({ firedAt }, { id: 'retention-test' } as Job<RetentionJobData>);
  const gradedMonths = async (): Promise<Record<string, { households: number; residents: number }>> => {
    const rows: { month: string; households: number; residents: number }[] = await dataSource.query(
      `SELECT to_char(h.month, 'YYYY-MM') AS month, count(DISTINCT h.household_id)::int AS households, count(r.resident_id)::int AS residents
         FROM graded_household h LEFT JOIN graded_resident r USING (month, household_id) GROUP BY h.month`,
    );
    return Object.fromEntries(rows.map(({ month, ...counts }) => [month, counts]));
  };
  /** Everything the job may touch, as text: equal snapshots mean nothing changed. */
  const snapshot = async (): Promise<string> => {
    const [row] = await dataSource.query(`
      SELECT (SELECT string_agg(n::text, E'\\n' ORDER BY n.id) FROM notice n) AS notices,
             (SELECT string_agg(h::text, E'\\n' ORDER BY h.month, h.household_id) FROM graded_household h) AS households,
             (SELECT string_agg(r::text, E'\\n' ORDER BY r.month, r.resident_id) FROM graded_resident r) AS residents,
             (SELECT count(*) FROM webhook_attempt) AS attempts,
             (SELECT count(*) FROM personal_data_access) AS audit,
             (SELECT string_agg(p::text, '') FROM grade_copy_purge p) AS purge`);
    return JSON.stringify(row);
  };

  let oldNoticeIds: string[] = [];
  let oldNoticeNames: string[] = [];
  let oldNoticesBefore: Record<string, unknown>[] = [];
  let recentNoticeBefore: Record<string, unknown>;
  let deliveryId: string;

  beforeAll(async () => {
    // The handlers' log lines are collected (and kept off the console) to check that none names anyone.
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => void logged.push(String(message)));

    await ensureDatabase(testInfrastructure().databaseUrl, `${workerDatabasePrefix()}retention`);
    dataSource = await new DataSource(
      serviceDataSourceOptions({ url, entities: [], migrations: notificationsService.migrations }),
    ).initialize();
    await runMigrations(dataSource);
    for (const table of [
      'graded_resident',
      'graded_household',
      'held_notice',
      'notice',
      'webhook_attempt',
      'webhook_delivery',
      'webhook_endpoint',
      'grade_copy_purge',
    ]) {
      await dataSource.query(`TRUNCATE ${table} CASCADE`);
    }
    grades = new HouseholdGradesPublishedHandler(dataSource, new NoticeGenerator(dataSource, {} as NoticeAddressees));
    queues = new QueueRegistry({
      service: ServiceName.Notifications,
      redisUrl: testInfrastructure().redisUrl,
      queuePrefix: `test-retention-${randomUUID()}`,
      background: false,
    });
    retention = new RetentionJob(
      dataSource,
      parseRetentionSettings({}),
      { service: ServiceName.Notifications, steps: notificationsRetention.steps() },
      queues,
    );

    // Audit rows of unmasked reads: one past the three years, one inside them.
    await dataSource.query(`TRUNCATE personal_data_access`);
    await dataSource.query(
      `INSERT INTO personal_data_access (accessed_at, user_id, roles, request_id, entity, entity_ids)
       VALUES ($1::timestamptz - interval '1095 days 1 second', 'old-reader', '{DISTRICT_ADMIN}', 'r1', 'Notice', ARRAY[gen_random_uuid()]),
              ($1::timestamptz - interval '1094 days', 'recent-reader', '{DISTRICT_ADMIN}', 'r2', 'Notice', ARRAY[gen_random_uuid()])`,
      [FIRED_AT],
    );

    // Grade copies: the month just past the period, and the oldest month inside it.
    await grades.handle(gradesEvent('2026-05', [{ householdId: randomUUID(), names: GRADED_NAMES }]));
    await grades.handle(gradesEvent('2026-06', [{ householdId: randomUUID(), names: GRADED_NAMES }]));
    // Held notices of both months (a minor's, without a guardian's consent): they go with their month's grade copies.
    await dataSource.query(
      `INSERT INTO held_notice (month, district_id, resident_id, kind, household_id, compound_id, institution_id, reason, masked_name)
       SELECT m::date, $1, gen_random_uuid(), 'REMINDER_NOTICE', gen_random_uuid(), gen_random_uuid(), $2, 'NO_GUARDIAN_CONSENT', '林*雨'
         FROM unnest(ARRAY['2026-05-01', '2026-06-01']) AS m`,
      [DISTRICT, INSTITUTION],
    );

    // Notices: more of 2024-11 than one batch (each with its own name in every text), one of 2024-12.
    const [{ id: templateId }] = await dataSource.query(`SELECT id FROM notice_template WHERE kind = 'PRAISE_LETTER' LIMIT 1`);
    const insertNotices = (month: string, names: string[]) =>
      dataSource.query(
        `INSERT INTO notice (kind, month, district_id, resident_id, household_id, compound_id, institution_id, resident_name, grade, score,
                             rule_version, template_id, subject, text_body, html_body, state, created_at, sent_at, delivered_at,
                             acknowledged_at, acknowledged_by)
         SELECT 'PRAISE_LETTER', $1::date, $2, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), $3, name, 'QUALIFIED', 98, 1, $4,
                '垃圾分类表扬信：' || name, '尊敬的单位：贵单位职工' || name || '家庭本月评为合格。' || name || '，谢谢。',
                '<p>贵单位职工<b>' || name || '</b>家庭本月评为合格。</p>', 'ACKNOWLEDGED', $1::date + 1, $1::date + 1, $1::date + 2,
                $1::date + 3, 'wsk_abcdefghij'
           FROM unnest($5::text[]) AS name`,
        [month, DISTRICT, INSTITUTION, templateId, names],
      );
    const generatedNames = Array.from({ length: RETENTION_BATCH_SIZE }, (_, i) => `张${i + 1}`);
    await insertNotices('2024-11-01', [OLD_NOTICE_NAME, ...generatedNames]);
    await insertNotices('2024-12-01', [RECENT_NOTICE_NAME]);
    const old: { id: string; resident_name: string }[] = await dataSource.query(
      `SELECT id, resident_name FROM notice WHERE month = '2024-11-01' ORDER BY id`,
    );
    oldNoticeIds = old.map((row) => row.id);
    oldNoticeNames = old.map((row) => row.resident_name);
    oldNoticesBefore = await dataSource.query(
      `SELECT id, kind, month, institution_id, state, grade, created_at, sent_at, delivered_at, acknowledged_at FROM notice WHERE month = '2024-11-01' ORDER BY id`,
    );
    [recentNoticeBefore] = await dataSource.query(`SELECT * FROM notice WHERE month = '2024-12-01'`);

    // Webhook attempts: more than two batches older than 90 days, a few younger, all of one delivery.
    const [endpoint] = await dataSource.query(
      `INSERT INTO webhook_endpoint (institution_id, url, created_by) VALUES ($1, 'https://school.example/hooks', 'test') RETURNING id`,
      [INSTITUTION],
    );
    [{ id: deliveryId }] = await dataSource.query(
      `INSERT INTO webhook_delivery (message_id, endpoint_id, institution_id, state, attempts) VALUES ($1, $2, $3, 'SUCCEEDED', 3) RETURNING id`,
      [`msg_${randomUUID().replaceAll('-', '')}`, endpoint.id, INSTITUTION],
    );
    const cutoff = new Date(Date.parse(FIRED_AT) - 90 * DAY_MS);
    await dataSource.query(
      `INSERT INTO webhook_attempt (delivery_id, attempted_at, http_status, duration_ms, replay)
       SELECT $1::uuid, $2::timestamptz - make_interval(secs => i), 500, 20, false FROM generate_series(1, $3::int) AS i
       UNION ALL
       SELECT $1::uuid, $2::timestamptz + make_interval(secs => i), 200, 20, false FROM generate_series(0, 2) AS i`,
      [deliveryId, cutoff, 2 * RETENTION_BATCH_SIZE + 1],
    );

    await runRetention();
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await queues.onApplicationShutdown();
    await dataSource.destroy();
  });

  it('deletes the grade copies of months past the period and keeps the rest', async () => {
    expect(await gradedMonths()).toEqual({ '2026-06': { households: 1, residents: 2 } });
    expect(await dataSource.query(`SELECT to_char(month, 'YYYY-MM') AS month FROM held_notice`)).toEqual([{ month: '2026-06' }]);
  });

  it('redacts old notices: the row stays, the full name is nowhere in it', async () => {
    const [{ named }] = await dataSource.query(
      `SELECT count(*)::int AS named FROM notice n JOIN unnest($1::uuid[], $2::text[]) AS o(id, name) ON o.id = n.id
        WHERE strpos(concat_ws('|', n.resident_name, n.subject, n.text_body, n.html_body), o.name) > 0`,
      [oldNoticeIds, oldNoticeNames],
    );
    expect(named).toBe(0);

    const [notice] = await dataSource.query(`SELECT resident_name, subject, text_body, html_body, redacted_at FROM notice WHERE id = $1`, [
      oldNoticeIds[oldNoticeNames.indexOf(OLD_NOTICE_NAME)],
    ]);
    expect(notice).toEqual({
      resident_name: '欧**月',
      subject: '垃圾分类表扬信：欧**月',
      text_body: '尊敬的单位：贵单位职工欧**月家庭本月评为合格。欧**月，谢谢。',
      html_body: '<p>贵单位职工<b>欧**月</b>家庭本月评为合格。</p>',
      redacted_at: new Date(FIRED_AT),
    });

    // What statistics and institutions' records rest on is as it was.
    const after = await dataSource.query(
      `SELECT id, kind, month, institution_id, state, grade, created_at, sent_at, delivered_at, acknowledged_at FROM notice WHERE month = '2024-11-01' ORDER BY id`,
    );
    expect(after).toEqual(oldNoticesBefore);
  });

  it('leaves notices inside the period untouched', async () => {
    const [recent] = await dataSource.query(`SELECT * FROM notice WHERE month = '2024-12-01'`);
    expect(recent).toEqual(recentNoticeBefore);
    expect(recent).toMatchObject({ resident_name: RECENT_NOTICE_NAME, redacted_at: null });
  });

  it('deletes webhook attempts older than the period and keeps the delivery', async () => {
    const attempts: { attempted_at: Date }[] = await dataSource.query(`SELECT attempted_at FROM webhook_attempt ORDER BY attempted_at`);
    expect(attempts).toHaveLength(3);
    expect(attempts[0].attempted_at.getTime()).toBeGreaterThanOrEqual(Date.parse(FIRED_AT) - 90 * DAY_MS);
    const [delivery] = await dataSource.query(`SELECT state, attempts FROM webhook_delivery WHERE id = $1`, [deliveryId]);
    expect(delivery).toEqual({ state: 'SUCCEEDED', attempts: 3 });
  });

  it('deletes audit rows of unmasked reads older than three years and keeps younger ones', async () => {
    const readers = await dataSource.query(`SELECT user_id FROM personal_data_access ORDER BY accessed_at`);
    expect(readers).toEqual([{ user_id: 'recent-reader' }]);
  });

  it('changes nothing when run again, nor when a run from an earlier day is delivered late', async () => {
    const before = await snapshot();
    await runRetention();
    await runRetention(new Date(Date.parse(FIRED_AT) - 40 * DAY_MS).toISOString());
    expect(await snapshot()).toBe(before);
  });

  it('ignores a grade event for a month whose copies were deleted, and still stores one for a kept month', async () => {
    await grades.handle(gradesEvent('2026-05', [{ householdId: randomUUID(), names: GRADED_NAMES }]));
    await grades.handle(gradesEvent('2026-06', [{ householdId: randomUUID(), names: GRADED_NAMES }]));
    expect(await gradedMonths()).toEqual({ '2026-06': { households: 2, residents: 4 } });
    expect(logged).toContainEqual(expect.stringMatching(/grades of 2026-05 ignored/));
  });

  it('does not wait for the grades of a deleted month when its completion arrives late', async () => {
    const completed = new MonthlyEvaluationCompletedHandler(dataSource, new NoticeGenerator(dataSource, {} as NoticeAddressees));
    const districtId = randomUUID();
    for (const month of ['2026-05', '2026-06']) {
      await completed.handle({
        id: randomUUID(),
        type: EventType.MonthlyEvaluationCompleted,
        source: ServiceName.Households,
        occurredAt: FIRED_AT,
        payload: { districtId, month, households: 1, graded: 1 },
      } as EventEnvelope<MonthlyEvaluationCompletedPayload>);
    }
    const waiting = await dataSource.query(`SELECT to_char(month, 'YYYY-MM') AS month FROM evaluated_month WHERE district_id = $1`, [
      districtId,
    ]);
    expect(waiting).toEqual([{ month: '2026-06' }]);
  });

  it('keeps an approved disclosure of a deleted month as it was, with no pending difference made up from missing grades', async () => {
    const householdId = randomUUID();
    const [disclosure] = await dataSource.query(
      `INSERT INTO public_disclosure (district_id, month, state, rule_version, prepared_by, approved_by, approved_at)
       VALUES ($1, '2026-05-01', 'APPROVED', 1, 'preparer', 'approver', now()) RETURNING id`,
      [DISTRICT],
    );
    await dataSource.query(
      `INSERT INTO public_disclosure_entry (disclosure_id, resident_id, household_id, compound_id, masked_name, place, kind, grade)
       VALUES ($1, gen_random_uuid(), $2, gen_random_uuid(), '赵*', '幸福社区 阳光小区', 'PRAISE', 'QUALIFIED')`,
      [disclosure.id, householdId],
    );
    // A correction noted after approval, before the month's grade copies went.
    await dataSource.query(`INSERT INTO public_disclosure_correction (disclosure_id, household_id) VALUES ($1, $2)`, [
      disclosure.id,
      householdId,
    ]);

    const disclosures = new DisclosureService(dataSource, undefined as never);
    const approved = Object.assign(new PublicDisclosure(), { id: disclosure.id, districtId: DISTRICT, month: '2026-05' });
    expect(await disclosures.pendingDifference({ roles: [] } as unknown as Caller, approved)).toBeNull();
    const entries = await dataSource.query(`SELECT masked_name, kind FROM public_disclosure_entry WHERE disclosure_id = $1`, [
      disclosure.id,
    ]);
    expect(entries).toEqual([{ masked_name: '赵*', kind: 'PRAISE' }]);
  });

  it('names no one in its log lines', () => {
    const names = [...GRADED_NAMES, OLD_NOTICE_NAME, RECENT_NOTICE_NAME];
    expect(logged.filter((line) => names.some((name) => line.includes(name)))).toEqual([]);
    expect(logged).toContainEqual(
      expect.stringMatching(/2 residents, 1 held notices deleted; notices before 2024-12-01: 5001 redacted; .*: 10001 deleted/),
    );
  });
});
