import type { DataSource } from 'typeorm';
import { addDays, monthStart, previousMonth, shanghaiMonth } from '#libs/calendar';
import { closeDutyDay } from '../duties/duty-check-sql.js';
import { DUTY_RULES_SQL, DutyCadence } from '../duties/duty-kinds.js';

/**
 * Demo duties: a month of duty logs for the month before the current one, derived in two statements from whatever
 * SECRETARY posts exist, then that month closed day by day with the daily check's own SQL (periods and escalations
 * exactly as the job would write them). Deterministic (md5 of post and day): community secretaries patrol on about
 * nine days in ten; about four in five street and department secretaries made their monthly visit. With no posts it
 * writes nothing.
 */
export async function seedDuties(dataSource: DataSource, now: Date = new Date()): Promise<string> {
  const month = previousMonth(shanghaiMonth(now));
  const first = monthStart(month);
  const last = addDays(monthStart(shanghaiMonth(now)), -1);
  const [{ count: posts }] = await dataSource.query(
    `SELECT count(*)::int AS count FROM party_org_position p JOIN party_org o ON o.id = p.party_org_id
       JOIN ${DUTY_RULES_SQL} ON duty_rule.post_kind = o.kind
      WHERE p.position = 'SECRETARY' AND p.starts_on <= $2::date AND (p.ends_on IS NULL OR p.ends_on >= $1::date)`,
    [first, last],
  );
  if (posts === 0) return 'no duties (no secretary posts)';

  // Daily duties: a log on most days the post was held, at a time in the morning or evening, in the post's territory.
  const [{ count: daily }] = await dataSource.query(
    `WITH inserted AS (
       INSERT INTO duty_log (party_member_id, party_org_id, duty, performed_at, org_unit_id, note, recorded_by)
       SELECT p.party_member_id, o.id, duty_rule.duty,
              (day + time '07:30' + (get_byte(decode(md5(o.id::text || day::text), 'hex'), 1) % 12) * interval '1 hour') AT TIME ZONE 'Asia/Shanghai',
              o.org_unit_id, '巡查垃圾分类投放点', 'seed'
         FROM party_org_position p
         JOIN party_org o ON o.id = p.party_org_id
         JOIN ${DUTY_RULES_SQL} ON duty_rule.post_kind = o.kind AND duty_rule.cadence = '${DutyCadence.DAILY}'
         CROSS JOIN generate_series($1::date, $2::date, interval '1 day') AS g(ts)
         CROSS JOIN LATERAL (SELECT g.ts::date AS day) d
        WHERE p.position = 'SECRETARY' AND p.starts_on <= d.day AND (p.ends_on IS NULL OR p.ends_on >= d.day)
          AND o.org_unit_id IS NOT NULL
          AND get_byte(decode(md5(o.id::text || d.day::text), 'hex'), 0) % 10 <> 0
       RETURNING 1)
     SELECT count(*)::int AS count FROM inserted`,
    [first, last],
  );

  // Monthly duties: one visit on a day of the month for most posts; the place is the first community of the street or
  // the first sector unit of the department (posts without one are left with nothing to visit).
  const [{ count: monthly }] = await dataSource.query(
    `WITH inserted AS (
       INSERT INTO duty_log (party_member_id, party_org_id, duty, performed_at, org_unit_id, institution_id, note, recorded_by)
       SELECT p.party_member_id, o.id, duty_rule.duty,
              ($1::date + (get_byte(decode(md5(o.id::text || $1::date::text), 'hex'), 1) % ($2::date - $1::date + 1)) + time '09:30') AT TIME ZONE 'Asia/Shanghai',
              place.org_unit_id, place.institution_id,
              CASE WHEN place.institution_id IS NULL THEN '入户讲解垃圾分类' ELSE '督查下属单位垃圾分类' END, 'seed'
         FROM party_org_position p
         JOIN party_org o ON o.id = p.party_org_id
         JOIN ${DUTY_RULES_SQL} ON duty_rule.post_kind = o.kind AND duty_rule.cadence = '${DutyCadence.MONTHLY}'
         CROSS JOIN LATERAL (
           SELECT (SELECT u.id FROM org_unit u WHERE u.parent_id = o.org_unit_id ORDER BY u.code LIMIT 1) AS org_unit_id,
                  (SELECT i.id FROM institution i WHERE i.parent_id = o.institution_id ORDER BY i.name, i.id LIMIT 1) AS institution_id) place
        WHERE p.position = 'SECRETARY' AND p.starts_on <= $1::date AND (p.ends_on IS NULL OR p.ends_on >= $2::date)
          AND (place.org_unit_id IS NOT NULL OR place.institution_id IS NOT NULL)
          AND get_byte(decode(md5(o.id::text || $1::date::text), 'hex'), 0) % 5 <> 0
       RETURNING 1)
     SELECT count(*)::int AS count FROM inserted`,
    [first, last],
  );

  // Close the month day by day as the job does at 00:30 the next morning.
  let periods = 0;
  let escalations = 0;
  for (let day = first; day <= last; day = addDays(day, 1)) {
    const result = await closeDutyDay(dataSource, day, new Date(`${addDays(day, 1)}T00:30:00+08:00`));
    periods += result.periods;
    escalations += result.escalations;
  }
  return `${daily + monthly} duty logs of ${month}, ${periods} duty periods, ${escalations} escalations`;
}
