import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { EnvironmentError } from '#libs/config';
import { parseServiceEnvironment } from '#libs/platform';
import { parseGatewayEnvironment } from '../../../gateway/src/gateway-environment.js';
import { preflight } from './preflight.js';
import { PROCESS_NODE_ARGS } from './node-args.js';
import { repoRoot } from './repo-root.js';
import { migrateAndSeed } from './seed.js';
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

try {
  loadLocalEnvironment();
  const gatewayEnv = parseGatewayEnvironment();
  const baseEnv = parseServiceEnvironment(0);
  const problems = await preflight(baseEnv.DATABASE_URL, baseEnv.REDIS_URL);
  if (problems.length > 0) {
    console.error(`Cannot start:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  await migrateAndSeed({ reset: false, env: (service) => parseServiceEnvironment(service.defaultPort) });

  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  for (const name of SERVICE_NAMES) {
    launch(name, dist(`dist/services/${name}/src/main.js`), { PORT: String(DEFAULT_PORTS[name]) });
  }
  await Promise.all(SERVICE_NAMES.map((name) => waitForHealth(name, `http://127.0.0.1:${DEFAULT_PORTS[name]}/health`)));
  launch('gateway', dist('dist/gateway/src/main.js'), { PORT: String(gatewayEnv.PORT) });
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
    env: { LOG_LEVEL: 'warn', ...withoutGatewaySigningKey(name, process.env), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.set(name, child);
  const prefix = `[${name}]`.padEnd(16);
  for (const stream of [child.stdout!, child.stderr!]) {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) console.log(`${prefix}${line}`);
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
    (child) => new Promise<void>((resolve) => {
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

/** Only the gateway gets its private signing key: a service holds the public half (GATEWAY_VERIFY_KEY) alone. */
function withoutGatewaySigningKey(name: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (name === 'gateway') return env;
  const { GATEWAY_SIGNING_KEY: _signingKey, ...rest } = env;
  return rest;
}
