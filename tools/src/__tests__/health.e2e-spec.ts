import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { ServiceName } from '#libs/messaging';
import { testEnvironment, waitFor } from '#libs/testing';
import { createGateway, readSupergraph, type Gateway } from '#gateway/create-gateway';
import { parseGatewayEnvironment } from '#gateway/gateway-environment';
import { PROCESS_NODE_ARGS } from '../node-args.js';
import { repoRoot } from '../repo-root.js';
import { SERVICE_NAMES } from '../services.js';

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
