import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { monthStart, previousMonth, shanghaiMonth } from '#libs/calendar';
import { queryFirst, queryOne, runMigrations } from '#libs/database';
import { planDistrict } from '#libs/demo-data';
import { Role } from '#libs/auth';
import { EventType, QueueName, ServiceName, type MonthlyEvaluationCompletedPayload, type QueuedEvent } from '#libs/messaging';
import { parseServiceEnvironment } from '#libs/platform';
import { notificationsDemoData } from '#services/notifications/src/seed/notifications.seed';
import { deleteKeys, postAsGateway, startMeasuredService, until } from './bench-support.js';
import { repoRoot } from './repo-root.js';
import { openServiceDatabase } from './service-database.js';
import { loadService } from './services.js';
import { loadLocalEnvironment } from './local-env.js';

/**
 * `npm run bench:notices -- --households 500000`: a month of N graded households in the notifications database
 * (about 10% of them earning a praise letter or a reminder notice), then notices exactly as production makes and
 * sends them: a notifications process receives `monthly-evaluation.completed` through BullMQ, generates the month's
 * notices and their webhook deliveries, and its dispatcher delivers them, signed, to a local receiver (a process of
 * its own) on which every employer and school has registered an endpoint. Then a bare loop of HTTP POSTs, with the
 * dispatcher's concurrency and kept-alive connections, sends the same number of requests to the same receiver: the
 * ratio of the two throughputs is what signing, leases, retries bookkeeping and state tracking cost. Prints notices/s,
 * deliveries/s, the ratio and the worker's peak RSS. Own databases (`waste_bench_*`) and queue prefix.
 */
const { values } = parseArgs({ options: { households: { type: 'string', default: '500000' } } });
const households = Number(values.households);
if (!Number.isInteger(households) || households < 1) throw new Error('--households takes a positive whole number');

const QUEUE_PREFIX = 'waste-bench-notices';
/** The dispatcher's default, used by the bare loop too. */
const CONCURRENCY = 16;
loadLocalEnvironment();
const env = {
  ...process.env,
  DATABASE_NAME_PREFIX: 'waste_bench_',
  QUEUE_PREFIX,
  LOG_LEVEL: 'warn',
  NODE_ENV: 'development',
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  WEBHOOK_CONCURRENCY: String(CONCURRENCY),
};
const serviceEnv = parseServiceEnvironment(0, env);
const month = previousMonth(shanghaiMonth());
const plan = planDistrict();
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * The month's grades as households would have sent them, in SQL from hashes of generated ids: 5% of households
 * praised (QUALIFIED, 100 points, QUALIFIED the month before), 5% UNQUALIFIED, the rest graded without earning a
 * notice or without evidence; 1–4 residents each, adults employed (55%), retired, freelance or other, the young at
 * school, as the demo district has them.
 */
const SEED_GRADES = `
WITH households AS MATERIALIZED (
  SELECT md5('bench-household:' || n)::uuid AS household_id, n,
         ($3::uuid[])[1 + n % cardinality($3::uuid[])] AS compound_id, abs(hashtext('grade:' || n)) % 100 AS roll
    FROM generate_series(1, $4::int) AS n
),
stored AS (
  INSERT INTO graded_household (month, household_id, district_id, compound_id, status, grade, previous_grade, score, issues, rule_version, event_at)
  SELECT $1::date, household_id, $2::uuid, compound_id,
         CASE WHEN roll >= 95 THEN 'NO_EVIDENCE' ELSE 'GRADED' END,
         CASE WHEN roll < 5 THEN 'QUALIFIED' WHEN roll < 10 THEN 'UNQUALIFIED' WHEN roll < 80 THEN 'QUALIFIED' WHEN roll < 95 THEN 'BASICALLY_QUALIFIED' END,
         CASE WHEN roll < 5 OR (roll >= 10 AND roll < 60) THEN 'QUALIFIED' WHEN roll < 95 THEN 'BASICALLY_QUALIFIED' END,
         CASE WHEN roll < 5 THEN 100 WHEN roll < 10 THEN 40 WHEN roll < 60 THEN 90 WHEN roll < 80 THEN 100 WHEN roll < 95 THEN 70 END,
         CASE WHEN roll >= 5 AND roll < 10 THEN ARRAY['KITCHEN_WASTE_CONTAMINATED', 'BAG_DUMPED'] ELSE '{}' END, 1, now()
    FROM households
)
INSERT INTO graded_resident (month, resident_id, household_id, occupation, institution_id, minor, masked_name, disclosure_basis, event_at)
SELECT $1::date, md5(h.household_id::text || ':' || r)::uuid, h.household_id, o.occupation,
       CASE o.occupation WHEN 'EMPLOYED' THEN ($5::uuid[])[1 + abs(hashtext('e' || h.n || r)) % cardinality($5::uuid[])]
                         WHEN 'STUDENT' THEN ($6::uuid[])[1 + abs(hashtext('s' || h.n || r)) % cardinality($6::uuid[])] END,
       o.occupation = 'STUDENT',
       CASE WHEN o.occupation IN ('RETIRED', 'FREELANCE') THEN substr('王李张刘陈杨黄赵吴周', 1 + abs(hashtext('n' || h.n || r)) % 10, 1) || '*明' END,
       CASE WHEN o.occupation IN ('RETIRED', 'FREELANCE') THEN 'CONSENT' END, now()
  FROM households h
  CROSS JOIN LATERAL generate_series(1, 1 + abs(hashtext('size' || h.n)) % 4) AS r
  CROSS JOIN LATERAL (
    SELECT CASE WHEN r > 1 AND abs(hashtext('a' || h.n || r)) % 100 >= 55 THEN 'STUDENT'
                WHEN abs(hashtext('o' || h.n || r)) % 100 < 55 THEN 'EMPLOYED'
                WHEN abs(hashtext('o' || h.n || r)) % 100 < 80 THEN 'RETIRED'
                WHEN abs(hashtext('o' || h.n || r)) % 100 < 90 THEN 'FREELANCE' ELSE 'OTHER' END AS occupation
  ) AS o`;

const db = await openServiceDatabase(await loadService(ServiceName.Notifications), serviceEnv);
try {
  await runMigrations(db);
  let started = Date.now();
  await notificationsDemoData.reset(db);
  await db.query(
    `INSERT INTO institution_copy (id, kind, name, version) SELECT id, kind, name, 1 FROM jsonb_to_recordset($1::jsonb) AS i(id uuid, kind text, name text)`,
    [JSON.stringify(plan.institutions)],
  );
  const compounds = plan.compounds.map((compound) => compound.id);
  const ofKind = (kind: string) => plan.institutions.filter((i) => i.kind === kind).map((i) => i.id);
  await db.query(SEED_GRADES, [monthStart(month), plan.district.id, compounds, households, ofKind('EMPLOYER'), ofKind('SCHOOL')]);
  // As if households had closed the month's objection window with no objection: the notices leave as they are made.
  await db.query(`INSERT INTO objection_window_closed (district_id, month, closed_at) VALUES ($1, $2, now())`, [
    plan.district.id,
    monthStart(month),
  ]);
  await db.query('ANALYZE');
  const { residents } = await queryOne<{ residents: number }>(db, `SELECT count(*)::int AS residents FROM graded_resident`);
  console.log(`Seeded ${households} graded households, ${residents} residents of ${month} (${seconds(Date.now() - started)})`);

  const receiver = fork(join(repoRoot(), 'dist/tools/src/bench-receiver.js'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const receiverPort = ((await nextMessage(receiver)) as { port: number }).port;
  // The receiver answers the notice addressees route too, in place of households.
  const worker = await startMeasuredService('notifications', { ...env, HOUSEHOLDS_INTERNAL_URL: `http://127.0.0.1:${receiverPort}` });
  const queue = new Queue(QueueName.NotificationsEvents, { connection: { url: serviceEnv.REDIS_URL }, prefix: QUEUE_PREFIX });
  try {
    // Every employer and school registers an endpoint, as an institution would with its API key.
    started = Date.now();
    const institutions = [...ofKind('EMPLOYER'), ...ofKind('SCHOOL')];
    for (const institutionId of institutions) {
      const caller = { userId: 'bench', roles: [Role.INSTITUTION], orgUnitId: null, householdId: null, institutionId, requestId: 'bench' };
      const response = await postAsGateway(worker, 'notifications', caller, {
        query: 'mutation($url: String!) { registerWebhookEndpoint(url: $url) { endpoint { id } } }',
        variables: { url: `http://127.0.0.1:${receiverPort}/hooks/${institutionId}` },
      });
      const { errors } = (await response.json()) as { errors?: unknown };
      if (errors) throw new Error(`registerWebhookEndpoint failed: ${JSON.stringify(errors)}`);
    }
    console.log(`Registered ${institutions.length} webhook endpoints (${seconds(Date.now() - started)})`);

    const payload: MonthlyEvaluationCompletedPayload = {
      month,
      districtId: plan.district.id,
      runId: randomUUID(),
      households,
      graded: Math.round(households * 0.95),
      noEvidence: Math.round(households * 0.05),
      grades: { QUALIFIED: 0, BASICALLY_QUALIFIED: 0, UNQUALIFIED: 0 },
    };
    const event: QueuedEvent = {
      id: randomUUID(),
      type: EventType.MonthlyEvaluationCompleted,
      source: ServiceName.Households,
      occurredAt: new Date().toISOString(),
      payloadJson: JSON.stringify(payload),
    };
    started = Date.now();
    await queue.add(event.type, event, { jobId: event.id });
    await until(async () => {
      const row = await queryFirst<{ notices_generated_at: Date | null }>(
        db,
        `SELECT notices_generated_at FROM evaluated_month WHERE month = $1`,
        [monthStart(month)],
      );
      return Boolean(row?.notices_generated_at);
    }, 30 * 60_000);
    const generationMs = Date.now() - started;
    const counts = await queryOne<{ notices: number; households: number; institutions: number; deliveries: number }>(
      db,
      `SELECT (SELECT count(*)::int FROM notice) AS notices, (SELECT count(DISTINCT household_id)::int FROM notice) AS households,
              (SELECT count(DISTINCT institution_id)::int FROM notice) AS institutions, (SELECT count(*)::int FROM webhook_delivery) AS deliveries`,
    );

    // Delivery: from the receiver's first request to the one that completed the set (they start once the notices
    // commit, possibly before this process has seen that they did).
    await until(async () => ((await ask(receiver, 'stats')) as ReceiverStats).distinct >= counts.deliveries, 60 * 60_000);
    const { firstAt, lastAt } = (await ask(receiver, 'stats')) as ReceiverStats;
    const deliveryMs = lastAt - firstAt;
    await until(async () => {
      const { open } = await queryOne<{ open: number }>(
        db,
        `SELECT count(*)::int AS open FROM webhook_delivery WHERE state <> 'SUCCEEDED'`,
      );
      return open === 0;
    }, 60_000);
    const delivered = (await ask(receiver, 'stats')) as ReceiverStats;
    const states = await queryOne<{ delivered: number }>(
      db,
      `SELECT count(*) FILTER (WHERE state = 'DELIVERED')::int AS delivered FROM notice`,
    );

    // The yardstick: the same number of POSTs of a similar body to the same receiver, nothing else.
    await ask(receiver, 'reset');
    const bareMs = await barePostLoop(receiverPort, counts.deliveries);

    const generationRate = counts.notices / (generationMs / 1000);
    const deliveryRate = counts.deliveries / (deliveryMs / 1000);
    const bareRate = counts.deliveries / (bareMs / 1000);
    const rows: [string, string][] = [
      [
        'notices',
        `${counts.notices} for ${counts.households} households (${((100 * counts.households) / households).toFixed(1)}%), ${counts.institutions} institutions`,
      ],
      ['generation (event → notices and deliveries committed)', `${seconds(generationMs)}   ${Math.round(generationRate)} notices/s`],
      [`webhook delivery (signed, ${CONCURRENCY} in flight)`, `${seconds(deliveryMs)}   ${Math.round(deliveryRate)} deliveries/s`],
      ['bare HTTP POST loop, same receiver', `${seconds(bareMs)}   ${Math.round(bareRate)} requests/s`],
      ['delivery / bare throughput', (deliveryRate / bareRate).toFixed(2)],
      ['received', `${delivered.requests} requests, ${delivered.distinct} distinct webhook-ids, ${delivered.duplicates} duplicates`],
      ['notices DELIVERED', String(states.delivered)],
      ['worker peak RSS', `${worker.peakRssMb()} MB`],
    ];
    const width = Math.max(...rows.map(([label]) => label.length)) + 2;
    console.log(`\nNotices for ${households} households (${residents} residents) of ${month}`);
    for (const [label, value] of rows) console.log(`  ${`${label}:`.padEnd(width)}${value}`);
  } finally {
    await queue.close();
    receiver.disconnect();
    await worker.stop();
  }
} finally {
  await db.destroy();
  await deleteKeys(serviceEnv.REDIS_URL, QUEUE_PREFIX);
}

interface ReceiverStats {
  requests: number;
  distinct: number;
  duplicates: number;
  firstAt: number;
  lastAt: number;
}

/** `count` POSTs of a notice-sized JSON body with webhook-like headers, `CONCURRENCY` at a time, kept alive. */
async function barePostLoop(port: number, count: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const body = JSON.stringify({
    type: 'notice.created',
    timestamp: new Date().toISOString(),
    data: { noticeId: randomUUID(), kind: 'PRAISE_LETTER', month },
  });
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/bare',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'webhook-id': `msg_${randomUUID()}` },
        },
        (response) => {
          response.resume();
          response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`status ${response.statusCode}`))));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next += 1;
        await post();
      }
    }),
  );
  const elapsed = Date.now() - started;
  agent.destroy();
  return elapsed;
}

function nextMessage(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve) => child.once('message', resolve));
}

async function ask(child: ChildProcess, question: string): Promise<unknown> {
  const answer = nextMessage(child);
  child.send(question);
  return answer;
}
