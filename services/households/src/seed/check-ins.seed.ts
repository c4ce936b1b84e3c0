import type { DataSource, EntityManager } from 'typeorm';
import { addDays } from '#libs/calendar';
import { execute, queryOne } from '#libs/database';
import { weekJustEnded } from '../check-ins/check-in-rules.js';
import { flagMembersUnderQuota } from '../check-ins/quota-sql.js';

/**
 * Party members' photo check-ins (党员晒图打卡) for the last complete weeks, generated in SQL from hashes of the member
 * ids: every party-member resident gets 0–5 check-ins a week, most reviewed by both branches, a few rejected; then
 * each week is flagged as the weekly job would have. All of it is invented.
 */

/** A deterministic number in [0, 1e6) from text, in SQL. */
const hash = (text: string) => `(abs(hashtext(${text})) % 1000000)`;

/** At most this many check-ins per member and week, so each (week, slot) has its own demo photo. */
const MAX_PER_WEEK = 5;
const WEEKS = 4;

/** The demo photo of a week's slot: fixed ids, so reseeding references the same uploads. */
const photoId = (slot: string) => `md5('demo-upload:check-in:' || ${slot})::uuid`;

/** The last `weeks` complete ISO weeks (Mondays, oldest first) before `now`. */
export function demoCheckInWeeks(now = new Date(), weeks = WEEKS): string[] {
  const last = weekJustEnded(now);
  return Array.from({ length: weeks }, (_, index) => addDays(last, -7 * (weeks - 1 - index)));
}

export function seedPhotoCheckIns(dataSource: DataSource, now = new Date()): Promise<{ checkIns: number; flags: number }> {
  return dataSource.transaction(async (manager) => {
    // The planner cannot estimate the generated rows and would spend seconds compiling the statement with JIT.
    await execute(manager, `SET LOCAL jit = off`);
    return insertCheckIns(manager, demoCheckInWeeks(now));
  });
}

async function insertCheckIns(dataSource: EntityManager, weeks: string[]): Promise<{ checkIns: number; flags: number }> {
  // Photos need no files: a member posts each photo once, and no member posts more than MAX_PER_WEEK a week, so one
  // photo per (week, slot) is enough for everyone.
  await execute(
    dataSource,
    `INSERT INTO upload (id, content_type, size_bytes, sha256, storage_key, uploaded_by)
     SELECT ${photoId('n')}, 'image/jpeg', 150000 + n * 3217, encode(sha256(convert_to('demo-check-in-photo-' || n, 'UTF8')), 'hex'),
            'demo/check-ins/kitchen-waste-' || lpad(n::text, 2, '0') || '.jpg', 'demo-seed'
       FROM generate_series(1, $1::int) AS n
     ON CONFLICT (id) DO NOTHING`,
    [weeks.length * MAX_PER_WEEK],
  );

  const slot = `r.party_member_id::text || w.week::text || n`;
  const { count } = await queryOne<{ count: number }>(
    dataSource,
    `WITH inserted AS (
     INSERT INTO photo_check_in (party_member_id, household_id, photo_id, taken_at, note, submitted_at,
                                 work_verdict, work_note, work_reviewed_by, work_reviewed_at,
                                 community_verdict, community_note, community_reviewed_by, community_reviewed_at)
     SELECT member, household_id, photo, taken_at, note, submitted_at,
            CASE WHEN work_reviewed THEN work_verdict END,
            CASE WHEN work_reviewed AND work_verdict = 'REJECTED' THEN rejection END,
            CASE WHEN work_reviewed THEN 'demo-branch-secretary-' || (1 + review_roll % 12) END,
            CASE WHEN work_reviewed THEN least(submitted_at + (1 + review_roll % 47) * interval '1 hour', now()) END,
            CASE WHEN community_reviewed THEN community_verdict END,
            CASE WHEN community_reviewed AND community_verdict = 'REJECTED' THEN rejection END,
            CASE WHEN community_reviewed THEN 'demo-community-secretary-' || (1 + review_roll % 40) END,
            CASE WHEN community_reviewed THEN least(submitted_at + (2 + review_roll % 29) * interval '1 hour', now()) END
       FROM (
         SELECT r.party_member_id AS member, r.household_id, ${photoId(`(w.ord - 1) * ${MAX_PER_WEEK} + n`)} AS photo, t.taken_at,
                CASE WHEN ${hash(`${slot} || 'note'`)} % 4 = 0 THEN (ARRAY['今天厨余垃圾已破袋分类投放', '家里厨余垃圾沥干后投放', '带孩子一起分类'])[1 + ${hash(`${slot} || 'which'`)} % 3] END AS note,
                least(t.taken_at + (5 + ${hash(`${slot} || 'late'`)} % 120) * interval '1 minute', now()) AS submitted_at,
                ${hash(`${slot} || 'review'`)} % 100 AS roll,
                ${hash(`${slot} || 'reviewer'`)} AS review_roll,
                CASE WHEN ${hash(`${slot} || 'work'`)} % 100 < 6 THEN 'REJECTED' ELSE 'APPROVED' END AS work_verdict,
                CASE WHEN ${hash(`${slot} || 'community'`)} % 100 < 6 THEN 'REJECTED' ELSE 'APPROVED' END AS community_verdict,
                (ARRAY['照片模糊，看不清分类情况', '照片与厨余垃圾分类无关', '厨余垃圾中混有塑料袋，请分类后重新拍摄'])[1 + ${hash(`${slot} || 'why'`)} % 3] AS rejection
           FROM resident r
           CROSS JOIN unnest($1::date[]) WITH ORDINALITY AS w(week, ord)
           CROSS JOIN LATERAL generate_series(1, ${hash(`r.party_member_id::text || w.week::text || 'count'`)} % ($2::int + 1)) AS n
           CROSS JOIN LATERAL (
             SELECT ((w.week + ${hash(`${slot} || 'day'`)} % 7) + (7 + ${hash(`${slot} || 'hour'`)} % 14) * interval '1 hour'
                     + (${hash(`${slot} || 'minute'`)} % 60) * interval '1 minute') AT TIME ZONE 'Asia/Shanghai' AS taken_at
           ) AS t
          WHERE r.party_member_id IS NOT NULL
       ) AS c
       -- Three in four are reviewed by both branches, the rest by one of them or not yet.
       CROSS JOIN LATERAL (SELECT roll < 88 AS community_reviewed, roll < 75 OR roll BETWEEN 88 AND 93 AS work_reviewed) AS reviewed
     RETURNING 1)
     SELECT count(*)::int AS count FROM inserted`,
    [weeks, MAX_PER_WEEK],
  );
  // The demo photos are evidence (the first check-in using each cites it), so nothing treats them as orphans.
  await execute(
    dataSource,
    `INSERT INTO upload_citation (upload_id, record_kind, record_id, household_id, cited_by, cited_at)
     SELECT DISTINCT ON (photo_id) photo_id, 'CHECK_IN', id, household_id, 'member-' || party_member_id::text, submitted_at
       FROM photo_check_in ORDER BY photo_id, submitted_at, id
     ON CONFLICT (upload_id) DO NOTHING`,
  );

  let flags = 0;
  for (const week of weeks) flags += await flagMembersUnderQuota(dataSource, week, 'demo-seed');
  return { checkIns: count, flags };
}
