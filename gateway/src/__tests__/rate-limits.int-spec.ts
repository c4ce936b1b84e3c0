import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { Role, signAccessToken } from '#libs/auth';
import { asyncHandler, gatewayKeyPair, testInfrastructure } from '#libs/testing';
import { repoRoot } from '#tools/repo-root';
import { createGateway, readSupergraph, type Gateway } from '../create-gateway.js';
import { parseGatewayEnvironment } from '../gateway-environment.js';
import { SharedLimiter } from '../rate-limit.js';

const JWT_SECRET = randomBytes(32).toString('hex');
const KEY = `wsk_aaaaaaaaaa_${'a'.repeat(43)}`;
const APP_ORIGIN = 'https://app.example.gov.cn';
/** This run's own counts in the shared test Redis: runs never meet, and nothing has to wait for a window to end. */
const PREFIX = `test-ratelimit-${randomBytes(4).toString('hex')}`;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function drain(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Two gateway replicas (each its own Redis connection) in front of stub services, with small allowances: requests
 * spread over both are counted together, and each interface refuses in its own format. Replica A counts the socket's
 * address (TRUST_PROXY unset); replica B trusts one proxy hop, so X-Forwarded-For names the client there.
 */
describe('rate limits shared by gateway replicas, security headers and CORS', () => {
  const forwarded = { uploads: 0, open311: 0 };
  let stubs: Server[] = [];
  const replicas: { gateway: Gateway; server: Server; base: string }[] = [];
  let a: string;
  let b: string;
  /** The settings every replica shares (each gets its own signing key and TRUST_PROXY). */
  let replicaEnv: Record<string, string>;

  beforeAll(async () => {
    const notifications = createServer(
      asyncHandler(async (req, res) => {
        const body = await drain(req);
        if (req.url === '/internal/api-keys/verify') {
          const { key } = JSON.parse(body) as { key: string };
          const verdict =
            key === KEY ? { ok: true, institutionId: 'inst-a', prefix: 'aaaaaaaaaa' } : { ok: false, reason: 'UNKNOWN_API_KEY' };
          return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(verdict));
        }
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"NOT_FOUND","message":"no such code"}}');
      }),
    );
    const households = createServer(
      asyncHandler(async (req, res) => {
        await drain(req);
        forwarded.uploads += 1;
        res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"p1"}');
      }),
    );
    const enforcement = createServer(
      asyncHandler(async (req, res) => {
        await drain(req);
        forwarded.open311 += 1;
        res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' }).end('[]');
      }),
    );
    stubs = [notifications, households, enforcement];
    const urls = {
      NOTIFICATIONS_URL: `${await listen(notifications)}/graphql`,
      HOUSEHOLDS_URL: `${await listen(households)}/graphql`,
      ENFORCEMENT_URL: `${await listen(enforcement)}/graphql`,
    };
    const supergraph = await readSupergraph();
    replicaEnv = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      JWT_SECRET,
      REDIS_URL: testInfrastructure().redisUrl,
      RATE_LIMIT_PREFIX: PREFIX,
      CORS_ORIGINS: APP_ORIGIN,
      GRAPHQL_REQUESTS_PER_USER_MINUTE: '3',
      GRAPHQL_REQUESTS_PER_INSTITUTION_MINUTE: '2',
      UPLOADS_PER_USER_MINUTE: '2',
      ENROLMENTS_PER_ADDRESS_HOUR: '1',
      OPEN311_GETS_PER_MINUTE: '2',
      OPEN311_POSTS_PER_HOUR: '3',
      ...urls,
    };
    for (const trustProxy of ['', '1']) {
      const env = parseGatewayEnvironment({
        ...replicaEnv,
        TRUST_PROXY: trustProxy,
        GATEWAY_SIGNING_KEY: gatewayKeyPair().GATEWAY_SIGNING_KEY,
      });
      const gateway = createGateway(env, supergraph);
      const server = createServer(gateway.app);
      await gateway.start(server);
      replicas.push({ gateway, server, base: await listen(server) });
    }
    [a, b] = replicas.map((replica) => replica.base);
  });

  afterAll(async () => {
    for (const { gateway, server } of replicas) {
      await gateway.stop();
      await new Promise((resolve) => server.close(resolve));
    }
    for (const stub of stubs) await new Promise((resolve) => stub.close(resolve));
    const redis = new Redis(testInfrastructure().redisUrl);
    const keys = await redis.keys(`${PREFIX}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  const graphql = async (base: string, headers: Record<string, string>) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
  };
  const bearer = async (sub: string) => ({
    authorization: `Bearer ${await signAccessToken({ sub, roles: [Role.DISTRICT_ADMIN], orgUnitId: null }, JWT_SECRET, 600)}`,
  });

  it('counts a user’s GraphQL requests over both replicas together, then answers 429 RATE_LIMITED with Retry-After', async () => {
    const officer = await bearer('officer-wang');
    expect([(await graphql(a, officer)).status, (await graphql(b, officer)).status, (await graphql(a, officer)).status]).toEqual([
      200, 200, 200,
    ]);
    const refused = await graphql(b, officer);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors).toEqual([
      {
        message: expect.stringMatching(/^At most 3 GraphQL requests a minute for one user; try again in \d+ s$/),
        extensions: { code: 'RATE_LIMITED', retryAfter: Number(refused.retryAfter) },
      },
    ]);
    expect((await graphql(a, officer)).status).toBe(429);
    // Per user, not per address: a colleague on the same address is not held back.
    expect((await graphql(a, await bearer('officer-li'))).body).toEqual({ data: { __typename: 'Query' } });
  });

  it('shares one count with a gateway running as a process of its own', async () => {
    // The gateway as production runs it (dist/gateway/src/main.js), its own process and Redis connection, same limits.
    const child = spawn(process.execPath, [join(repoRoot(), 'dist/gateway/src/main.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        ...replicaEnv,
        TRUST_PROXY: '',
        PORT: '0',
        GATEWAY_SIGNING_KEY: gatewayKeyPair().GATEWAY_SIGNING_KEY,
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.on(
          'message',
          (message: { listening?: unknown } | null) => typeof message?.listening === 'number' && resolve(message.listening),
        );
        child.once('exit', (code) => reject(new Error(`the gateway process exited (${code})`)));
      });
      const process2 = `http://127.0.0.1:${port}`;
      const clerk = await bearer('clerk-chen');
      expect([(await graphql(process2, clerk)).status, (await graphql(a, clerk)).status, (await graphql(process2, clerk)).status]).toEqual([
        200, 200, 200,
      ]);
      expect((await graphql(a, clerk)).status).toBe(429);
      expect((await graphql(process2, clerk)).body.errors[0].extensions.code).toBe('RATE_LIMITED');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('counts an institution’s API-key requests per institution', async () => {
    const key = { 'x-api-key': KEY };
    expect([(await graphql(a, key)).status, (await graphql(b, key)).status]).toEqual([200, 200]);
    const refused = await graphql(a, key);
    expect([refused.status, refused.body.errors[0].extensions.code]).toEqual([429, 'RATE_LIMITED']);
    expect(refused.body.errors[0].message).toMatch(/2 GraphQL requests a minute for one institution's API keys/);
  });

  it('limits photo uploads per user in JSON, and forwards nothing refused', async () => {
    const inspector = await bearer('inspector-zhao');
    const upload = (base: string) =>
      fetch(`${base}/uploads`, { method: 'POST', headers: { ...inspector, 'content-type': 'image/png' }, body: 'png' });
    expect([(await upload(a)).status, (await upload(b)).status]).toEqual([201, 201]);
    const refused = await upload(a);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toEqual({
      error: { code: 'RATE_LIMITED', message: expect.stringMatching(/^At most 2 uploads a minute for one user/), retryAfter },
    });
    expect(forwarded.uploads).toBe(2);
  });

  it('counts Open311 posts per client over both replicas, in Open311’s error format', async () => {
    const post = (base: string, headers: Record<string, string> = {}) =>
      fetch(`${base}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: 'service_code=X',
      });
    // B trusts one hop, but these come straight from the client: its socket address counts, as on A.
    expect([(await post(a)).status, (await post(b)).status, (await post(a)).status]).toEqual([201, 201, 201]);
    const refused = await post(b);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(await refused.json()).toEqual([
      { code: 429, description: expect.stringMatching(/^At most 3 new requests an hour from one address; try again in \d+ min$/) },
    ]);
    const xml = await fetch(`${a}/open311/v2/requests.xml`, {
      method: 'POST',
      body: 'service_code=X',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect([xml.status, await xml.text()]).toEqual([429, expect.stringContaining('<errors><error><code>429</code><description>At most 3')]);
  });

  it('lets TRUST_PROXY decide which address an Open311 read counts against', async () => {
    const read = (base: string, client: string) => fetch(`${base}/open311/v2/services.json`, { headers: { 'x-forwarded-for': client } });
    // A trusts no proxy: a client cannot escape its count by naming other addresses.
    expect([
      (await read(a, '198.51.100.1')).status,
      (await read(a, '198.51.100.2')).status,
      (await read(a, '198.51.100.3')).status,
    ]).toEqual([200, 200, 429]);
    // B trusts the one proxy in front (here, the test): the address it forwards is the client.
    expect([(await read(b, '203.0.113.1')).status, (await read(b, '203.0.113.1')).status, (await read(b, '203.0.113.1')).status]).toEqual([
      200, 200, 429,
    ]);
    expect((await read(b, '203.0.113.2')).status).toBe(200);
    const refused = await read(b, '203.0.113.1');
    expect(await refused.json()).toEqual([{ code: 429, description: expect.stringMatching(/^At most 2 reads a minute from one address/) }]);
  });

  it('counts enrolment attempts per address over both replicas', async () => {
    const enrol = (base: string) =>
      fetch(`${base}/api-keys/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code":"wse_x"}' });
    expect((await enrol(a)).status).toBe(404);
    const refused = await enrol(b);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      error: { code: 'RATE_LIMITED', message: expect.stringMatching(/1 enrolment attempts an hour/) },
    });
  });

  it('sends security headers on every route, with a CSP that lets Apollo’s landing page run and nothing else', async () => {
    const answers = [
      await fetch(`${a}/health`),
      await fetch(`${a}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }),
      await fetch(`${a}/open311/v2/nothing.json`),
      await fetch(`${a}/uploads`, { method: 'POST' }),
      await fetch(`${a}/calendars/x.ics`),
    ];
    for (const answer of answers) {
      await answer.arrayBuffer();
      expect([answer.url, answer.headers.get('content-security-policy')]).toEqual([
        answer.url,
        expect.stringContaining("default-src 'none'"),
      ]);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(answer.headers.get('x-powered-by')).toBeNull();
    }
    const landing = await fetch(`${a}/graphql`, { headers: { accept: 'text/html' } });
    const html = await landing.text();
    const csp = landing.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self' 'unsafe-inline' https://apollo-server-landing-page.cdn.apollographql.com");
    expect(csp).toContain("frame-ancestors 'none'");
    // The page's own policy allows its inline code only with the nonce it carries; browsers enforce both.
    const nonce = /nonce-([0-9a-f]{64})/.exec(html)?.[1];
    expect(html).toContain(`<script nonce="${nonce}"`);
    expect(html).toContain('embeddable-sandbox.cdn.apollographql.com');
  });

  it('answers a browser from a configured origin, and not one from another', async () => {
    const preflight = (origin: string) =>
      fetch(`${a}/graphql`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    const allowed = await preflight(APP_ORIGIN);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${b}/open311/v2/services.json`, {
      headers: { origin: 'https://evil.example', 'x-forwarded-for': '192.0.2.50' },
    });
    expect(simple.status).toBe(200);
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('counts in each replica’s own memory while Redis is away, rather than refusing everybody or nobody', async () => {
    const away = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const limiter = new SharedLimiter(away, PREFIX, 'insurance', 2, 60);
    expect([(await limiter.take('k')).allowed, (await limiter.take('k')).allowed, (await limiter.take('k')).allowed]).toEqual([
      true,
      true,
      false,
    ]);
    away.disconnect();
  });
});
