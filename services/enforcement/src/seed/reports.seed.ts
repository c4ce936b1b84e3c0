import type { DataSource } from 'typeorm';
import { execute, queryRows } from '#libs/database';
import type { DistrictPlan } from '#libs/demo-data';

/** How many demo reports: a month of a busy district's 随手拍, hotline and observer reports. */
export const DEMO_REPORTS = 400;

const SURNAMES = ['王', '李', '张', '陈', '刘', '杨', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明'];
const DESCRIPTIONS: Record<string, string> = {
  MIXED_WASTE: '其他垃圾桶里有大量可回收物，分类明显没有做',
  BAG_DUMPED: '楼道口有几袋垃圾乱丢，已经放了一整天',
  KITCHEN_WASTE_CONTAMINATED: '厨余垃圾桶里混着塑料袋和外卖餐盒',
  HAZARDOUS_MISHANDLED: '有人把废电池和过期药品丢进了其他垃圾桶',
  BULKY_WASTE_DUMPED: '旧沙发和装修垃圾堆在投放点旁边',
  BIN_OVERFLOW: '投放点的桶都满了，垃圾溢出到地上',
  BIN_DAMAGED: '可回收物桶盖子坏了，标识也看不清',
  COLLECTION_MISSED: '今天早上收运车没有来，桶一直没清',
  MIXED_COLLECTION: '看到收运车把厨余和其他垃圾倒进同一个车厢',
  POINT_UNTIDY: '投放点有异味，地面有污水',
  OTHER: '投放点开放时间和公告不一致',
};

/**
 * A month of citizen reports over the demo compounds, in one set-based statement per table: channels, categories,
 * statuses and times spread deterministically by the row number (so every seed of the same plan looks alike);
 * open reports that repeat an earlier one of the same compound and category marked its duplicates; a history row
 * per step.
 * Times are relative to the seeding moment, so "the last month" and overdue reports are always current.
 */
export async function seedReports(dataSource: DataSource, plan: DistrictPlan): Promise<string> {
  const compounds = plan.compounds.map((c) => ({ id: c.id, path: c.path }));
  const bureaus = plan.institutions.filter((i) => i.kind === 'DEPARTMENT').map((i) => i.id);
  const names = SURNAMES.flatMap((s) => GIVEN.map((g) => s + g));
  const codes = Object.keys(DESCRIPTIONS);
  await execute(
    dataSource,
    `WITH input AS (
       SELECT $1::jsonb AS compounds, $2::uuid[] AS bureaus, $3::text[] AS names, $4::text[] AS codes, $5::text[] AS descriptions),
     spread AS (
       -- deterministic pseudo-random draws per row (hashtext is stable), one per property so they do not correlate;
       -- one row in twenty repeats the compound and category of the row before it (a second citizen, later)
       SELECT i, CASE WHEN i > 1 AND (hashtext(i || ':repeat') & 2147483647) % 20 = 0 THEN i - 1 ELSE i END AS place,
              (hashtext(i || ':channel') & 2147483647) % 10 AS channel_draw,
              (hashtext(i || ':stage') & 2147483647) % 20 AS stage_draw,
              (hashtext(i || ':minutes') & 2147483647) AS minutes_draw
         FROM generate_series(1, $6::int) AS i),
     gen AS (
       SELECT s.i,
              input.compounds -> ((hashtext(s.place || ':compound') & 2147483647) % jsonb_array_length(input.compounds)) AS compound,
              input.codes[1 + (hashtext(s.place || ':code') & 2147483647) % cardinality(input.codes)] AS code,
              input.descriptions[1 + (hashtext(s.place || ':code') & 2147483647) % cardinality(input.codes)] AS description,
              (ARRAY['APP','APP','APP','APP','APP','HOTLINE','HOTLINE','OBSERVER','OBSERVER','OPEN311'])[1 + s.channel_draw] AS channel,
              -- how far the report got: 0 SUBMITTED … 4 RESOLVED, 5 REJECTED
              (ARRAY[0,0,0,1,1,2,2,2,3,3,4,4,4,4,4,4,4,4,5,4])[1 + s.stage_draw] AS stage,
              -- open reports are mostly of the last few days, closed ones spread over the month; repeats come later
              now() - make_interval(mins => CASE WHEN (ARRAY[0,0,0,1,1,2,2,2,3,3,4,4,4,4,4,4,4,4,5,4])[1 + s.stage_draw] < 4
                                                 THEN s.minutes_draw % (4 * 24 * 60) ELSE s.minutes_draw % (30 * 24 * 60) END) AS submitted_at,
              input.names[1 + (hashtext(s.i || ':name') & 2147483647) % cardinality(input.names)] AS name,
              '13' || lpad(((hashtext(s.i || ':phone') & 2147483647) % 1000000000)::text, 9, '0') AS phone,
              input.bureaus[1 + s.i % greatest(cardinality(input.bureaus), 1)] AS bureau
         FROM spread s, input),
     placed AS (
       SELECT g.*, c.response_hours,
              ARRAY(SELECT jsonb_array_elements_text(g.compound -> 'path'))::uuid[] AS path,
              -- closed reports were closed within their response time, and never in the future
              least(now(), g.submitted_at + make_interval(hours => 1 + (g.i % c.response_hours))) AS finished_at
         FROM gen g JOIN report_category c ON c.code = g.code),
     inserted AS (
       INSERT INTO citizen_report (channel, category_code, description, org_unit_id, unit_path, lat, long, reporter_user_id,
                                   reporter_name, reporter_phone, submitted_by, status, status_note, public_note, assignee_kind, assignee_id,
                                   submitted_at, due_at, closed_at, updated_at, publish_description)
       SELECT p.channel, p.code, p.description, (p.compound ->> 'id')::uuid, p.path,
              CASE WHEN p.i % 4 = 0 THEN 29.80 + (p.i % 97) / 1000.0 END, CASE WHEN p.i % 4 = 0 THEN 121.52 + (p.i % 89) / 1000.0 END,
              CASE WHEN p.channel IN ('APP', 'OBSERVER') THEN 'demo-reporter-' || (p.i % 150) END,
              CASE WHEN p.channel IN ('HOTLINE', 'OBSERVER') OR (p.channel = 'APP' AND p.i % 3 = 0) THEN p.name END,
              CASE WHEN p.channel = 'HOTLINE' OR (p.channel = 'APP' AND p.i % 3 = 0) THEN p.phone END,
              CASE WHEN p.channel = 'HOTLINE' THEN 'demo-operator' WHEN p.channel = 'OPEN311' THEN 'open311' ELSE 'demo-reporter-' || (p.i % 150) END,
              (ARRAY['SUBMITTED','TRIAGED','ASSIGNED','IN_PROGRESS','RESOLVED','REJECTED'])[1 + p.stage],
              CASE p.stage WHEN 4 THEN '已现场处置，投放点恢复整洁' WHEN 5 THEN '经核实不属于垃圾分类问题，已转相关部门' WHEN 2 THEN '已派至执法部门' END,
              -- closing steps tell the public what was done; the assignment note stays internal
              CASE p.stage WHEN 4 THEN '已处置，投放点恢复整洁' WHEN 5 THEN '经核实不属于垃圾分类问题' END,
              CASE WHEN p.stage IN (2, 3, 4) AND p.bureau IS NOT NULL THEN 'BUREAU' END,
              CASE WHEN p.stage IN (2, 3, 4) THEN p.bureau END,
              p.submitted_at, p.submitted_at + make_interval(hours => p.response_hours),
              CASE WHEN p.stage >= 4 THEN p.finished_at END,
              CASE WHEN p.stage = 0 THEN p.submitted_at ELSE p.finished_at END,
              -- the app's and Open311's words are public unless the reporter opted out (one app report in seven did)
              p.channel = 'OPEN311' OR (p.channel = 'APP' AND p.i % 7 <> 0)
         FROM placed p
       RETURNING id, status, submitted_at, updated_at, submitted_by, status_note, public_note)
     INSERT INTO citizen_report_history (report_id, action, from_status, to_status, note, public_note, actor, at)
     SELECT r.id, step.action, step.from_status, step.to_status,
            CASE WHEN step.to_status = r.status THEN r.status_note END,
            CASE WHEN step.to_status = r.status THEN r.public_note END,
            CASE WHEN step.action = 'SUBMIT' THEN r.submitted_by ELSE 'demo-handler' END,
            r.submitted_at + (r.updated_at - r.submitted_at) * step.n / 4.0
       FROM inserted r
       JOIN LATERAL (
         SELECT * FROM (VALUES (0, 'SUBMIT', NULL, 'SUBMITTED'), (1, 'TRIAGE', 'SUBMITTED', 'TRIAGED'), (2, 'ASSIGN', 'TRIAGED', 'ASSIGNED'),
                               (3, 'START', 'ASSIGNED', 'IN_PROGRESS'), (4, 'RESOLVE', 'IN_PROGRESS', 'RESOLVED'),
                               (4, 'REJECT', 'SUBMITTED', 'REJECTED')) AS s(n, action, from_status, to_status)
          WHERE (r.status = 'REJECTED' AND s.action IN ('SUBMIT', 'REJECT'))
             OR (r.status <> 'REJECTED' AND s.action <> 'REJECT'
                 AND s.n <= array_position(ARRAY['SUBMITTED','TRIAGED','ASSIGNED','IN_PROGRESS','RESOLVED'], r.status) - 1)
       ) AS step ON true`,
    [JSON.stringify(compounds), bureaus, names, codes, codes.map((code) => DESCRIPTIONS[code]), DEMO_REPORTS],
  );
  // An open report that repeats an earlier one of the same compound and category becomes its duplicate.
  const duplicates = await queryRows<{ report_id: string }>(
    dataSource,
    `WITH picked AS (
       SELECT r.id, o.id AS original
         FROM citizen_report r
         JOIN LATERAL (SELECT o.id FROM citizen_report o
                        WHERE o.org_unit_id = r.org_unit_id AND o.category_code = r.category_code AND o.submitted_at < r.submitted_at
                        ORDER BY o.submitted_at LIMIT 1) o ON true
        WHERE r.status IN ('SUBMITTED', 'TRIAGED')),
     chosen AS (
       SELECT p.* FROM picked p
        WHERE NOT EXISTS (SELECT 1 FROM picked q WHERE q.id = p.original)),
     changed AS (
       UPDATE citizen_report r SET status = 'DUPLICATE', duplicate_of = c.original, closed_at = r.updated_at + interval '1 hour',
              updated_at = r.updated_at + interval '1 hour', status_note = '与此前举报重复', public_note = '与此前举报重复'
         FROM chosen c WHERE c.id = r.id AND r.updated_at + interval '1 hour' <= now()
       RETURNING r.id, r.updated_at)
     INSERT INTO citizen_report_history (report_id, action, from_status, to_status, note, public_note, actor, at)
     SELECT c.id, 'MARK_DUPLICATE', r.status_before, 'DUPLICATE', '与此前举报重复', '与此前举报重复', 'demo-handler', c.updated_at
       FROM changed c JOIN LATERAL (SELECT h.to_status AS status_before FROM citizen_report_history h WHERE h.report_id = c.id ORDER BY h.id DESC LIMIT 1) r ON true
     RETURNING report_id`,
  );
  return `${DEMO_REPORTS} citizen reports (${duplicates.length} duplicates)`;
}
