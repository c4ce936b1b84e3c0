import type { DataSource, EntityManager } from 'typeorm';
import { execute, queryFirst, queryOne, queryRows } from '#libs/database';

const CAMPAIGNS = `ARRAY['GREEN_PIONEERS', 'TRUSTWORTHY_HOMEMAKERS', 'YOUTH_GREEN_COLLARS', 'GOLDEN_YOUNGSTERS']`;
const CAMPAIGN_ZH = `ARRAY['绿色先锋', '信义主妇', '青春绿领', '金色少年']`;
const KINDS = `ARRAY['BIN_SIDE', 'DOOR_VISIT', 'BAG_CHECK', 'PATROL', 'QUIZ', 'CONTEST']`;
const KIND_ZH = `ARRAY['桶边督导', '入户宣传', '破袋检查', '巡查垃圾包', '垃圾分类知识竞答', '垃圾分类绘画比赛']`;
const PLACES = `ARRAY['1号楼垃圾分类投放点', '小区南门', '3号楼楼道', '小区北侧投放点', '社区活动室', '小区中心广场']`;
const SURNAMES = `ARRAY['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗']`;
const GIVEN = `ARRAY['丽华', '建国', '秀英', '志强', '海燕', '晓东', '美玲', '国平', '雅琴', '子涵', '浩然', '欣怡', '伟', '芳', '静', '磊']`;

/** Shanghai-local midnight of the first day of the month before the current one, as a timestamp without time zone. */
const PREVIOUS_MONTH = `(date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') - interval '1 month')`;
const TODAY = `date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai')`;

/**
 * Demo volunteering, set-based, on top of the party structure: a team per compound branch that exists (none without
 * branches), six volunteers per team plus up to three party members of the compound's community (linked by
 * party_member_id), eight completed activities per team in the previous month across the four campaigns and six
 * kinds (sign-ups, check-ins and approved hours), and two upcoming published ones per team with a few sign-ups.
 */
export async function seedVolunteers(dataSource: DataSource): Promise<string> {
  return dataSource.transaction(async (manager) => {
    const teams = await queryRows<{ id: string }>(
      manager,
      `INSERT INTO volunteer_team (compound_branch_id, org_unit_id, name, created_by)
       SELECT o.id, o.org_unit_id, left(u.name, 44) || '志愿服务队', 'seed'
         FROM party_org o JOIN org_unit u ON u.id = o.org_unit_id
        WHERE o.kind = 'COMPOUND_BRANCH'
       RETURNING id`,
    );
    if (teams.length === 0) return '0 volunteer teams (no compound branches)';

    await execute(
      manager,
      `WITH team AS (SELECT id, row_number() OVER (ORDER BY id) AS tn FROM volunteer_team)
       INSERT INTO volunteer (user_id, name, phone, team_id, registered_at)
       SELECT 'volunteer-' || team.tn || '-' || n,
              (${SURNAMES})[1 + abs(hashtext(team.id::text || n)) % 20] || (${GIVEN})[1 + abs(hashtext(n || team.id::text)) % 16],
              '13' || lpad(((team.tn * 10 + n) % 1000000000)::text, 9, '0'), team.id, now() - interval '60 days'
         FROM team CROSS JOIN generate_series(1, 6) AS n`,
    );
    // Party members living in a team's community (or registered with its branch) volunteer too, up to three a team.
    await execute(
      manager,
      `WITH pair AS (
         SELECT m.id AS member_id, t.id AS team_id
           FROM volunteer_team t JOIN org_unit u ON u.id = t.org_unit_id JOIN party_member m ON m.community_id = u.parent_id
         UNION
         SELECT r.party_member_id, t.id
           FROM volunteer_team t JOIN branch_registration r ON r.branch_id = t.compound_branch_id AND r.ended_at IS NULL),
       candidate AS (
         SELECT DISTINCT ON (m.id) m.id AS member_id, m.name, m.phone, m.user_id, pair.team_id
           FROM pair JOIN party_member m ON m.id = pair.member_id
          ORDER BY m.id, md5(m.id::text || pair.team_id::text)),
       ranked AS (SELECT c.*, row_number() OVER (PARTITION BY c.team_id ORDER BY c.member_id) AS rank FROM candidate c)
       INSERT INTO volunteer (user_id, name, phone, party_member_id, team_id, registered_at)
       SELECT coalesce(user_id, 'member:' || member_id), name, phone, member_id, team_id, now() - interval '60 days'
         FROM ranked WHERE rank <= 3
       ON CONFLICT DO NOTHING`,
    );

    // Last month: eight activities a team, completed, with sign-ups, check-ins and approved hours.
    const past = await queryOne<{ activities: number; signUps: number; hours: number }>(
      manager,
      `WITH team AS (
         SELECT t.id, t.org_unit_id, u.name AS compound, row_number() OVER (ORDER BY t.id) AS tn
           FROM volunteer_team t JOIN org_unit u ON u.id = t.org_unit_id),
       activity AS (
         INSERT INTO volunteer_activity (campaign, kind, title, description, starts_at, ends_at, org_unit_id, place, capacity, team_id,
                                         status, created_by, created_at, published_at, closed_at)
         SELECT (${CAMPAIGNS})[1 + k % 4], (${KINDS})[1 + k % 6],
                (${CAMPAIGN_ZH})[1 + k % 4] || '·' || (${KIND_ZH})[1 + k % 6],
                team.compound || '志愿服务队组织的' || (${KIND_ZH})[1 + k % 6] || '活动',
                ((${PREVIOUS_MONTH} + make_interval(days => k * 3 + (team.tn % 3)::int, hours => 7 + (k % 3) * 5)) AT TIME ZONE 'Asia/Shanghai'),
                ((${PREVIOUS_MONTH} + make_interval(days => k * 3 + (team.tn % 3)::int, hours => 9 + (k % 3) * 5)) AT TIME ZONE 'Asia/Shanghai'),
                team.org_unit_id, (${PLACES})[1 + (k + team.tn::int) % 6], 10, team.id, 'COMPLETED', 'seed',
                ((${PREVIOUS_MONTH}) AT TIME ZONE 'Asia/Shanghai') - interval '7 days',
                ((${PREVIOUS_MONTH}) AT TIME ZONE 'Asia/Shanghai') - interval '5 days',
                ((${PREVIOUS_MONTH} + make_interval(days => k * 3 + (team.tn % 3)::int, hours => 9 + (k % 3) * 5)) AT TIME ZONE 'Asia/Shanghai')
           FROM team CROSS JOIN generate_series(0, 7) AS k
         RETURNING id, team_id, starts_at, ends_at),
       sign_up AS (
         INSERT INTO volunteer_sign_up (activity_id, volunteer_id, signed_up_at, checked_in_at, hours, hours_approved_by, hours_approved_at)
         SELECT a.id, v.id, a.starts_at - interval '2 days', checked.at,
                CASE WHEN checked.at IS NOT NULL THEN 2 END,
                CASE WHEN checked.at IS NOT NULL THEN 'seed' END,
                CASE WHEN checked.at IS NOT NULL THEN a.ends_at + interval '1 day' END
           FROM activity a
           JOIN volunteer v ON v.team_id = a.team_id
           CROSS JOIN LATERAL (SELECT CASE WHEN abs(hashtext(a.id::text || v.id::text)) % 5 <> 0
                                           THEN a.starts_at + interval '5 minutes' END AS at) checked
          WHERE abs(hashtext(v.id::text || a.id::text)) % 3 <> 0
         RETURNING hours)
       SELECT (SELECT count(*)::int FROM activity) AS activities, count(*)::int AS "signUps",
              coalesce(sum(hours), 0)::float8 AS hours FROM sign_up`,
    );

    // Coming up: two published activities a team in the next days, a few places taken.
    const upcoming = await queryOne<{ activities: number; signUps: number }>(
      manager,
      `WITH team AS (
         SELECT t.id, t.org_unit_id, row_number() OVER (ORDER BY t.id) AS tn
           FROM volunteer_team t),
       activity AS (
         INSERT INTO volunteer_activity (campaign, kind, title, description, starts_at, ends_at, org_unit_id, place, capacity, team_id,
                                         status, created_by, published_at)
         SELECT (${CAMPAIGNS})[1 + (k + team.tn::int) % 4], (${KINDS})[1 + (k * 2 + team.tn::int) % 6],
                (${CAMPAIGN_ZH})[1 + (k + team.tn::int) % 4] || '·' || (${KIND_ZH})[1 + (k * 2 + team.tn::int) % 6], '欢迎报名参加',
                ((${TODAY} + make_interval(days => 2 + k * 3, hours => 18)) AT TIME ZONE 'Asia/Shanghai'),
                ((${TODAY} + make_interval(days => 2 + k * 3, hours => 20)) AT TIME ZONE 'Asia/Shanghai'),
                team.org_unit_id, (${PLACES})[1 + (k + team.tn::int) % 6], 8, team.id, 'PUBLISHED', 'seed', now()
           FROM team CROSS JOIN generate_series(0, 1) AS k
         RETURNING id, team_id),
       sign_up AS (
         INSERT INTO volunteer_sign_up (activity_id, volunteer_id)
         -- About half the team signs up, never more than the activity's 8 places.
         SELECT activity_id, volunteer_id FROM (
           SELECT a.id AS activity_id, v.id AS volunteer_id, row_number() OVER (PARTITION BY a.id ORDER BY v.id) AS n
             FROM activity a JOIN volunteer v ON v.team_id = a.team_id
            WHERE abs(hashtext(a.id::text || v.id::text)) % 2 = 0) AS chosen
          WHERE n <= 8
         RETURNING id)
       SELECT (SELECT count(*)::int FROM activity) AS activities, (SELECT count(*)::int FROM sign_up) AS "signUps"`,
    );
    const { volunteers } = await queryOne<{ volunteers: number }>(manager, `SELECT count(*)::int AS volunteers FROM volunteer`);
    const forms = await seedQuizAndContest(manager);
    return (
      `${teams.length} volunteer teams, ${volunteers} volunteers, ${past.activities} activities last month (${past.signUps} sign-ups, ` +
      `${past.hours} hours approved), ${upcoming.activities} upcoming (${upcoming.signUps} sign-ups); ${forms}`
    );
  });
}

const QUIZ_ID = `md5('demo-volunteer-quiz')::uuid`;
const CONTEST_ID = `md5('demo-volunteer-contest')::uuid`;
const QUESTIONS = [
  { text: '用过的餐巾纸属于哪一类垃圾？', options: ['可回收物', '其他垃圾', '厨余垃圾', '有害垃圾'], correctOption: 1 },
  { text: '过期药品应投放到哪个桶？', options: ['有害垃圾', '厨余垃圾', '其他垃圾'], correctOption: 0 },
  { text: '吃剩的西瓜皮属于？', options: ['其他垃圾', '可回收物', '厨余垃圾'], correctOption: 2 },
  { text: '旧报纸属于？', options: ['可回收物', '其他垃圾'], correctOption: 0 },
  { text: '废旧电池属于？', options: ['厨余垃圾', '可回收物', '其他垃圾', '有害垃圾'], correctOption: 3 },
];
const CHILDREN = `ARRAY['王小雨', '李子涵', '张浩然', '陈欣怡', '杨梓轩', '赵一诺', '周思远', '吴雨桐']`;
const WORKS = `ARRAY['垃圾分类我先行', '地球妈妈的微笑', '四色桶的故事', '变废为宝', '绿色家园', '小手拉大手', '分类从我做起', '美丽鄞州']`;

/**
 * One online quiz (婦女姐妹线上答分类, 信义主妇) of the district, open since ten days and for twenty more, answered by
 * twelve volunteers (choices from md5 of their user id, scored by the same count the service makes); and one finished
 * contest (中小学生垃圾分类优秀作品征集比赛, 金色少年) with eight entries of students at the district's schools, six of them
 * awarded (一等奖 ×1, 二等奖 ×2, 三等奖 ×3: every tier used up). Ids are md5 of stable text.
 */
async function seedQuizAndContest(manager: EntityManager): Promise<string> {
  const district = await queryFirst<{ id: string }>(manager, `SELECT id FROM org_unit WHERE parent_id IS NULL ORDER BY code LIMIT 1`);
  if (!district) return 'no quiz or contest (no district)';
  await execute(
    manager,
    `INSERT INTO volunteer_quiz (id, campaign, title, description, org_unit_id, opens_at, closes_at, created_by, created_at)
     VALUES (${QUIZ_ID}, 'TRUSTWORTHY_HOMEMAKERS', '婦女姐妹线上答分类', '信义主妇垃圾分类知识线上答题，每人一次', $1,
             now() - interval '10 days', now() + interval '20 days', 'seed', now() - interval '11 days')`,
    [district.id],
  );
  await execute(
    manager,
    `INSERT INTO volunteer_quiz_question (quiz_id, number, text, options, correct_option)
     SELECT ${QUIZ_ID}, q.number, q.text, ARRAY(SELECT jsonb_array_elements_text(q.options)), q."correctOption"
       FROM jsonb_to_recordset($1::jsonb) AS q(number int, text text, options jsonb, "correctOption" int)`,
    [JSON.stringify(QUESTIONS.map((question, index) => ({ ...question, number: index + 1 })))],
  );
  const quiz = await queryOne<{ answers: number; average: number }>(
    manager,
    `WITH answerer AS (
       SELECT v.id, v.user_id FROM volunteer v ORDER BY v.user_id LIMIT 12),
     answer AS (
       SELECT a.id AS volunteer_id,
              ARRAY(SELECT CASE WHEN get_byte(decode(md5(a.user_id || qq.number), 'hex'), 0) % 4 = 0
                                THEN (qq.correct_option + 1) % cardinality(qq.options) ELSE qq.correct_option END
                      FROM volunteer_quiz_question qq WHERE qq.quiz_id = ${QUIZ_ID} ORDER BY qq.number)::smallint[] AS choices,
              get_byte(decode(md5(a.user_id), 'hex'), 0) AS minutes
         FROM answerer a),
     inserted AS (
       INSERT INTO volunteer_quiz_answer (quiz_id, volunteer_id, choices, score, submitted_at)
       SELECT ${QUIZ_ID}, answer.volunteer_id, answer.choices,
              (SELECT count(*) FROM volunteer_quiz_question qq WHERE qq.quiz_id = ${QUIZ_ID} AND qq.correct_option = answer.choices[qq.number]),
              now() - interval '9 days' + make_interval(mins => answer.minutes * 30)
         FROM answer
       RETURNING score)
     SELECT count(*)::int AS answers, coalesce(round(avg(score), 1), 0)::float8 AS average FROM inserted`,
  );

  await execute(
    manager,
    `INSERT INTO volunteer_contest (id, campaign, title, theme, description, org_unit_id, entries_close_at, created_by, created_at)
     VALUES (${CONTEST_ID}, 'GOLDEN_YOUNGSTERS', '中小学生垃圾分类优秀作品征集比赛', '垃圾分类，从我做起',
             '绘画、手抄报、短视频截图均可', $1, now() - interval '5 days', 'seed', now() - interval '40 days')`,
    [district.id],
  );
  await execute(
    manager,
    `INSERT INTO volunteer_contest_tier (contest_id, rank, tier, award_count)
     VALUES (${CONTEST_ID}, 1, '一等奖', 1), (${CONTEST_ID}, 2, '二等奖', 2), (${CONTEST_ID}, 3, '三等奖', 3)`,
  );
  const contest = await queryOne<{ entries: number; awarded: number }>(
    manager,
    `WITH submitter AS (
       SELECT v.id, row_number() OVER (ORDER BY v.user_id DESC) AS n FROM volunteer v ORDER BY v.user_id DESC LIMIT 8),
     school AS (
       SELECT i.id, row_number() OVER (ORDER BY i.credit_code) AS n, count(*) OVER () AS total FROM institution i WHERE i.kind = 'SCHOOL'),
     inserted AS (
       INSERT INTO volunteer_contest_entry (id, contest_id, volunteer_id, title, description, entrant_name, school_id, submitted_at,
                                            award_rank, awarded_by, awarded_at)
       SELECT md5('demo-volunteer-contest-entry-' || s.n)::uuid, ${CONTEST_ID}, s.id, (${WORKS})[s.n], '手绘作品', (${CHILDREN})[s.n],
              (SELECT school.id FROM school WHERE school.n = 1 + (s.n - 1) % school.total),
              now() - interval '20 days' + make_interval(hours => s.n::int),
              CASE WHEN s.n = 1 THEN 1 WHEN s.n <= 3 THEN 2 WHEN s.n <= 6 THEN 3 END,
              CASE WHEN s.n <= 6 THEN 'seed' END,
              CASE WHEN s.n <= 6 THEN now() - interval '2 days' + make_interval(mins => s.n::int) END
         FROM submitter s
       RETURNING award_rank)
     SELECT count(*)::int AS entries, count(award_rank)::int AS awarded FROM inserted`,
  );
  return `1 quiz (${quiz.answers} answers, mean score ${quiz.average}), 1 contest (${contest.entries} entries, ${contest.awarded} awarded)`;
}
