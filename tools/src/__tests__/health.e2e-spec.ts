import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Role, signAccessToken } from '#libs/auth';
import { MIGRATION_LOCK_KEY, ensureDatabase, serviceDatabaseName, withDatabase } from '#libs/database';
import { ServiceName } from '#libs/messaging';
import { testEnvironment, waitFor, workerDatabasePrefix } from '#libs/testing';
import { createGateway, readSupergraph, type Gateway } from '#gateway/create-gateway';
import { parseGatewayEnvironment } from '#gateway/gateway-environment';
import { freePort } from '../free-port.js';
import { PROCESS_NODE_ARGS } from '../node-args.js';
import { repoRoot } from '../repo-root.js';
import { SERVICE_NAMES, loadService } from '../services.js';

interface Answer {
  status: number;
  body: any;
}

async function get(url: string): Promise<Answer> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

/**
 * One service, run from dist/ as `npm start` and the containers run it, and the gateway in this process with every
 * subgraph routed to that service: while it runs, the gateway's aggregate `/health` is 200; once it is stopped, only
 * the aggregate turns 503 and the gateway stays ready.
 */
describe('liveness and readiness', () => {
  const env = testEnvironment();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let stderr = '';
  let serviceUrl: string;
  let gateway: Gateway | undefined;
  let httpServer: Server | undefined;
  let gatewayUrl: string;

  beforeAll(async () => {
    const service = spawn(
      process.execPath,
      [...PROCESS_NODE_ARGS, join(repoRoot(), `dist/services/${ServiceName.Organization}/src/main.js`)],
      {
        env: { ...process.env, ...env, PORT: '0', SHUTDOWN_DRAIN_MS: '3000' },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      },
    );
    child = service;
    service.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    exited = new Promise((resolve) => service.once('exit', () => resolve()));
    const port = await new Promise<number>((resolve, reject) => {
      service.on('message', (message: { listening?: unknown } | null) => {
        if (typeof message?.listening === 'number') resolve(message.listening);
      });
      service.once('exit', (code) => reject(new Error(`organization exited (${code}) before it was listening:\n${stderr}`)));
    });
    serviceUrl = `http://127.0.0.1:${port}`;
    await waitFor('organization to be healthy', async () => (await fetch(`${serviceUrl}/health`)).ok, 90_000);

    const routes = Object.fromEntries(SERVICE_NAMES.map((name) => [`${name.toUpperCase()}_URL`, `${serviceUrl}/graphql`]));
    const started = createGateway(
      parseGatewayEnvironment({ ...env, PORT: '0', ...routes }),
      await readSupergraph(join(repoRoot(), 'gateway/supergraph.graphql')),
    );
    gateway = started;
    const server = createServer(started.app);
    httpServer = server;
    await started.start(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await gateway?.stop();
    await new Promise((resolve) => (httpServer?.listening ? httpServer.close(resolve) : resolve(undefined)));
    await deleteKeys(env.REDIS_URL, env.QUEUE_PREFIX);
  });

  it('a running service is live and ready', async () => {
    expect(await get(`${serviceUrl}/health/live`)).toEqual({ status: 200, body: { status: 'ok', service: 'organization' } });
    expect(await get(`${serviceUrl}/health/ready`)).toEqual({
      status: 200,
      body: { status: 'ok', service: 'organization', checks: { database: 'up', redis: 'up', draining: false } },
    });
    expect((await get(`${serviceUrl}/health`)).status).toBe(200);
  });

  it('a running gateway is live and ready, and healthy while its subgraphs are', async () => {
    expect((await get(`${gatewayUrl}/health/live`)).status).toBe(200);
    expect(await get(`${gatewayUrl}/health/ready`)).toEqual({
      status: 200,
      body: { status: 'ok', service: 'gateway', checks: { supergraph: 'up', draining: false } },
    });
    expect((await get(`${gatewayUrl}/health`)).status).toBe(200);
  });

  it('on SIGTERM a service answers not-ready, draining, while it still serves, and then exits', async () => {
    child!.kill('SIGTERM');
    const notReady = await waitFor('readiness to turn 503', async () => {
      const answer = await get(`${serviceUrl}/health/ready`);
      return answer.status === 503 && answer;
    });
    expect(notReady.body).toEqual({
      status: 'unavailable',
      service: 'organization',
      checks: { database: 'unchecked', redis: 'unchecked', draining: true },
    });
    // Still accepting requests: the load balancer has SHUTDOWN_DRAIN_MS to notice before connections are refused.
    expect((await get(`${serviceUrl}/health/live`)).status).toBe(200);
    expect((await get(`${serviceUrl}/health/ready`)).status).toBe(503);
    await exited;
    expect(child!.signalCode).toBe('SIGTERM');
    await expect(fetch(`${serviceUrl}/health/live`)).rejects.toThrow();
  });

  it('with a subgraph stopped the gateway stays live and ready while its aggregate /health is 503', async () => {
    await waitFor('the aggregate health to turn 503', async () => (await get(`${gatewayUrl}/health`)).status === 503);
    expect((await get(`${gatewayUrl}/health`)).body.checks).toMatchObject({ organization: 'down' });
    expect((await get(`${gatewayUrl}/health/live`)).status).toBe(200);
    expect((await get(`${gatewayUrl}/health/ready`)).status).toBe(200);
  });

  it('a draining gateway answers not-ready but stays live', async () => {
    gateway!.drain();
    expect(await get(`${gatewayUrl}/health/ready`)).toEqual({
      status: 503,
      body: { status: 'unavailable', service: 'gateway', checks: { supergraph: 'up', draining: true } },
    });
    expect((await get(`${gatewayUrl}/health/live`)).status).toBe(200);
  });

  it('on SIGTERM the gateway process answers not-ready, draining, while it still serves, and then exits', async () => {
    const routes = Object.fromEntries(SERVICE_NAMES.map((name) => [`${name.toUpperCase()}_URL`, `${serviceUrl}/graphql`]));
    const process_ = spawn(process.execPath, [...PROCESS_NODE_ARGS, join(repoRoot(), 'dist/gateway/src/main.js')], {
      env: { ...process.env, ...env, ...routes, PORT: '0', GATEWAY_LISTEN_HOST: '127.0.0.1', SHUTDOWN_DRAIN_MS: '3000' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let output = '';
    process_.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    const gone = new Promise<void>((resolve) => process_.once('exit', () => resolve()));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        process_.on('message', (message: { listening?: unknown } | null) => {
          if (typeof message?.listening === 'number') resolve(message.listening);
        });
        process_.once('exit', (code) => reject(new Error(`the gateway exited (${code}) before it was listening:\n${output}`)));
      });
      const url = `http://127.0.0.1:${port}`;
      expect((await get(`${url}/health/ready`)).status).toBe(200);
      process_.kill('SIGTERM');
      const notReady = await waitFor('readiness to turn 503', async () => {
        const answer = await get(`${url}/health/ready`);
        return answer.status === 503 && answer;
      });
      expect(notReady.body).toEqual({ status: 'unavailable', service: 'gateway', checks: { supergraph: 'up', draining: true } });
      expect((await get(`${url}/health/live`)).status).toBe(200);
      await gone;
      await expect(fetch(`${url}/health/live`)).rejects.toThrow();
    } finally {
      process_.kill('SIGTERM');
      await gone;
    }
  });
});

/**
 * Readiness follows what the process can do, proven on one organization process of its own: it does not listen (so
 * its readiness probe fails) while its migrations wait on the migration lock another process holds, and is ready only
 * with every migration applied; a database that refuses connections or a Redis that is gone turns it not-ready (and
 * back once they return) without it being restarted; and a gateway in front of it with the other subgraphs away still
 * plans, answers organization's fields, and fails the others' with a code.
 */
describe('readiness follows migrations, the database, Redis and the subgraphs', () => {
  /** Stopping Redis needs one of the test's own; without redis-server the shared one is used and that case skipped. */
  const ownRedis = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  const prefix = `${workerDatabasePrefix()}readiness_`;
  const database = serviceDatabaseName(ServiceName.Organization, prefix);
  let redisPort: number;
  let redisServer: ChildProcess | undefined;
  let env: Record<string, string>;
  /** Connected to the service's database (it holds the migration lock); `server` to the server's default one. */
  let holder: pg.Client;
  let server: pg.Client;
  let service: ChildProcess | undefined;
  let serviceExited: Promise<void> = Promise.resolve();
  let output = '';
  let url: string;

  /** A Redis of this file's own, so it can be stopped and started again without touching anybody else's. */
  async function startRedis(): Promise<void> {
    if (!ownRedis) return;
    const server = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    redisServer = server;
    await waitFor('the private Redis to answer', async () => {
      const client = new Redis(`redis://127.0.0.1:${redisPort}`, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await client.connect();
        await client.ping();
        return true;
      } catch {
        return false;
      } finally {
        client.disconnect();
      }
    });
  }
  async function stopRedis(): Promise<void> {
    const server = redisServer;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const gone = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await gone;
  }
  const ready = async () => {
    try {
      return await get(`${url}/health/ready`);
    } catch {
      return { status: 0, body: 'not listening' };
    }
  };

  beforeAll(async () => {
    redisPort = await freePort();
    await startRedis();
    env = testEnvironment({ DATABASE_NAME_PREFIX: prefix, ...(ownRedis ? { REDIS_URL: `redis://127.0.0.1:${redisPort}` } : {}) });
    await ensureDatabase(env.DATABASE_URL, database);
    holder = new pg.Client({ connectionString: withDatabase(env.DATABASE_URL, database) });
    await holder.connect();
    server = new pg.Client({ connectionString: env.DATABASE_URL });
    await server.connect();
  });

  afterAll(async () => {
    if (service && service.exitCode === null && service.signalCode === null) service.kill('SIGTERM');
    await serviceExited;
    await server.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await holder.end();
    await server.end();
    await stopRedis();
  });

  it('a starting service does not listen while its migrations wait on the lock, and is ready once all are applied', async () => {
    await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const child = spawn(
      process.execPath,
      [...PROCESS_NODE_ARGS, join(repoRoot(), `dist/services/${ServiceName.Organization}/src/main.js`)],
      {
        env: { ...process.env, ...env, PORT: String(port) },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    service = child;
    child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    serviceExited = new Promise((resolve) => child.once('exit', () => resolve()));

    // The condition, not a delay: the service's connection is queued behind ours on the migration lock.
    await waitFor(
      'organization to wait on the migration lock',
      async () =>
        (
          await holder.query<{ waiting: number }>(
            `SELECT count(*)::int AS waiting FROM pg_locks
              WHERE locktype = 'advisory' AND objid = $1 AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = $2)`,
            [MIGRATION_LOCK_KEY, database],
          )
        ).rows[0].waiting === 1,
      60_000,
    );
    expect(await ready()).toEqual({ status: 0, body: 'not listening' });
    expect(child.exitCode).toBeNull();
    const tables = await holder.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'org_unit'`);
    expect(tables.rowCount).toBe(0);

    await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    await waitFor('organization to be ready', async () => (await ready()).status === 200, 90_000).catch((error: unknown) => {
      throw new Error(`${String(error)}; it printed:\n${output}`);
    });
    const { migrations } = await loadService(ServiceName.Organization);
    const applied = await holder.query<{ n: number }>(`SELECT count(*)::int AS n FROM migrations`);
    expect(applied.rows[0].n).toBe(migrations.length);
  }, 150_000);

  it('is not ready while its database refuses connections, stays live, and is ready again once it accepts them', async () => {
    await server.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    // Connections already open go too (the service's pool and its health check's), all but the test's own.
    await server.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> $2`, [
      database,
      (holder as unknown as { processID: number }).processID,
    ]);
    const away = await waitFor('readiness to turn 503', async () => {
      const answer = await ready();
      return answer.status === 503 && answer;
    });
    expect(away.body.checks).toEqual({ database: 'down', redis: 'up', draining: false });
    expect((await get(`${url}/health/live`)).status).toBe(200);
    await server.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    await waitFor('readiness to return', async () => (await ready()).status === 200, 60_000);
  });

  (ownRedis ? it : it.skip)(
    `is not ready while Redis is gone, stays live, and is ready again once Redis is back${ownRedis ? '' : ' (skipped: redis-server is not installed)'}`,
    async () => {
      await stopRedis();
      const away = await waitFor('readiness to turn 503', async () => {
        const answer = await ready();
        return answer.status === 503 && answer;
      });
      expect(away.body.checks).toEqual({ database: 'up', redis: 'down', draining: false });
      expect((await get(`${url}/health/live`)).status).toBe(200);
      await startRedis();
      await waitFor('readiness to return', async () => (await ready()).status === 200, 60_000);
    },
  );

  it('a gateway with the other subgraphs away is ready, answers organization’s fields and fails theirs with a code', async () => {
    // Nothing listens where households, enforcement and notifications are routed: they are down.
    const away = `http://127.0.0.1:${await freePort()}/graphql`;
    const routes = Object.fromEntries(
      SERVICE_NAMES.map((name) => [`${name.toUpperCase()}_URL`, name === ServiceName.Organization ? `${url}/graphql` : away]),
    );
    const gatewayEnv = parseGatewayEnvironment({ ...env, PORT: '0', ...routes });
    const started = createGateway(gatewayEnv, await readSupergraph(join(repoRoot(), 'gateway/supergraph.graphql')));
    const http = createServer(started.app);
    await started.start(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const gatewayUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      expect((await get(`${gatewayUrl}/health/ready`)).status).toBe(200);
      const token = await signAccessToken(
        { sub: 'health-spec', roles: [Role.DISTRICT_ADMIN], orgUnitId: null, householdId: null, institutionId: null },
        env.JWT_SECRET,
      );
      const response = await fetch(`${gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        // organization's list, and a grade from households (a nullable field: a failed non-null one would null the whole
        // answer, as GraphQL says).
        body: JSON.stringify({
          query: `{ orgUnits(first: 1) { totalCount } householdGrade(householdId: "${randomUUID()}", month: "2026-01") { grade } }`,
        }),
      });
      const answer = (await response.json()) as { data: any; errors: any[] };
      expect(answer.data).toEqual({ orgUnits: { totalCount: 0 }, householdGrade: null });
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors[0]).toMatchObject({
        message: 'The households service is unavailable; try again shortly',
        extensions: { code: 'INTERNAL_SERVER_ERROR', reason: 'SUBGRAPH_UNAVAILABLE', details: { service: 'households' } },
      });
    } finally {
      await started.stop();
      await new Promise((resolve) => http.close(resolve));
      await deleteKeys(env.REDIS_URL, env.QUEUE_PREFIX);
    }
  });
});

/** The queues and counts this file's service and gateway made under their prefix. */
async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
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
