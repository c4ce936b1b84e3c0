import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { GatewaySignatureVerifier, type Caller } from '#libs/auth';
import { asyncHandler, testInfrastructure } from '#libs/testing';
import { createGateway, readSupergraph, type Gateway } from '../create-gateway.js';
import { parseGatewayEnvironment } from '../gateway-environment.js';

const gatewayKeys = generateKeyPairSync('ed25519');
const enforcementVerifier = new GatewaySignatureVerifier({ key: gatewayKeys.publicKey, subgraph: 'enforcement' });
const KEY_A = `wsk_aaaaaaaaaa_${'a'.repeat(43)}`;
const KEY_B = `wsk_bbbbbbbbbb_${'b'.repeat(43)}`;
const KEY_C = `wsk_cccccccccc_${'c'.repeat(43)}`;

/** What the stub enforcement saw of one forwarded request. */
interface Seen {
  caller: Caller;
  body: string;
  contentType: string | undefined;
  url: string | undefined;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The gateway's Open311 wiring against stub subgraphs (notifications' key check, enforcement's Open311 answer), so
 * small limits can be set: which caller is signed, which limiter counts, and what never reaches enforcement.
 */
describe('Open311 api_key at the gateway', () => {
  const seen: Seen[] = [];
  const verified: string[] = [];
  let enforcement: Server;
  let notifications: Server;
  let httpServer: Server;
  let gateway: Gateway;
  let base: string;

  beforeAll(async () => {
    notifications = createServer(
      asyncHandler(async (req, res) => {
        const { key } = JSON.parse(await bodyOf(req)) as { key: string };
        verified.push(key);
        const verdict =
          key === KEY_A
            ? { ok: true, institutionId: 'inst-a', prefix: 'aaaaaaaaaa' }
            : key === KEY_B
              ? { ok: true, institutionId: 'inst-b', prefix: 'bbbbbbbbbb' }
              : key === KEY_C
                ? { ok: true, institutionId: 'inst-c', prefix: 'cccccccccc' }
                : key.startsWith('wsk_')
                  ? { ok: false, reason: 'API_KEY_REVOKED' }
                  : { ok: false, reason: 'MALFORMED_API_KEY' };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(verdict));
      }),
    );
    enforcement = createServer(
      asyncHandler(async (req, res) => {
        const body = await bodyOf(req);
        // The caller as enforcement reads it: the gateway's signature made for enforcement, this method and this path.
        const caller = await enforcementVerifier.verifyRoute(req.headers, req.method!, req.url!);
        seen.push({ caller, body, contentType: req.headers['content-type'], url: req.url });
        res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' }).end('[]');
      }),
    );
    const env = parseGatewayEnvironment({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      JWT_SECRET: randomBytes(32).toString('hex'),
      // Counted in the test Redis under a prefix of this run's own, so every run starts with fresh allowances.
      REDIS_URL: testInfrastructure().redisUrl,
      RATE_LIMIT_PREFIX: `test-open311-${randomBytes(4).toString('hex')}`,
      GATEWAY_SIGNING_KEY: Buffer.from(gatewayKeys.privateKey.export({ type: 'pkcs8', format: 'pem' })).toString('base64'),
      OPEN311_POSTS_PER_HOUR: '2',
      OPEN311_KEYED_POSTS_PER_HOUR: '3',
      ENFORCEMENT_URL: `${await listen(enforcement)}/graphql`,
      NOTIFICATIONS_URL: `${await listen(notifications)}/graphql`,
    });
    gateway = createGateway(env, await readSupergraph());
    httpServer = createServer(gateway.app);
    await gateway.start(httpServer);
    base = `${await listen(httpServer)}/open311/v2`;
  });

  afterAll(async () => {
    await gateway.stop();
    for (const server of [httpServer, enforcement, notifications]) await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    seen.length = 0;
    verified.length = 0;
  });

  const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
    return { status: response.status, body: await response.text(), retryAfter: response.headers.get('retry-after') };
  };

  it('signs a keyed post as the institution and forwards exactly the bytes it read', async () => {
    const form = `service_code=BAG_DUMPED&description=${encodeURIComponent('路口垃圾袋')}&api_key=${KEY_A}`;
    expect((await post('/requests.json', form)).status).toBe(201);
    const json = JSON.stringify({ service_code: 'BAG_DUMPED', api_key: KEY_A });
    expect((await post('/requests.json', json, { 'content-type': 'application/json' })).status).toBe(201);
    expect(seen.map((s) => s.body)).toEqual([form, json]);
    expect(seen.map((s) => s.contentType)).toEqual(['application/x-www-form-urlencoded', 'application/json']);
    for (const { caller } of seen)
      expect(caller).toMatchObject({ userId: 'api-key:aaaaaaaaaa', roles: ['INSTITUTION'], institutionId: 'inst-a' });
  });

  it('keeps a key sent in the query string out of the forwarded URL', async () => {
    expect((await post(`/requests.json?api_key=${KEY_A}&jurisdiction_id=yinzhou`, 'service_code=BAG_DUMPED')).status).toBe(201);
    expect(seen.map((s) => s.url)).toEqual(['/open311/v2/requests.json?jurisdiction_id=yinzhou']);
    expect(seen[0].caller).toMatchObject({ institutionId: 'inst-a' });
  });

  it('refuses a key that is not valid with 403 in JSON and XML, and forwards nothing', async () => {
    const revoked = await post('/requests.json', 'service_code=BAG_DUMPED', { 'x-api-key': `wsk_zzzzzzzzzz_${'z'.repeat(43)}` });
    expect(revoked.status).toBe(403);
    expect(JSON.parse(revoked.body)).toEqual([{ code: 403, description: 'This API key has been revoked' }]);
    const malformed = await post('/requests.xml?api_key=nonsense', 'service_code=BAG_DUMPED');
    expect(malformed.status).toBe(403);
    expect(malformed.body).toContain(
      '<errors><error><code>403</code><description>api_key is not an API key (wsk_…)</description></error></errors>',
    );
    const twoKeys = await post(`/requests.json?api_key=${KEY_A}`, `api_key=${KEY_B}`);
    expect(twoKeys.status).toBe(403);
    expect(seen).toEqual([]);
  });

  it('refuses a key sent beside a bearer token, checking and forwarding neither', async () => {
    const both = await post(`/requests.json?api_key=${KEY_A}`, 'service_code=BAG_DUMPED', {
      authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig',
    });
    expect(both.status).toBe(403);
    expect(JSON.parse(both.body)).toEqual([{ code: 403, description: 'Send either Authorization or api_key, not both' }]);
    expect(verified).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('forwards a body it cannot read as it came, anonymously, for enforcement to answer', async () => {
    expect((await post('/requests.json', '{"api_key": ', { 'content-type': 'application/json' })).status).toBe(201);
    expect(seen).toEqual([
      expect.objectContaining({ body: '{"api_key": ', caller: expect.objectContaining({ userId: 'open311:public', institutionId: null }) }),
    ]);
    expect(verified).toEqual([]);
  });

  it('ignores an api_key on reading, and keeps the 413 for large bodies', async () => {
    const read = await fetch(`${base}/requests.json?api_key=nonsense`, { headers: { 'x-api-key': 'nonsense' } });
    expect(read.status).toBe(200);
    expect(seen[0].caller).toMatchObject({ userId: 'open311:public', roles: [] });
    expect(verified).toEqual([]);
    const huge = await post('/requests.json', `api_key=${KEY_A}&description=${'x'.repeat(70 * 1024)}`);
    expect(huge.status).toBe(413);
    // Without a Content-Length (streamed), cut off as it arrives.
    const streamed = await fetch(`${base}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      duplex: 'half',
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('x'.repeat(70 * 1024)));
          controller.close();
        },
      }),
    });
    expect(streamed.status).toBe(413);
    expect(seen.length).toBe(1);
  });

  it('reads OPEN311_KEYED_POSTS_PER_HOUR: 600 by default, a positive whole number otherwise', () => {
    const secrets = {
      NODE_ENV: 'test',
      JWT_SECRET: randomBytes(32).toString('hex'),
      CONTEXT_SIGNING_SECRET: randomBytes(32).toString('hex'),
    };
    expect(parseGatewayEnvironment({ ...secrets }).OPEN311_KEYED_POSTS_PER_HOUR).toBe(600);
    expect(parseGatewayEnvironment({ ...secrets, OPEN311_KEYED_POSTS_PER_HOUR: '' }).OPEN311_KEYED_POSTS_PER_HOUR).toBe(600);
    expect(parseGatewayEnvironment({ ...secrets, OPEN311_KEYED_POSTS_PER_HOUR: '50' }).OPEN311_KEYED_POSTS_PER_HOUR).toBe(50);
    for (const bad of ['0', '-1', '2.5', 'many']) {
      expect(() => parseGatewayEnvironment({ ...secrets, OPEN311_KEYED_POSTS_PER_HOUR: bad })).toThrow(/OPEN311_KEYED_POSTS_PER_HOUR/);
    }
  });

  // Last: spends the allowances (2 per address, 3 per institution).
  it('counts keyed posts per institution, not against the address, and anonymous ones per address', async () => {
    const keyed = (key: string) => post('/requests.json', `service_code=X&api_key=${key}`);
    const anonymous = () => post('/requests.json', 'service_code=X');
    // inst-c posts only here; inst-a's earlier posts already took two of its own three.
    expect((await Promise.all([keyed(KEY_C), keyed(KEY_C), keyed(KEY_C)])).map((r) => r.status)).toEqual([201, 201, 201]);
    const limited = await keyed(KEY_C);
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body)).toEqual([
      { code: 429, description: expect.stringMatching(/3 new requests an hour for one institution/) },
    ]);
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect((await keyed(KEY_B)).status).toBe(201);
    // The address's allowance was spent by none of those (the earlier tests' anonymous post took one of its two).
    expect((await anonymous()).status).toBe(201);
    const address = await anonymous();
    expect(address.status).toBe(429);
    expect(JSON.parse(address.body)[0].description).toMatch(/2 new requests an hour from one address/);
    expect((await keyed(KEY_B)).status).toBe(201);
  });
});
