import type { DataSource } from 'typeorm';
import { queryOne, queryRows } from '#libs/database';
import type { DistrictPlan } from '#libs/demo-data';

/** Teams per street and observers per team on the demo roster. */
export const DEMO_OBSERVER_TEAMS = ['示范观察一组', '示范观察二组'] as const;
export const DEMO_OBSERVERS_PER_TEAM = 3;

/**
 * The citizen observer group (市民观察团) of every street, set-based: two teams per street, three accounts per team
 * (`demo-observer-<street code>-<team>-<n>`, no names: the roster keeps none), ids from md5 of stable text. Two of each
 * team serve from half a year ago for two years; the third served a term that ended 200 days ago. The demo month's
 * OBSERVER reports (see reports.seed.ts) are then attributed to a serving observer of their compound's street (the
 * observer files them as their own), and about two thirds of those staff took up are verified (核实, with the history
 * row), so `observerSummary` has figures and handlers have verified reports to make evidence of. Run after seedReports.
 */
export async function seedObservers(dataSource: DataSource, plan: DistrictPlan): Promise<string> {
  const streets = plan.streets.map((street) => ({ id: street.id, code: street.code, path: street.path }));
  const { teams, observers } = await queryOne<{ teams: number; observers: number }>(
    dataSource,
    `WITH street AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(id uuid, code text, path uuid[])),
     team AS (
       INSERT INTO observer_team (id, street_id, unit_path, name, created_by, created_at)
       SELECT md5('demo-observer-team:' || s.id || ':' || t.n)::uuid, s.id, s.path, t.name, 'demo-seed', now() - interval '200 days'
         FROM street s CROSS JOIN unnest($2::text[]) WITH ORDINALITY AS t(name, n)
       RETURNING id),
     roster AS (
       INSERT INTO citizen_observer (id, team_id, user_id, term_from, term_to, appointed_by, appointed_at)
       SELECT md5('demo-observer:' || s.id || ':' || t.n || ':' || k)::uuid, md5('demo-observer-team:' || s.id || ':' || t.n)::uuid,
              'demo-observer-' || s.code || '-' || t.n || '-' || k,
              CASE WHEN k < $3 THEN today - 180 ELSE today - 400 END,
              CASE WHEN k < $3 THEN today + 550 ELSE today - 200 END,
              'demo-seed', now() - interval '200 days'
         FROM street s CROSS JOIN generate_series(1, cardinality($2::text[])) AS t(n) CROSS JOIN generate_series(1, $3) AS k,
              (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS today) d
       RETURNING id)
     SELECT (SELECT count(*)::int FROM team) AS teams, (SELECT count(*)::int FROM roster) AS observers`,
    [JSON.stringify(streets), DEMO_OBSERVER_TEAMS, DEMO_OBSERVERS_PER_TEAM],
  );
  // Each OBSERVER report of the demo month becomes the report of an observer serving (then) in its compound's street,
  // chosen by the compound, so the same plan always gives the same attribution.
  const attributed = await queryRows<{ report_id: string }>(
    dataSource,
    `WITH pick AS (
       SELECT r.id AS report_id, o.id AS observer_id, o.user_id
         FROM citizen_report r
         JOIN LATERAL (
           SELECT o.id, o.user_id FROM citizen_observer o JOIN observer_team t ON t.id = o.team_id
            WHERE r.unit_path @> ARRAY[t.street_id] AND (r.submitted_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN o.term_from AND o.term_to
            ORDER BY o.id OFFSET (hashtext(r.org_unit_id::text) & 2147483647) % $1 LIMIT 1) o ON true
        WHERE r.channel = 'OBSERVER' AND r.org_unit_id IS NOT NULL AND r.observer_id IS NULL),
     changed AS (
       UPDATE citizen_report r SET observer_id = p.observer_id, reporter_user_id = p.user_id, submitted_by = p.user_id
         FROM pick p WHERE p.report_id = r.id
       RETURNING r.id, r.submitted_by)
     UPDATE citizen_report_history h SET actor = c.submitted_by FROM changed c WHERE h.report_id = c.id AND h.action = 'SUBMIT'
     RETURNING h.report_id`,
    [DEMO_OBSERVER_TEAMS.length * (DEMO_OBSERVERS_PER_TEAM - 1)],
  );
  // Staff verified about two in three of the observer reports they took up (not rejected or duplicates), two hours in.
  const verified = await queryRows<{ report_id: string }>(
    dataSource,
    `WITH changed AS (
       UPDATE citizen_report r SET verified_at = least(now(), r.submitted_at + interval '2 hours'), verified_by = 'demo-handler'
        WHERE r.observer_id IS NOT NULL AND r.verified_at IS NULL AND r.status IN ('TRIAGED', 'ASSIGNED', 'IN_PROGRESS', 'RESOLVED')
          AND (hashtext(r.org_unit_id::text || r.category_code) & 2147483647) % 3 <> 0
       RETURNING r.id, r.status, r.verified_at)
     INSERT INTO citizen_report_history (report_id, action, from_status, to_status, note, actor, at)
     SELECT c.id, 'VERIFY', h.to_status, h.to_status, '现场核实属实', 'demo-handler', c.verified_at
       FROM changed c
       JOIN LATERAL (SELECT h.to_status FROM citizen_report_history h WHERE h.report_id = c.id AND h.at <= c.verified_at ORDER BY h.at DESC, h.id DESC LIMIT 1) h ON true
     RETURNING report_id`,
  );
  return `${teams} observer teams, ${observers} observers, ${attributed.length} observer reports (${verified.length} verified)`;
}
