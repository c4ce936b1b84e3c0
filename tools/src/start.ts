import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { EnvironmentError } from '#libs/config';
import { parseServiceEnvironment } from '#libs/platform';
import { parseGatewayEnvironment } from '#gateway/gateway-environment';
import { preflight } from './preflight.js';
import { PROCESS_NODE_ARGS } from './node-args.js';
import { repoRoot } from './repo-root.js';
import { migrateAndSeed, refuseDemoDataInProduction } from './seed.js';
import { DEFAULT_PORTS } from '#libs/messaging';
import { SERVICE_NAMES } from './services.js';
import { loadLocalEnvironment } from './local-env.js';

/**
 * `npm start`: checks PostgreSQL and Redis, migrates every database, seeds the demo district where empty, starts the
 * four services and the gateway as child processes, and prints the gateway URL once everything answers /health.
 * Ctrl-C (or SIGTERM) stops them all, each finishing its work in hand first.
 */
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const dist = (path: string) => join(repoRoot(), path);

const children = new Map<string, ChildProcess>();
let stopping = false;

// Refused entirely rather than started without the demo: this is the one-machine development launcher (five processes
// under one parent, secrets from .env.local, the demo district in empty databases). Production runs the migration
// Job, then each process from the image under its orchestrator, which restarts, scales and drains them one by one.
refuseDemoDataInProduction(
  'npm start',
  'In production run node dist/tools/src/migrate-cli.js, then each process from the image (docs/operations.md, "Deploying").',
);

/**
 * A terminal gets each child's JSON lines as pino-pretty's readable ones (the children write to a pipe, so they log
 * JSON); a pipe or file keeps the JSON. pino-pretty is a development dependency, loaded only when there is a terminal.
 */
const readable: ((line: string) => string) | undefined = process.stdout.isTTY
  ? await import('pino-pretty')
      .then(({ prettyFactory }) =>
        prettyFactory({ colorize: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,process' }),
      )
      .catch(() => undefined)
  : undefined;

try {
  loadLocalEnvironment();
  const gatewayEnv = parseGatewayEnvironment();
  const baseEnv = parseServiceEnvironment(0);
  const problems = await preflight(baseEnv.DATABASE_URL, baseEnv.REDIS_URL);
  if (problems.length > 0) {
    console.error(`Cannot start:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  const demo = demoSize(process.env);
  await migrateAndSeed({ reset: false, ...demo, env: (service) => parseServiceEnvironment(service.defaultPort) });

  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  const ports = servicePorts(process.env);
  const households = `http://127.0.0.1:${ports.households}`;
  for (const name of SERVICE_NAMES) {
    launch(name, dist(`dist/services/${name}/src/main.js`), { PORT: String(ports[name]), HOUSEHOLDS_INTERNAL_URL: households });
  }
  await Promise.all(SERVICE_NAMES.map((name) => waitForHealth(name, `http://127.0.0.1:${ports[name]}/health`)));
  const subgraphUrls = Object.fromEntries(
    SERVICE_NAMES.map((name) => [`${name.toUpperCase()}_URL`, `http://127.0.0.1:${ports[name]}/graphql`]),
  );
  launch('gateway', dist('dist/gateway/src/main.js'), { PORT: String(gatewayEnv.PORT), ...subgraphUrls });
  await waitForHealth('gateway', `http://127.0.0.1:${gatewayEnv.PORT}/health`);
  console.log(`
  Waste-sorting platform is up.
    GraphQL:  http://localhost:${gatewayEnv.PORT}/graphql
    Token:    npm run token -- --role DISTRICT_ADMIN
    Stop:     Ctrl-C
`);
} catch (error) {
  console.error(error instanceof EnvironmentError ? error.message : error);
  await stopAll(1);
}

function launch(name: string, script: string, env: Record<string, string>): void {
  // Its own process group, so a terminal's Ctrl-C reaches only us and each child gets exactly one SIGTERM.
  const child = spawn(process.execPath, [...PROCESS_NODE_ARGS, script], {
    // Module-by-module start-up lines would bury the banner; LOG_LEVEL=log brings them back.
    env: { LOG_LEVEL: 'warn', ...ownSecretsOnly(name, process.env), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.set(name, child);
  const prefix = `[${name}]`.padEnd(16);
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) console.log(`${prefix}${readable && line.startsWith('{') ? readable(line).trimEnd() : line}`);
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`${prefix}exited unexpectedly (${signal ?? `code ${code}`}); stopping the platform.`);
      void stopAll(1);
    }
  });
}

async function waitForHealth(name: string, url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!children.has(name)) throw new Error(`${name} exited before it was ready`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} was not healthy at ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}

async function stopAll(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const exits = [...children.values()].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  const timer = setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, STOP_TIMEOUT_MS);
  await Promise.all(exits);
  clearTimeout(timer);
  process.exit(exitCode);
}

/**
 * Where each service listens: `<SERVICE>_PORT` (ORGANIZATION_PORT, HOUSEHOLDS_PORT, ENFORCEMENT_PORT,
 * NOTIFICATIONS_PORT), else its default; the gateway's is its own PORT. A second platform, such as the test of this
 * command beside a running one, picks others; the gateway and notifications are told where the services are.
 */
function servicePorts(env: NodeJS.ProcessEnv): Record<(typeof SERVICE_NAMES)[number], number> {
  const ports = Object.fromEntries(
    SERVICE_NAMES.map((name) => {
      const given = env[`${name.toUpperCase()}_PORT`]?.trim();
      const port = given ? Number(given) : DEFAULT_PORTS[name];
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new EnvironmentError([`${name.toUpperCase()}_PORT: must be a port number 1–65535`]);
      return [name, port];
    }),
  );
  return ports as Record<(typeof SERVICE_NAMES)[number], number>;
}

/**
 * The demo district written into empty databases: `DEMO_HOUSEHOLDS` households (default 24,000) and
 * `DEMO_GRADED_MONTHS` graded months (default 12), for a lighter demo or a quicker test of this command.
 */
function demoSize(env: NodeJS.ProcessEnv): { households?: number; gradedMonths?: number } {
  const read = (name: string, min: number, max: number) => {
    const given = env[name]?.trim();
    if (!given) return undefined;
    const value = Number(given);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new EnvironmentError([`${name}: must be a whole number ${min}–${max}`]);
    return value;
  };
  return { households: read('DEMO_HOUSEHOLDS', 0, 1_000_000), gradedMonths: read('DEMO_GRADED_MONTHS', 1, 24) };
}

/**
 * Each process gets only its own secrets: the gateway its private signing key and the development-token secret, the
 * services the public half and their shared CONTEXT_SIGNING_SECRET (and notifications its webhook key).
 */
function ownSecretsOnly(name: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (name === 'gateway') {
    const { CONTEXT_SIGNING_SECRET: _services, WEBHOOK_SECRET_KEY: _notifications, GATEWAY_VERIFY_KEY: _publicHalf, ...gateway } = env;
    return gateway;
  }
  const { GATEWAY_SIGNING_KEY: _signingKey, JWT_SECRET: _tokens, ...service } = env;
  return service;
}
