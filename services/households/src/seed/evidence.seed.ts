import type { DataSource } from 'typeorm';
import { addMonths, monthStart, shanghaiMonth } from '#libs/calendar';
import { execute, queryOne } from '#libs/database';
import { demoResidentsSql, type DistrictPlan } from '#libs/demo-data';
import { Outbox } from '#libs/messaging';
import { GRADING_RULE_SETS, announceMonth, gradeAndPublishChunk } from '../evaluation/grading-sql.js';
import { closeObjectionWindow } from '../objections/objection-window.js';

/**
 * Residents, commitment letters and a few months of inspections for the seeded households, generated in SQL from
 * hashes of the household ids: the same households always get the same people and evidence, and 500,000 households
 * take seconds, not minutes. All of it is invented.
 */

/** A deterministic number in [0, 1e6) from text, in SQL. */
const hash = (text: string) => `(abs(hashtext(${text})) % 1000000)`;

export async function seedResidents(dataSource: DataSource, plan: DistrictPlan): Promise<number> {
  const employers = plan.institutions.filter((i) => i.kind === 'EMPLOYER').map((i) => i.id);
  const schools = plan.institutions.filter((i) => i.kind === 'SCHOOL').map((i) => i.id);
  const thisYear = Number(shanghaiMonth().slice(0, 4));
  // The residents' derivation (who works where, who is a party member) lives in #libs/demo-data, shared with
  // organization's seed of the party members.
  const { count } = await queryOne<{ count: number }>(
    dataSource,
    `WITH inserted AS (
     INSERT INTO resident (id, household_id, name, phone, occupation, institution_id, party_member_id, birth_date, disclosure_basis)
     SELECT id, household_id, name, phone, occupation, institution_id, party_member_id, birth_date, disclosure_basis
       FROM (${demoResidentsSql({ households: 'household h', employers: '$1::uuid[]', schools: '$2::uuid[]', thisYear: '$3::int' })}) r
     RETURNING 1)
     SELECT count(*)::int AS count FROM inserted`,
    [employers, schools, thisYear],
  );
  // Half of the students under 18 have a guardian's consent to notices to their school, given by the household's
  // first resident (an adult), so the demo shows both notices to guardians and notices held for want of consent.
  await execute(
    dataSource,
    `UPDATE resident r SET guardian_name = g.name, guardian_relation = '父母', guardian_phone = g.phone,
            guardian_consent_recorded_at = now(), guardian_consent_recorded_by = 'demo-seed'
       FROM resident g
      WHERE g.id = md5(r.household_id::text || ':1')::uuid AND r.occupation = 'STUDENT'
        AND minor_on(r.birth_date, r.birth_date_precision, current_date) AND ${hash(`r.id::text || 'consent'`)} % 2 = 0`,
  );
  return count;
}

export async function seedCommitmentLetters(dataSource: DataSource): Promise<number> {
  // Three households in four have signed, in 2025 or 2026, the first resident signing.
  const { count } = await queryOne<{ count: number }>(
    dataSource,
    `WITH inserted AS (
       INSERT INTO commitment_letter (household_id, signer_resident_id, signed_on, recorded_by)
       SELECT h.id, md5(h.id::text || ':1')::uuid, DATE '2025-03-01' + ${hash(`h.id::text || 'letter'`)} % 540, 'demo-seed'
         FROM household h
        WHERE ${hash(`h.id::text || 'signed'`)} % 100 < 75
       RETURNING 1)
     SELECT count(*)::int AS count FROM inserted`,
  );
  return count;
}

/**
 * About `perHousehold` inspections per household in `month`, spread over the month's days. A household's habits
 * persist: one in twelve sorts badly (a third of its checks fail), one in six is careless, the rest sort well. A third
 * of the bad ones do better in any one month, so upgrades (and relapses) show; and from the third graded month on, one
 * in twenty of the bad ones mends for good each month (about half by the twelfth), so the district's pass rate rises
 * over the demo year as the article's "upgrades" describe. `monthIndex` counts the graded months from the oldest.
 */
export async function seedInspections(dataSource: DataSource, month: string, perHousehold: number, monthIndex: number): Promise<number> {
  const { count } = await queryOne<{ count: number }>(
    dataSource,
    `WITH inserted AS (
     INSERT INTO inspection (household_id, kind, result, issues, inspector_id, inspected_at)
     SELECT h.id,
            (ARRAY['BIN_SIDE', 'BAG_CHECK', 'DOOR_VISIT', 'PATROL'])[1 + roll % 4],
            outcome,
            CASE outcome WHEN 'PASS' THEN '{}'::text[]
                 ELSE ARRAY[(ARRAY['KITCHEN_WASTE_CONTAMINATED', 'RECYCLABLES_MIXED', 'BAG_NOT_BROKEN', 'KITCHEN_WASTE_CONTAMINATED',
                                   'OUTSIDE_DROP_OFF_HOURS', 'BAG_DUMPED', 'HAZARDOUS_MISSORTED', 'OTHER'])[1 + (roll / 7) % 8]] END,
            'demo-inspector-' || (1 + roll % 40),
            ($1::date + ((roll / 13) % $4::int) * interval '1 day' + (7 + (roll / 17) % 13) * interval '1 hour'
              + ((roll / 19) % 60) * interval '1 minute')::timestamp AT TIME ZONE 'Asia/Shanghai'
       FROM household h
       CROSS JOIN LATERAL (SELECT ${hash(`h.id::text || 'habit'`)} % 100 AS habit,
                                  (${hash(`h.id::text || 'mends' || $3::int::text`)} % 3 = 0
                                   OR $3::int >= 2 + ${hash(`h.id::text || 'mends for good'`)} % 20) AS mended) AS person
       CROSS JOIN LATERAL generate_series(1, greatest(1, $2::int - 2 + ${hash(`h.id::text || $1::text || 'count'`)} % 5)) AS n
       CROSS JOIN LATERAL (SELECT ${hash(`h.id::text || $1::text || n`)} AS roll) AS r
       CROSS JOIN LATERAL (
         SELECT CASE
                  WHEN person.habit < 8 AND NOT person.mended AND roll % 100 < 35 THEN 'FAIL'
                  WHEN person.habit < 8 AND NOT person.mended AND roll % 100 < 60 THEN 'MINOR_ISSUE'
                  WHEN person.habit < 25 AND roll % 100 < 8 THEN 'FAIL'
                  WHEN person.habit < 25 AND roll % 100 < 30 THEN 'MINOR_ISSUE'
                  WHEN roll % 100 < 6 THEN 'MINOR_ISSUE'
                  ELSE 'PASS' END AS outcome
       ) AS o
     RETURNING 1)
     SELECT count(*)::int AS count FROM inserted`,
    [monthStart(month), perHousehold, monthIndex, daysInMonth(month)],
  );
  return count;
}

/**
 * Grades `month` for the whole district the way the monthly cycle does (same SQL, same events), synchronously, and
 * announces it: services that start afterwards receive the month's grades through their queues. A past month's
 * objection window closed long ago (`closeObjectionWindow`), so its notices leave when they are made; the latest
 * month's stays open for the district's days, as it would a week after grading.
 */
export async function gradeMonth(
  dataSource: DataSource,
  plan: DistrictPlan,
  month: string,
  options: { closeObjectionWindow: boolean },
): Promise<void> {
  const outbox = new Outbox();
  await dataSource.transaction(async (manager) => {
    const ruleSet = await GRADING_RULE_SETS.requireInForce(manager, plan.district.id, month);
    const run = await queryOne<{ id: string }>(
      manager,
      `INSERT INTO evaluation_run (month, org_unit_id, trigger, requested_by, status, total_chunks, started_at)
       VALUES ($1, $2, 'MANUAL', 'system:demo-seed', 'RUNNING', $3, now()) RETURNING id`,
      [monthStart(month), plan.district.id, plan.streets.length],
    );
    // One chunk per street: the seed has the database to itself, and larger chunks are quicker than communities.
    let households = 0;
    let changed = 0;
    for (const street of plan.streets) {
      const graded = await gradeAndPublishChunk(manager, {
        runId: run.id,
        unitId: street.id,
        districtId: plan.district.id,
        month,
        ruleSet,
      });
      await execute(
        manager,
        `INSERT INTO evaluation_chunk (run_id, unit_id, status, households, changed, completed_at) VALUES ($1, $2, 'COMPLETED', $3, $4, now())`,
        [run.id, street.id, graded.households, graded.changed],
      );
      households += graded.households;
      changed += graded.changed;
    }
    await execute(
      manager,
      `UPDATE evaluation_run SET status = 'COMPLETED', completed_chunks = total_chunks, households_evaluated = $2, households_total = $2,
              grades_changed = $3, finished_at = now()
        WHERE id = $1`,
      [run.id, households, changed],
    );
    await announceMonth(manager, outbox, plan.district.id, month, run.id);
    if (options.closeObjectionWindow) await closeObjectionWindow(manager, outbox, plan.district.id, month);
  });
}

/** The demo's graded months: the last `count` complete months, oldest first; the current month stays ungraded. */
export function demoMonths(count: number, now = new Date()): string[] {
  const current = shanghaiMonth(now);
  return Array.from({ length: count }, (_, index) => addMonths(current, index - count));
}

function daysInMonth(month: string): number {
  const [year, m] = month.split('-').map(Number);
  return new Date(Date.UTC(year, m, 0)).getUTCDate();
}
