import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Role } from '#libs/auth';
import { previousMonth, shanghaiMonth } from '#libs/calendar';
import { queryOne, runMigrations } from '#libs/database';
import { planDistrict } from '#libs/demo-data';
import { ServiceName } from '#libs/messaging';
import { parseServiceEnvironment } from '#libs/platform';
import { seedInspections, seedResidents } from '#services/households/src/seed/evidence.seed';
import { householdsDemoData, seedHouseholdRows } from '#services/households/src/seed/households.seed';
import { deleteKeys, postAsGateway, startMeasuredService, until } from './bench-support.js';
import { openServiceDatabase } from './service-database.js';
import { loadService } from './services.js';
import { loadLocalEnvironment } from './local-env.js';

/**
 * `npm run bench:monthly -- --households 500000 [--reuse-data]`: seeds a district of N households (4 inspections each, on average,
 * in the month just ended), runs the monthly evaluation end to end through BullMQ in a households process of its
 * own, then computes the same grades with one hand-written SQL statement on the same data, and prints both wall
 * times, their ratio and the worker's peak RSS. Uses its own databases (prefix `waste_bench_`) and queue prefix.
 */
/**
 * The yardstick: the same explained grades as the cycle (status, grade, score, the month's issues, the reasons with
 * the inspections behind them, the previous month's grade), written by hand as one statement over the whole month
 * with the default rules (version 1) spelled out, into a table shaped like monthly_grade (same columns, same
 * indexes). What the cycle does beyond it is its overhead: chunks, queues, bookkeeping, and publishing every grade.
 */
const YARDSTICK_TABLE = `CREATE TABLE bench_grade (LIKE monthly_grade INCLUDING DEFAULTS INCLUDING INDEXES)`;
const HAND_WRITTEN_GRADES = `
INSERT INTO bench_grade (month, household_id, status, grade, score, inspection_count, issues, reasons, rule_set_id, rule_version, previous_grade, run_id)
WITH scored AS MATERIALIZED (
  SELECT i.household_id, i.id, i.result, i.issues, i.inspected_at,
         CASE i.result WHEN 'PASS' THEN 0 WHEN 'MINOR_ISSUE' THEN 5 ELSE 15 END
           + (SELECT coalesce(sum(CASE issue WHEN 'KITCHEN_WASTE_CONTAMINATED' THEN 3 WHEN 'RECYCLABLES_MIXED' THEN 2
                                             WHEN 'HAZARDOUS_MISSORTED' THEN 10 WHEN 'BAG_DUMPED' THEN 10 WHEN 'BAG_NOT_BROKEN' THEN 2
                                             WHEN 'OUTSIDE_DROP_OFF_HOURS' THEN 2 ELSE 1 END), 0) FROM unnest(i.issues) AS issue) AS penalty
    FROM inspection i WHERE i.month = $1::date
),
per_household AS (
  SELECT household_id, count(*)::int AS inspections, greatest(0, 100 - sum(penalty)) AS score,
         count(*) FILTER (WHERE result = 'FAIL')::int AS fails,
         bool_or('HAZARDOUS_MISSORTED' = ANY(issues)) AS capped,
         coalesce(jsonb_agg(jsonb_build_object('rule', 'INSPECTION_PENALTY', 'inspectionId', id, 'points', -penalty)
                  ORDER BY inspected_at, id) FILTER (WHERE penalty > 0), '[]'::jsonb) AS deductions,
         ARRAY(SELECT DISTINCT issue FROM unnest(string_to_array(string_agg(array_to_string(issues, ','), ','), ',')) AS issue
                WHERE issue <> '' ORDER BY 1) AS issues
    FROM scored GROUP BY household_id
)
SELECT $1::date, h.id,
       CASE WHEN p.household_id IS NULL THEN 'NO_EVIDENCE' ELSE 'GRADED' END AS status,
       CASE WHEN p.household_id IS NULL THEN NULL
            WHEN p.fails >= 3 THEN 'UNQUALIFIED'
            WHEN p.score >= 85 AND NOT p.capped THEN 'QUALIFIED'
            WHEN p.score >= 60 THEN 'BASICALLY_QUALIFIED'
            ELSE 'UNQUALIFIED' END AS grade,
       p.score, coalesce(p.inspections, 0), coalesce(p.issues, '{}') AS issues,
       CASE WHEN p.household_id IS NULL THEN '[]'::jsonb
       ELSE p.deductions
         || CASE WHEN p.fails >= 3 THEN jsonb_build_array(jsonb_build_object('rule', 'FAIL_COUNT', 'fails', p.fails, 'limit', 3)) ELSE '[]'::jsonb END
         || CASE WHEN p.capped AND p.fails < 3 AND p.score >= 85 THEN '[{"rule": "ISSUE_CAP"}]'::jsonb ELSE '[]'::jsonb END
       END AS reasons,
       $2::uuid, 1, previous.grade, gen_random_uuid()
  FROM household h
  LEFT JOIN per_household p ON p.household_id = h.id
  LEFT JOIN monthly_grade previous ON previous.month = ($1::date - interval '1 month')::date AND previous.household_id = h.id`;

const { values } = parseArgs({
  options: { households: { type: 'string', default: '500000' }, 'reuse-data': { type: 'boolean', default: false } },
});
const households = Number(values.households);
if (!Number.isInteger(households) || households < 1) throw new Error('--households takes a positive whole number');

loadLocalEnvironment();
const env = {
  ...process.env,
  DATABASE_NAME_PREFIX: 'waste_bench_',
  QUEUE_PREFIX: 'waste-bench',
  LOG_LEVEL: 'warn',
  NODE_ENV: 'development',
};
const serviceEnv = parseServiceEnvironment(0, env);
const month = previousMonth(shanghaiMonth());
const plan = planDistrict();
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const db = await openServiceDatabase(await loadService(ServiceName.Households), serviceEnv);
try {
  await runMigrations(db);
  let started = Date.now();
  const { existing } = await queryOne<{ existing: number }>(db, `SELECT count(*)::int AS existing FROM household`);
  let inspections: number;
  if (values['reuse-data'] && existing === households) {
    // --reuse-data: keep the seeded evidence of an earlier run and only forget its results.
    await db.query(`TRUNCATE monthly_grade, evaluation_run, evaluation_month, outbox_event CASCADE`);
    [{ inspections }] = await db.query(`SELECT count(*)::int AS inspections FROM inspection WHERE month = $1`, [`${month}-01`]);
    console.log(`Reusing ${households} households and ${inspections} inspections in ${month}`);
  } else {
    await householdsDemoData.reset(db);
    await seedHouseholdRows(db, plan, households);
    const residents = await seedResidents(db, plan);
    inspections = await seedInspections(db, month, 4, 0);
    console.log(
      `Seeded ${households} households, ${residents} residents, ${inspections} inspections in ${month} (${seconds(Date.now() - started)})`,
    );
  }
  await db.query('ANALYZE');

  // The worker: a households process exactly as production runs it, measured from outside.
  const worker = await startMeasuredService('households', env);
  try {
    started = Date.now();
    const caller = {
      userId: 'bench',
      roles: [Role.DISTRICT_ADMIN],
      orgUnitId: null,
      householdId: null,
      institutionId: null,
      requestId: 'bench',
    };
    const response = await postAsGateway(worker, 'households', caller, {
      query: 'mutation($m: String!, $o: ID!) { runMonthlyEvaluation(month: $m, orgUnitId: $o) { id totalChunks } }',
      variables: { m: month, o: plan.district.id },
    });
    const { data, errors } = (await response.json()) as {
      data?: { runMonthlyEvaluation: { id: string; totalChunks: number } };
      errors?: unknown;
    };
    if (!data) throw new Error(`runMonthlyEvaluation failed: ${JSON.stringify(errors)}`);
    const run = data.runMonthlyEvaluation;
    await until(async () => {
      const row = await queryOne<{ status: string }>(db, `SELECT status FROM evaluation_run WHERE id = $1`, [run.id]);
      if (row.status === 'FAILED') throw new Error('The evaluation run failed');
      return row.status === 'COMPLETED';
    }, 30 * 60_000);
    const cycleMs = Date.now() - started;

    await db.query(`DROP TABLE IF EXISTS bench_grade`);
    await db.query(YARDSTICK_TABLE);
    await db.query('SET jit = off'); // as the services run, so both sides are measured alike
    const { id: ruleSetId } = await queryOne<{ id: string }>(
      db,
      `SELECT id FROM grading_rule_set WHERE version = 1 AND district_id IS NULL`,
    );
    started = Date.now();
    await db.query(HAND_WRITTEN_GRADES, [`${month}-01`, ruleSetId]);
    const handMs = Date.now() - started;

    const agree = await queryOne<{ hand: string; same: string }>(
      db,
      `SELECT (SELECT count(*) FROM bench_grade) AS hand,
              (SELECT count(*) FROM monthly_grade g JOIN bench_grade b ON b.household_id = g.household_id
                WHERE g.month = $1 AND g.status = b.status AND g.grade IS NOT DISTINCT FROM b.grade AND g.score IS NOT DISTINCT FROM b.score
                  AND g.issues = b.issues AND g.reasons = b.reasons AND g.inspection_count = b.inspection_count
                  AND g.previous_grade IS NOT DISTINCT FROM b.previous_grade) AS same`,
      [`${month}-01`],
    );
    console.log(`
Monthly evaluation of ${households} households, ${inspections} inspections (${run.totalChunks} community chunks)
  cycle (request → run COMPLETED, through BullMQ): ${seconds(cycleMs)}
  one hand-written SQL statement:                  ${seconds(handMs)}
  ratio:                                           ${(cycleMs / handMs).toFixed(2)}   (target ≤ 3)
  worker peak RSS:                                 ${worker.peakRssMb()} MB   (target ≤ 512 MB)
  explained grades identical in both:              ${agree.same} of ${agree.hand}`);
  } finally {
    await worker.stop();
  }
} finally {
  await db.destroy();
  await deleteKeys(serviceEnv.REDIS_URL, 'waste-bench');
}
