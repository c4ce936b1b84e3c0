import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { signAccessToken, type Role } from '#libs/auth';
import { queryOne, serviceDatabaseName, withDatabase } from '#libs/database';
import { planDistrict, type DistrictPlan } from '#libs/demo-data';
import { QueueName, ServiceName } from '#libs/messaging';
import { parseServiceEnvironment, serviceRuntime, type DemoData } from '#libs/platform';
import { createGateway, readSupergraph } from '#gateway/create-gateway';
import { parseGatewayEnvironment } from '#gateway/gateway-environment';
import { createLogger } from '#libs/observability';
import { postGraphQL, testEnvironment, waitFor, type GraphQLResponse } from '#libs/testing';
import { freePort } from '../free-port.js';
import { PROCESS_NODE_ARGS } from '../node-args.js';
import { repoRoot } from '../repo-root.js';
import { SERVICE_NAMES, loadDemoData, loadService } from '../services.js';

export interface PlatformOptions {
  /**
   * Services to run inside the test process, from source, so the test can observe them (count their SQL, read
   * their logger). The others run as separate processes from dist/, exactly as `npm start` runs them. At most one
   * service can run in-process: NestJS keeps GraphQL types per process.
   */
  inProcess?: ServiceName;
  /** Size of the demo district: streets of the real list (default 2) and households over them (default 240). */
  streets?: number;
  households?: number;
  /**
   * The demo district's objection window in days. Default 0: a month's notices leave as soon as they are made, as
   * tests of notices, webhooks and minors expect; a test of objections asks for a real window and closes it by firing
   * households' `objection-window.close` job with a later `firedAt`.
   */
  objectionWindowDays?: number;
  /**
   * Complete months before the current one that are inspected and graded. Default 2 (the demo has 12): tests need a
   * month and the one before it, and each further month costs every platform start its grading and notices.
   */
  gradedMonths?: number;
  /**
   * Keeps every process's log: the services' stdout (child processes) and the gateway's lines, all at LOG_LEVEL=log,
   * parsed from their JSON, for tests of what the logs say (`platform.logLines()`).
   */
  captureLogs?: boolean;
}

/** One JSON line a process logged, and which process (a service's name, or `gateway`). */
export type LogLine = Record<string, unknown> & { process: string };

export interface TestPlatform {
  gatewayUrl: string;
  plan: DistrictPlan;
  env: Record<string, string>;
  /** Base URL (http://127.0.0.1:port) of each running service. */
  serviceUrls: Map<ServiceName, string>;
  /** The in-process service's Nest application, when one was asked for. */
  inProcessApp?: INestApplication;
  /** Every line logged so far by the platform's processes, with `captureLogs` (none without). */
  logLines(): LogLine[];
  /** A raw connection to a service's own database, for arranging and checking state. */
  database(service: ServiceName): DataSource;
  /** A short-lived token; `institutionId` names a PROPERTY_MANAGER's property company. */
  token(
    roles: Role[],
    orgUnitId?: string | null,
    sub?: string,
    householdId?: string | null,
    institutionId?: string | null,
  ): Promise<string>;
  query<Data = Record<string, any>>(
    token: string | null,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<Data>>;
  stop(): Promise<void>;
}

/**
 * The whole platform for an end-to-end test: four services with fresh databases seeded with a small demo district,
 * their territory copies (and enforcement's household copy) in sync, and the gateway in front, all on free ports with
 * their own queues and secrets.
 */
export async function startPlatform(options: PlatformOptions = {}): Promise<TestPlatform> {
  const env = testEnvironment(options.captureLogs ? { LOG_LEVEL: 'log' } : {});
  const logLines: LogLine[] = [];
  const keepLine = (text: string) => {
    try {
      const line = JSON.parse(text) as unknown;
      if (line && typeof line === 'object' && 'process' in line) logLines.push(line as LogLine);
    } catch {
      // Not a log line (a warning Node printed): not the platform's log.
    }
  };
  const plan = planDistrict({ streets: options.streets ?? 2 });
  const serviceUrls = new Map<ServiceName, string>();
  const children: ChildProcess[] = [];
  const databases = new Map<ServiceName, DataSource>();
  let inProcessApp: INestApplication | undefined;
  let httpServer: Server | undefined;
  let gateway: ReturnType<typeof createGateway> | undefined;

  const stop = async () => {
    await gateway?.stop();
    await new Promise((resolve) => (httpServer ? httpServer.close(resolve) : resolve(undefined)));
    await inProcessApp?.close();
    await Promise.all(children.map(stopChild));
    await Promise.all([...databases.values()].filter((ds) => ds.isInitialized).map((ds) => ds.destroy()));
    await deleteQueues(env.REDIS_URL, env.QUEUE_PREFIX);
  };

  try {
    // households first: the others are told its URL (notifications asks it whom notices are addressed to).
    const startService = async (name: ServiceName) => {
      let port: number;
      if (name === options.inProcess) {
        const definition = await loadService(name);
        ({ app: inProcessApp, port } = await listenInProcess(definition, env));
      } else {
        let child: ChildProcess;
        ({ child, port } = await startChildService(name, env, options.captureLogs ? keepLine : undefined));
        children.push(child);
      }
      serviceUrls.set(name, `http://127.0.0.1:${port}`);
    };
    await startService(ServiceName.Households);
    env.HOUSEHOLDS_INTERNAL_URL = serviceUrls.get(ServiceName.Households)!;
    await Promise.all(SERVICE_NAMES.filter((name) => name !== ServiceName.Households).map(startService));

    for (const name of SERVICE_NAMES) {
      const dataSource = new DataSource({
        type: 'postgres',
        url: withDatabase(env.DATABASE_URL, serviceDatabaseName(name, env.DATABASE_NAME_PREFIX)),
      });
      databases.set(name, await dataSource.initialize());
    }
    const demoData = new Map<ServiceName, DemoData>();
    for (const name of SERVICE_NAMES) demoData.set(name, await loadDemoData(name));
    for (const name of SERVICE_NAMES) await demoData.get(name)!.reset(databases.get(name)!);
    for (const name of SERVICE_NAMES) {
      await demoData.get(name)!.seed(databases.get(name)!, plan, {
        households: options.households ?? 240,
        objectionWindowDays: options.objectionWindowDays ?? 0,
        gradedMonths: options.gradedMonths ?? 2,
      });
    }
    // The seed's events (territory, institutions, households, the demo months' grades and completions) fill the other
    // services' copies and start their work (notices, vanguard scores). A test starts once all of it is done, so what it
    // arranges is never overtaken by the seed's own events still on their way.
    await waitFor("the seed's events to be delivered and handled", () => platformSettled(databases, env), 90_000);

    const gatewayEnv = parseGatewayEnvironment({
      ...env,
      PORT: '0',
      ...Object.fromEntries([...serviceUrls].map(([name, url]) => [`${name.toUpperCase()}_URL`, `${url}/graphql`])),
    });
    const logger = options.captureLogs ? createLogger(gatewayEnv, 'gateway', { write: keepLine }) : undefined;
    gateway = createGateway(gatewayEnv, await readSupergraph(join(repoRoot(), 'gateway/supergraph.graphql')), { logger });
    httpServer = createServer(gateway.app);
    await gateway.start(httpServer);
    await new Promise<void>((resolve) => httpServer!.listen(0, '127.0.0.1', resolve));
  } catch (error) {
    await stop();
    throw error;
  }

  const gatewayUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
  return {
    gatewayUrl,
    plan,
    env,
    serviceUrls,
    inProcessApp,
    logLines: () => [...logLines],
    database: (name) => databases.get(name)!,
    token: (roles, orgUnitId = null, sub = `test-${roles[0].toLowerCase()}`, householdId = null, institutionId = null) =>
      signAccessToken({ sub, roles, orgUnitId, householdId, institutionId }, env.JWT_SECRET, 600),
    query: (token, query, variables = {}) => postGraphQL(gatewayUrl, query, variables, token ? { authorization: `Bearer ${token}` } : {}),
    stop,
  };
}

/**
 * Each child service starts on port 0 and says, over its IPC channel, which port the system gave it. No port is probed
 * first, so none can be taken between a probe and the listen (by another test worker, or by an outgoing connection,
 * which draws from the same range), and no other process's /health is ever mistaken for this one's.
 */
async function startChildService(
  name: ServiceName,
  env: Record<string, string>,
  onLine?: (line: string) => void,
): Promise<{ child: ChildProcess; port: number }> {
  const { child, stderr } = spawnService(name, { ...env, PORT: '0' }, onLine);
  try {
    // A bound, not a speed target: four services starting at once on a busy 2-core machine can take a while.
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} was not listening within 90 s:\n${stderr()}`)), 90_000);
      child.on('message', (message: { listening?: unknown } | null) => {
        if (typeof message?.listening !== 'number') return;
        clearTimeout(timer);
        resolve(message.listening);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code}) before it was listening:\n${stderr()}`));
      });
    });
    await waitFor(`${name} to be healthy`, async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, 90_000);
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGTERM') console.error(`${name} exited (${signal ?? code}):\n${stderr()}`);
    });
    return { child, port };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/** An in-process service probes a free port and listens on it, again on another should the port be taken meanwhile. */
const PORT_ATTEMPTS = 5;

async function listenInProcess(
  definition: Awaited<ReturnType<typeof loadService>>,
  env: Record<string, string>,
): Promise<{ app: INestApplication; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const app = await NestFactory.create(
      definition.module(serviceRuntime(definition, parseServiceEnvironment(port, { ...env, PORT: String(port) }), 'serve')),
      { logger: ['error', 'warn'], rawBody: true },
    );
    try {
      await app.listen(port, '127.0.0.1');
      return { app, port };
    } catch (error) {
      await app.close();
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === PORT_ATTEMPTS) throw error;
    }
  }
}

function spawnService(
  name: ServiceName,
  env: Record<string, string>,
  onLine?: (line: string) => void,
): { child: ChildProcess; stderr: () => string } {
  const script = join(repoRoot(), `dist/services/${name}/src/main.js`);
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` before the integration tests`);
  const child = spawn(process.execPath, [...PROCESS_NODE_ARGS, script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // What the process said last, from both streams (its log, errors included, is on stdout), for a failure message.
  let stderr = '';
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr = (stderr + text).slice(-4000);
    if (!onLine) return;
    const lines = (partial + text).split('\n');
    partial = lines.pop()!;
    for (const line of lines) onLine(line);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return { child, stderr: () => stderr };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Whether nothing is left to deliver or handle: every service's outbox is published and no queue has a job waiting or
 * running (scheduled jobs wait as delayed ones and do not count). Queues are looked at before and after the outboxes,
 * so an event a handler records while being looked at is seen either as unpublished or as a waiting job.
 */
async function platformSettled(databases: Map<ServiceName, DataSource>, env: Record<string, string>): Promise<boolean> {
  const queues = Object.values(QueueName).map((name) => new Queue(name, { connection: { url: env.REDIS_URL }, prefix: env.QUEUE_PREFIX }));
  try {
    const idle = async () =>
      (await Promise.all(queues.map((queue) => queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children')))).every(
        (counts) => Object.values(counts).every((count) => count === 0),
      );
    if (!(await idle())) return false;
    for (const database of databases.values()) {
      const { pending } = await queryOne<{ pending: number }>(
        database,
        `SELECT count(*)::int AS pending FROM outbox_event WHERE published_at IS NULL`,
      );
      if (pending > 0) return false;
    }
    return idle();
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
  }
}

/** Removes every Redis key of a test's queues. */
async function deleteQueues(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A household of the demo district as the households registry holds it, for tests that name real households. */
export interface SeededHousehold {
  id: string;
  compoundId: string;
  communityId: string;
  /** The compound's ancestors from the district down to and including it. */
  compoundPath: string[];
  floatingPopulation: boolean;
}

/** The registry's households, in id order (the same on every run of a plan and size). */
export async function seededHouseholds(platform: TestPlatform): Promise<SeededHousehold[]> {
  return platform.database(ServiceName.Households).query(
    `SELECT h.id, h.compound_id AS "compoundId", t.parent_id AS "communityId", t.path::text[] AS "compoundPath",
            h.floating_population AS "floatingPopulation"
       FROM household h JOIN territory_unit t ON t.id = h.compound_id
      ORDER BY h.id`,
  );
}
