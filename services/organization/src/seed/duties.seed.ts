import type { DataSource } from 'typeorm';
import { addDays, addMonths, monthStart, previousMonth, shanghaiMonth } from '#libs/calendar';
import { queryOne } from '#libs/database';
import { closeDutyDay, closeDutyPeriods } from '../duties/duty-check-sql.js';
import { DUTY_RULES_SQL, DutyCadence, DutyKind, LIAISON_RULES_SQL, quarterStart } from '../duties/duty-kinds.js';

/**
 * Demo duties: a month of duty logs for the month before the current one, derived in two statements from whatever
 * SECRETARY posts exist, then that month closed day by day with the daily check's own SQL (periods and escalations
 * exactly as the job would write them). Deterministic (md5 of post and day): community secretaries patrol on about
 * nine days in ten; about four in five street and department secretaries (and the district secretary) made their
 * monthly visit. With no posts it writes nothing. Then the duties of the "1" (`seedLeaderDuties`).
 */
export async function seedDuties(dataSource: DataSource, now: Date = new Date()): Promise<string> {
  const month = previousMonth(shanghaiMonth(now));
  const first = monthStart(month);
  const last = addDays(monthStart(shanghaiMonth(now)), -1);
  const { count: posts } = await queryOne<{ count: number }>(
    dataSource,
    `SELECT count(*)::int AS count FROM party_org_position p JOIN party_org o ON o.id = p.party_org_id
       JOIN ${DUTY_RULES_SQL} ON duty_rule.post_kind = o.kind
      WHERE p.position = 'SECRETARY' AND p.starts_on <= $2::date AND (p.ends_on IS NULL OR p.ends_on >= $1::date)`,
    [first, last],
  );
  if (posts === 0) return 'no duties (no secretary posts)';

  // Daily duties: a log on most days the post was held, at a time in the morning or evening, in the post's territory.
  const { count: daily } = await queryOne<{ count: number }>(
    dataSource,
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
  const { count: monthly } = await queryOne<{ count: number }>(
    dataSource,
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

  const leaders = await seedLeaderDuties(dataSource, first, last);

  // Close the month day by day as the job does at 00:30 the next morning.
  let periods = 0;
  let escalations = 0;
  for (let day = first; day <= last; day = addDays(day, 1)) {
    const result = await closeDutyDay(dataSource, day, new Date(`${addDays(day, 1)}T00:30:00+08:00`));
    periods += result.periods;
    escalations += result.escalations;
  }
  return `${daily + monthly} duty logs of ${month}, ${periods} duty periods, ${escalations} escalations; ${leaders.logs}, ${await leaders.close()}`;
}

/**
 * The duties of the "1" over the last quarter that ended by the seeded month's end (`last`), closed as the job closed
 * them: about three in four streets got their liaison leader's visit (a visit to the street's first community, or
 * to the street itself when it has none), and the district secretary supervised on site in the quarter's first and
 * last months but not its middle one (the seeded month's own supervision, if it lies in the quarter, comes from the
 * monthly duties above). Only these duties' periods are closed for the earlier months; the quarter is closed for
 * liaison visits only. Deterministic (md5 of street and quarter). The logs are written first (`logs`), before the
 * seeded month is closed (which closes the quarter too when it is the quarter's last month), the rest after (`close`).
 */
async function seedLeaderDuties(
  dataSource: DataSource,
  seededFirst: string,
  seededLast: string,
): Promise<{ logs: string; close: () => Promise<string> }> {
  const qEnd = addDays(quarterStart(addDays(seededLast, 1)), -1);
  const qStart = quarterStart(qEnd);
  const { count: visits } = await queryOne<{ count: number }>(
    dataSource,
    `WITH inserted AS (
       INSERT INTO duty_log (party_member_id, party_org_id, duty, performed_at, org_unit_id, leader_id, note, recorded_by)
       SELECT ld.party_member_id, o.id, liaison_rule.duty,
              (ll_from.day + get_byte(decode(md5(ll.street_id::text || $1::date::text), 'hex'), 1) % ($2::date - ll_from.day + 1) + time '14:30')
                AT TIME ZONE 'Asia/Shanghai',
              coalesce((SELECT u.id FROM org_unit u WHERE u.parent_id = ll.street_id ORDER BY u.code LIMIT 1), ll.street_id),
              ld.id, '走访镇街，督导垃圾分类，协调解决收运问题', 'seed'
         FROM leader_liaison ll
         JOIN leader ld ON ld.id = ll.leader_id AND ld.party_member_id IS NOT NULL
         JOIN party_org o ON o.org_unit_id = ll.street_id AND o.kind = 'STREET_COMMITTEE'
         CROSS JOIN ${LIAISON_RULES_SQL}
         CROSS JOIN LATERAL (SELECT greatest(ll.starts_on, $1::date) AS day) ll_from
        WHERE ll.starts_on <= $2::date AND (ll.ends_on IS NULL OR ll.ends_on >= $2::date)
          AND get_byte(decode(md5(ll.street_id::text || $1::date::text), 'hex'), 0) % 4 <> 0
          -- Not into a quarter already closed (a seed over existing data).
          AND NOT EXISTS (SELECT 1 FROM duty_period dp WHERE dp.party_org_id = o.id AND dp.duty = liaison_rule.duty AND dp.period_start = $1::date)
       RETURNING 1)
     SELECT count(*)::int AS count FROM inserted`,
    [qStart, qEnd],
  );
  // The district secretary: the quarter's first and last months, each on a day of the month, at a street in turn.
  const months = [0, 1, 2].map((i) => addMonths(qStart.slice(0, 7), i)).filter((m) => monthStart(m) !== seededFirst);
  const supervised = months.filter((m) => m !== addMonths(qStart.slice(0, 7), 1));
  const { count: supervisions } = await queryOne<{ count: number }>(
    dataSource,
    `WITH inserted AS (
       INSERT INTO duty_log (party_member_id, party_org_id, duty, performed_at, org_unit_id, note, recorded_by)
       SELECT p.party_member_id, o.id, '${DutyKind.DISTRICT_SUPERVISION}',
              (month + (get_byte(decode(md5(o.id::text || month::text), 'hex'), 1) % 25) + time '10:00') AT TIME ZONE 'Asia/Shanghai',
              (SELECT u.id FROM org_unit u WHERE u.parent_id = o.org_unit_id AND u.kind = 'STREET'
                ORDER BY md5(u.id::text || month::text) LIMIT 1),
              '现场督导小区垃圾分类投放和清运', 'seed'
         FROM unnest($1::date[]) AS g(month)
         JOIN party_org o ON o.kind = 'DISTRICT_COMMITTEE'
         JOIN party_org_position p ON p.party_org_id = o.id AND p.position = 'SECRETARY'
                                  AND p.starts_on <= g.month AND (p.ends_on IS NULL OR p.ends_on >= (g.month + interval '1 month' - interval '1 day')::date)
        WHERE EXISTS (SELECT 1 FROM org_unit u WHERE u.parent_id = o.org_unit_id AND u.kind = 'STREET')
          AND NOT EXISTS (SELECT 1 FROM duty_period dp WHERE dp.party_org_id = o.id AND dp.duty = '${DutyKind.DISTRICT_SUPERVISION}' AND dp.period_start = g.month)
       RETURNING 1)
     SELECT count(*)::int AS count FROM inserted`,
    [supervised.map(monthStart)],
  );
  return {
    logs: `${visits} liaison visits and ${supervisions} on-site supervisions of the quarter from ${qStart}`,
    close: async () => {
      let periods = 0;
      let escalations = 0;
      const add = (closed: { periods: number; escalations: number }) => {
        periods += closed.periods;
        escalations += closed.escalations;
      };
      for (const month of months) {
        const end = addDays(monthStart(addMonths(month, 1)), -1);
        add(
          await closeDutyPeriods(dataSource, DutyCadence.MONTHLY, monthStart(month), end, new Date(`${addDays(end, 1)}T00:30:00+08:00`), [
            DutyKind.DISTRICT_SUPERVISION,
          ]),
        );
      }
      // Already closed with the seeded month when it is the quarter's last (then this writes nothing).
      add(
        await closeDutyPeriods(dataSource, DutyCadence.QUARTERLY, qStart, qEnd, new Date(`${addDays(qEnd, 1)}T00:30:00+08:00`), [
          DutyKind.LIAISON_VISIT,
        ]),
      );
      return `${periods} duty periods, ${escalations} escalations`;
    },
  };
}
