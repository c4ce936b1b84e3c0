import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Role, signAccessToken } from '#libs/auth';
import { previousMonth, shanghaiMonth } from '#libs/calendar';
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, generateDevelopmentSecrets } from '#libs/config';
import { planDistrict } from '#libs/demo-data';
import { parseServiceEnvironment } from '#libs/platform';
import { deleteKeys, peakRssOf, until } from './bench-support.js';
import { freePort } from './free-port.js';
import { PROCESS_NODE_ARGS } from './node-args.js';
import { repoRoot } from './repo-root.js';
import { migrateAndSeed } from './seed.js';
import { SERVICE_NAMES } from './services.js';

/**
 * `npm run build && node dist/tools/src/bench-memory.js [--households N] [--months M] [--seconds S] [--concurrency C]`:
 * the resident memory of every process under a district's load, from which the manifests' requests and limits are
 * set (docs/operations.md, "Memory and CPU"). Seeds the demo district (N households, default 24,000, and M graded months,
 * default 12) into databases of its own (prefix `waste_bench_memory_`), starts the four services and the gateway as
 * production runs them (separate processes, the image's Node flags: a 384 MB heap cap), then drives three phases:
 * the intake of the seed's events (every service relays and consumes them, notifications makes the year's notices),
 * a month (the district's monthly evaluation through the gateway, and the events it publishes), and S seconds of C
 * concurrent readers through the gateway with the console's example operations. Prints each process's peak resident
 * set (VmHWM, what the kernel counts against a container's memory limit) after each phase.
 */
const { values } = parseArgs({
  options: {
    households: { type: 'string', default: '24000' },
    months: { type: 'string', default: '12' },
    seconds: { type: 'string', default: '120' },
    concurrency: { type: 'string', default: '16' },
  },
});
const [households, months, seconds, concurrency] = [values.households, values.months, values.seconds, values.concurrency].map(Number);
if (![households, months, seconds, concurrency].every((n) => Number.isInteger(n) && n >= 1)) {
  throw new Error('--households, --months, --seconds and --concurrency take positive whole numbers');
}

const PREFIX = 'waste-bench-memory';
const env: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  DATABASE_URL: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
  REDIS_URL: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
  ...generateDevelopmentSecrets(),
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  DATABASE_NAME_PREFIX: 'waste_bench_memory_',
  QUEUE_PREFIX: PREFIX,
  RATE_LIMIT_PREFIX: `${PREFIX}:ratelimit`,
  // The readers are one user: the per-user allowance would turn the load into 429s.
  GRAPHQL_REQUESTS_PER_USER_MINUTE: '1000000',
};
const plan = planDistrict();
const month = previousMonth(shanghaiMonth());
const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(0)} s`;

interface Measured {
  name: string;
  url: string;
  child: ChildProcess;
}
const processes: Measured[] = [];

async function launch(name: string, script: string, extra: Record<string, string>, given?: number): Promise<Measured> {
  const port = given ?? (await freePort());
  const child = spawn(process.execPath, [...PROCESS_NODE_ARGS, join(repoRoot(), script)], {
    env: { ...env, ...extra, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const measured = { name, url: `http://127.0.0.1:${port}`, child };
  processes.push(measured);
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    return (await fetch(`${measured.url}/health/ready`).catch(() => null))?.ok === true;
  }, 120_000);
  return measured;
}

/**
 * Jobs waiting or running in the service's queues and events not yet relayed, from its /metrics. Delayed jobs are
 * left out: they are the job schedulers' next firings and deliveries waiting for their retry, never zero.
 */
async function backlogOf(service: Measured): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  let backlog = 0;
  for (const line of text.split('\n')) {
    const queued = /^waste_queue_jobs\{[^}]*state="(?:waiting|active)"[^}]*\} (\d+)/.exec(line);
    const pending = /^waste_outbox_pending_events(?:\{[^}]*\})? (\d+)/.exec(line);
    backlog += Number(queued?.[1] ?? pending?.[1] ?? 0);
  }
  return backlog;
}

function report(phase: string): void {
  const row = processes.map((p) => `${p.name} ${Math.round(peakRssOf(p.child.pid!) / 1024)} MiB`).join(', ');
  console.log(`  peak RSS after ${phase}: ${row}`);
}

try {
  let started = Date.now();
  console.log(`Seeding ${households} households with ${months} graded months…`);
  await migrateAndSeed({
    reset: true,
    households,
    gradedMonths: months,
    env: (service) => parseServiceEnvironment(service.defaultPort, env),
    log: () => undefined,
  });
  console.log(`  seeded in ${elapsed(started)}`);

  const householdsPort = await freePort();
  const services: Measured[] = [];
  for (const name of SERVICE_NAMES) {
    const extra: Record<string, string> = { HOUSEHOLDS_INTERNAL_URL: `http://127.0.0.1:${householdsPort}` };
    // households on the port the others were told.
    const port = String(name) === 'households' ? householdsPort : undefined;
    services.push(await launch(name, `dist/services/${name}/src/main.js`, extra, port));
  }
  const routes = Object.fromEntries(services.map((s) => [`${s.name.toUpperCase()}_URL`, `${s.url}/graphql`]));
  const gateway = await launch('gateway', 'dist/gateway/src/main.js', { ...routes, GATEWAY_LISTEN_HOST: '127.0.0.1' });

  started = Date.now();
  const idle = () => until(async () => (await Promise.all(services.map(backlogOf))).every((n) => n === 0), 30 * 60_000);
  await idle();
  console.log(`Intake of the seed's events: ${elapsed(started)}`);
  report('intake');

  const token = await signAccessToken(
    { sub: 'bench-memory', roles: [Role.DISTRICT_ADMIN], orgUnitId: null, householdId: null, institutionId: null },
    env.JWT_SECRET,
  );
  const graphql = async <Data = unknown>(query: string, variables: Record<string, unknown>, operationName?: string) => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables, operationName }),
    });
    return (await response.json()) as { data?: Data; errors?: unknown[] };
  };

  started = Date.now();
  const run = await graphql<{ runMonthlyEvaluation: { id: string } }>(
    `
      mutation ($m: String!, $o: ID!) {
        runMonthlyEvaluation(month: $m, orgUnitId: $o) {
          id
        }
      }
    `,
    {
      m: month,
      o: plan.district.id,
    },
  );
  const runId = run.data?.runMonthlyEvaluation.id;
  if (!runId) throw new Error(`runMonthlyEvaluation failed: ${JSON.stringify(run.errors)}`);
  await until(async () => {
    const { data } = await graphql<{ evaluationRun: { status: string } }>(
      `
        query ($id: ID!) {
          evaluationRun(id: $id) {
            status
          }
        }
      `,
      {
        id: runId,
      },
    );
    const status = data?.evaluationRun.status;
    if (status === 'FAILED') throw new Error('The evaluation run failed');
    return status === 'COMPLETED';
  }, 30 * 60_000);
  await idle();
  console.log(`A month (the district's evaluation of ${month} and its events): ${elapsed(started)}`);
  report('the month');

  const operation = (file: string) => readFileSync(join(repoRoot(), 'examples/operations', file), 'utf8');
  const page = await graphql<{ households: { edges: { node: { id: string } }[] } }>(
    operation('households-page.graphql'),
    { orgUnitId: plan.streets[0].id, month, first: 1 },
    'HouseholdsPage',
  );
  const someHousehold = page.data?.households.edges[0]?.node.id;
  const mix: [string, Record<string, unknown>, string][] = [
    [operation('households-page.graphql'), { orgUnitId: plan.streets[1].id, month, first: 50 }, 'HouseholdsPage'],
    [operation('monthly-grades.graphql'), { householdId: someHousehold }, 'HouseholdMonthlyGrades'],
    [operation('monthly-grades.graphql'), { orgUnitId: plan.district.id, month }, 'SortingStatsOfMonth'],
    [operation('notices.graphql'), { month, first: 50 }, 'Notices'],
    [operation('cases.graphql'), { orgUnitId: plan.district.id, first: 50 }, 'Cases'],
    [operation('joint-actions.graphql'), { unitId: plan.district.id }, 'JointActions'],
    [operation('viewer.graphql'), {}, 'Viewer'],
  ];
  started = Date.now();
  let requests = 0;
  let failed = 0;
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, reader) => {
      for (let i = reader; Date.now() < deadline; i++) {
        const [query, variables, name] = mix[i % mix.length];
        const answer = await graphql(query, variables, name);
        requests++;
        if (answer.errors) failed++;
      }
    }),
  );
  console.log(`Readers: ${requests} operations in ${elapsed(started)} (${concurrency} at a time), ${failed} with errors`);
  report('the readers');
} finally {
  await Promise.all(
    processes.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  await deleteKeys(env.REDIS_URL, PREFIX);
}
