import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Role, type Caller } from '#libs/auth';
import { addMonths, shanghaiMonth } from '#libs/calendar';
import { queryOne, runMigrations } from '#libs/database';
import { planDistrict } from '#libs/demo-data';
import { ServiceName } from '#libs/messaging';
import { parseServiceEnvironment } from '#libs/platform';
import { seedCollectionRecords } from '#services/households/src/seed/collection-records.seed';
import { seedCommitmentLetters, seedResidents } from '#services/households/src/seed/evidence.seed';
import { householdsDemoData, seedCollectionPoints, seedHouseholdRows } from '#services/households/src/seed/households.seed';
import { deleteKeys, getAsGateway, postAsGateway, startMeasuredService } from './bench-support.js';
import { openServiceDatabase } from './service-database.js';
import { loadService } from './services.js';
import { loadLocalEnvironment } from './local-env.js';

/**
 * `npm run bench:metrics -- --households 400000 [--reuse-data] [--runs 5]`: a district of N households with the demo's
 * collection points and a year of their daily records, commitment letters for three households in four, and a grade for
 * every household in each of the twelve months (a fixed mix: about 80% QUALIFIED, 12% BASICALLY_QUALIFIED, 5%
 * UNQUALIFIED, 3% NO_EVIDENCE). Then asks a households process of its own, as the gateway would, for the district's
 * figures of a month, of twelve months, a street's month, and a street's printable report, and prints the median and
 * slowest of each, and the process's peak RSS. Uses its own databases (prefix `waste_bench_metrics_`).
 */
const { values } = parseArgs({
  options: {
    households: { type: 'string', default: '400000' },
    runs: { type: 'string', default: '5' },
    'reuse-data': { type: 'boolean', default: false },
  },
});
const households = Number(values.households);
const runs = Number(values.runs);
if (!Number.isInteger(households) || households < 1) throw new Error('--households takes a positive whole number');
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive whole number');

loadLocalEnvironment();
const env = {
  ...process.env,
  DATABASE_NAME_PREFIX: 'waste_bench_metrics_',
  QUEUE_PREFIX: 'waste-bench-metrics',
  LOG_LEVEL: 'warn',
  NODE_ENV: 'development',
};
const serviceEnv = parseServiceEnvironment(0, env);
const plan = planDistrict();
const lastMonth = addMonths(shanghaiMonth(), -1);
const yearMonths = Array.from({ length: 12 }, (_, index) => addMonths(lastMonth, index - 11));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One grade per household and month, in one statement per month, with the month before as previous_grade. */
const GRADE_MONTH = `
  INSERT INTO monthly_grade (month, household_id, status, grade, score, inspection_count, reasons, rule_set_id, rule_version, previous_grade, run_id)
  SELECT $1::date, h.id, CASE WHEN x.draw < 3 THEN 'NO_EVIDENCE' ELSE 'GRADED' END,
         CASE WHEN x.draw < 3 THEN NULL WHEN x.draw < 8 THEN 'UNQUALIFIED' WHEN x.draw < 20 THEN 'BASICALLY_QUALIFIED' ELSE 'QUALIFIED' END,
         NULL, 4, '[]', $2::uuid, 1, p.grade, gen_random_uuid()
    FROM household h
   CROSS JOIN LATERAL (SELECT abs(hashtext(h.id::text || $1::text)) % 100 AS draw) x
    LEFT JOIN monthly_grade p ON p.month = ($1::date - interval '1 month')::date AND p.household_id = h.id`;

const db = await openServiceDatabase(await loadService(ServiceName.Households), serviceEnv);
try {
  await runMigrations(db);
  const { existing } = await queryOne<{ existing: number }>(db, `SELECT count(*)::int AS existing FROM household`);
  if (values['reuse-data'] && existing === households) {
    console.log(`Reusing ${households} households and their data`);
  } else {
    const started = Date.now();
    await householdsDemoData.reset(db);
    await seedHouseholdRows(db, plan, households);
    const points = await seedCollectionPoints(db, plan);
    const records = await seedCollectionRecords(db);
    await seedResidents(db, plan);
    const letters = await seedCommitmentLetters(db);
    const { id: ruleSetId } = await queryOne<{ id: string }>(
      db,
      `SELECT id FROM grading_rule_set WHERE version = 1 AND district_id IS NULL`,
    );
    for (const month of yearMonths) await db.query(GRADE_MONTH, [`${month}-01`, ruleSetId]);
    await db.query('VACUUM ANALYZE');
    console.log(
      `Seeded ${households} households, ${points} collection points, ${records.records} collection records (${records.from} – ${records.to}), ` +
        `${letters} commitment letters, ${households * 12} grades in ${seconds(Date.now() - started)}`,
    );
  }

  const worker = await startMeasuredService('households', env);
  try {
    const caller: Caller = {
      userId: 'bench',
      roles: [Role.DISTRICT_ADMIN],
      orgUnitId: null,
      householdId: null,
      institutionId: null,
      requestId: 'bench',
    };
    const graphql = async (query: string, variables: Record<string, unknown>) => {
      const response = await postAsGateway(worker, 'households', caller, { query, variables });
      const body = (await response.json()) as { errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
    };
    const figures = 'households collectedKg figures { key numerator denominator value recordCount }';
    const street = plan.streets[0];
    const cases: [string, () => Promise<void>][] = [
      [
        `districtMetrics(district, ${lastMonth}) with its ${plan.streets.length} streets`,
        () =>
          graphql(`query($u: ID!, $m: String!) { districtMetrics(orgUnitId: $u, month: $m) { ${figures} children { ${figures} } } }`, {
            u: plan.district.id,
            m: lastMonth,
          }),
      ],
      [
        `districtMetricsRange(district, ${yearMonths[0]} … ${lastMonth})`,
        () =>
          graphql(`query($u: ID!, $f: String!, $t: String!) { districtMetricsRange(orgUnitId: $u, from: $f, to: $t) { ${figures} } }`, {
            u: plan.district.id,
            f: yearMonths[0],
            t: lastMonth,
          }),
      ],
      [
        `districtMetrics(street, ${lastMonth}) with its communities`,
        () =>
          graphql(`query($u: ID!, $m: String!) { districtMetrics(orgUnitId: $u, month: $m) { ${figures} children { ${figures} } } }`, {
            u: street.id,
            m: lastMonth,
          }),
      ],
      [
        `GET /reports/monthly/<street>/${lastMonth}.html (12-month trend)`,
        async () => {
          const response = await getAsGateway(worker, 'households', caller, `/reports/monthly/${street.id}/${lastMonth}.html`);
          if (!response.ok) throw new Error(`report: ${response.status}`);
          await response.text();
        },
      ],
    ];
    console.log(`\nDistrict metrics over ${households} households (${runs} runs each, after one warm-up):`);
    for (const [name, run] of cases) {
      await run();
      const times: number[] = [];
      for (let index = 0; index < runs; index++) {
        const started = performance.now();
        await run();
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      console.log(
        `  ${name.padEnd(70)} median ${Math.round(times[Math.floor(times.length / 2)])} ms, slowest ${Math.round(times.at(-1)!)} ms`,
      );
    }
    console.log(`  households process peak RSS: ${worker.peakRssMb()} MB`);
  } finally {
    await worker.stop();
  }
} finally {
  await db.destroy();
  await deleteKeys(serviceEnv.REDIS_URL, 'waste-bench-metrics');
}
