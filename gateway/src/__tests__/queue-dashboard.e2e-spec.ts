import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Queue } from 'bullmq';
import { Role } from '#libs/auth';
import { createLogger } from '#libs/observability';
import { EventType, QueueName, ServiceName } from '#libs/messaging';
import { platformQueue, waitFor } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';
import { createGateway, readSupergraph } from '../create-gateway.js';
import { parseGatewayEnvironment } from '../gateway-environment.js';
import { HIDDEN_PAYLOAD } from '../queue-dashboard.js';
import { startIdentityProvider, type TestIdentityProvider } from './identity-provider.js';

/**
 * The queue dashboard (`/operations/queues`) on the real platform: bull-board's API over the services' queues in
 * Redis, operators only, every change audited with organization first and readable in the graph, and no change from
 * another site. A second gateway signs people in through a real OpenID provider (authorization code + PKCE), a third
 * cannot reach organization's audit and so must refuse to act.
 */

const AUDIT_QUERY = `query($queue: String) { queueActionAudit(queue: $queue, first: 20) {
  totalCount edges { node { actor actorRoles action queue jobIds jobStatus outcome httpStatus requestId } } } }`;

interface SideGateway {
  origin: string;
  /** The messages this gateway logged (its own logger's lines, parsed). */
  messages(): string[];
  stop(): Promise<void>;
}

/** Another gateway in front of the same services, with settings of its own; `listening` runs before it is made. */
async function sideGateway(
  platform: TestPlatform,
  settings: (origin: string) => Promise<Record<string, string>> | Record<string, string>,
): Promise<SideGateway> {
  let handle: RequestListener = (_req, res) => res.end();
  const server: Server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env = parseGatewayEnvironment({
    ...platform.env,
    PORT: '0',
    ...Object.fromEntries([...platform.serviceUrls].map(([name, url]) => [`${name.toUpperCase()}_URL`, `${url}/graphql`])),
    ...(await settings(origin)),
  });
  const lines: { msg?: string }[] = [];
  const logger = createLogger({ NODE_ENV: 'test', LOG_LEVEL: 'log' }, 'gateway', {
    write: (line: string) => void lines.push(JSON.parse(line) as { msg?: string }),
  });
  const gateway = createGateway(env, await readSupergraph(), { logger });
  handle = gateway.app;
  await gateway.start(server);
  return {
    origin,
    messages: () => lines.map((line) => line.msg ?? ''),
    async stop() {
      await gateway.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('queue dashboard', () => {
  let platform: TestPlatform;
  let origin: string;
  let queue: Queue;
  let operator: string;
  const api = (path: string, init: RequestInit = {}, token?: string) =>
    fetch(`${origin}/operations/queues${path}`, {
      redirect: 'manual',
      ...init,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) },
    });
  const put = (path: string, token: string, headers: Record<string, string> = {}) => api(path, { method: 'PUT', headers }, token);

  /** A job of organization's jobs queue that its worker fails at once (no handler has its name). */
  async function failedJob(): Promise<string> {
    const job = await queue.add('dashboard-probe', { note: 'ids only' }, { attempts: 1 });
    await waitFor('the probe job to fail', async () => (await job.getState()) === 'failed', 30_000);
    return job.id!;
  }

  beforeAll(async () => {
    platform = await startPlatform({ streets: 1, households: 40, gradedMonths: 1 });
    origin = new URL(platform.gatewayUrl).origin;
    queue = platformQueue(platform, QueueName.OrganizationJobs);
    operator = await platform.token([Role.OPERATOR], null, 'ops-li');
  }, 300_000);

  afterAll(async () => {
    await queue.close();
    await platform.stop();
  });

  it("lists every service's queues to an operator, and serves the dashboard page under its own policy", async () => {
    const response = await api('/api/queues', {}, operator);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { queues: { name: QueueName; description: string }[] };
    expect(body.queues.map((entry) => entry.name).sort()).toEqual(Object.values(QueueName).sort());
    expect(body.queues.find((entry) => entry.name === QueueName.HouseholdsJobs)?.description).toBe('households service');

    const page = await api('/', { headers: { accept: 'text/html' } }, operator);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<base href="/operations/queues/"');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('refuses staff of every other role with 403, and a caller without a token with 401', async () => {
    for (const [roles, unit] of [
      [[Role.DISTRICT_ADMIN], null],
      [[Role.STREET_ADMIN], platform.plan.streets[0].id],
    ] as const) {
      const response = await api('/api/queues', {}, await platform.token([...roles], unit));
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: { code: 'FORBIDDEN', reason: 'MISSING_PERMISSION', message: expect.any(String) } });
    }
    for (const headers of [{}, { accept: 'text/html' }] as Record<string, string>[]) {
      const response = await api('/', { headers });
      // This gateway has no browser sign-in configured, so a person is told to send a token too.
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { reason: string } }).error.reason).toBe('MISSING_CREDENTIALS');
    }
  });

  it('hides what events carry: a job keeps its envelope, its payload is not shown', async () => {
    const job = await queue.add(EventType.TerritoryChanged, {
      id: 'e-1',
      type: EventType.TerritoryChanged,
      source: ServiceName.Organization,
      occurredAt: new Date().toISOString(),
      payloadJson: '{"units":[{"name":"王小明家"}]}',
    });
    try {
      const response = await api(`/api/queues/${QueueName.OrganizationJobs}/${job.id}`, {}, operator);
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(text).not.toContain('王小明');
      expect((JSON.parse(text) as { job: { data: unknown } }).job.data).toEqual({
        id: 'e-1',
        type: EventType.TerritoryChanged,
        source: ServiceName.Organization,
        occurredAt: expect.any(String),
        payload: HIDDEN_PAYLOAD,
      });
    } finally {
      await job.remove().catch(() => undefined);
    }
  });

  it('retries a failed job back to waiting, audited before it ran and readable in the graph', async () => {
    const jobId = await failedJob();
    // Paused, so the worker does not take the retried job at once and its state can be seen.
    expect((await put(`/api/queues/${QueueName.OrganizationJobs}/pause`, operator)).status).toBe(200);
    try {
      const retried = await put(`/api/queues/${QueueName.OrganizationJobs}/${jobId}/retry`, operator);
      expect(retried.status).toBe(204);
      expect(await (await queue.getJob(jobId))!.getState()).toBe('waiting');
    } finally {
      expect((await put(`/api/queues/${QueueName.OrganizationJobs}/resume`, operator)).status).toBe(200);
    }

    const entries = await waitFor('the retry to be settled in the audit', async () => {
      const response = await platform.query(operator, AUDIT_QUERY, { queue: QueueName.OrganizationJobs });
      expect(response.errors).toBeUndefined();
      const nodes = response.data!.queueActionAudit.edges.map((edge: { node: unknown }) => edge.node);
      return nodes.some((node: { outcome: string }) => node.outcome === 'REQUESTED') ? undefined : nodes;
    });
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: 'ops-li',
          actorRoles: ['OPERATOR'],
          action: 'RETRY_JOB',
          queue: QueueName.OrganizationJobs,
          jobIds: [jobId],
          outcome: 'SUCCEEDED',
          httpStatus: 204,
        }),
        expect.objectContaining({ action: 'PAUSE_QUEUE', jobIds: [], outcome: 'SUCCEEDED' }),
        expect.objectContaining({ action: 'RESUME_QUEUE', outcome: 'SUCCEEDED' }),
      ]),
    );
    // District administrators oversee operators; other staff do not read the audit.
    const admin = await platform.query(await platform.token([Role.DISTRICT_ADMIN]), AUDIT_QUERY, { queue: QueueName.OrganizationJobs });
    expect(admin.data!.queueActionAudit.totalCount).toBe(entries.length);
    const street = await platform.query(await platform.token([Role.STREET_ADMIN], platform.plan.streets[0].id), AUDIT_QUERY);
    expect(street.errors?.[0]?.extensions?.reason).toBe('MISSING_PERMISSION');
  });

  it('records the failure of an action that went wrong, and refuses changes the dashboard does not audit', async () => {
    const missing = await put(`/api/queues/${QueueName.OrganizationJobs}/no-such-job/retry`, operator);
    expect(missing.status).toBe(404);
    await waitFor('the failed retry to be settled', async () => {
      const response = await platform.query(operator, AUDIT_QUERY, { queue: QueueName.OrganizationJobs });
      return response.data!.queueActionAudit.edges.some(
        (edge: { node: { jobIds: string[]; outcome: string; httpStatus: number } }) =>
          edge.node.jobIds[0] === 'no-such-job' && edge.node.outcome === 'FAILED' && edge.node.httpStatus === 404,
      );
    });
    const before = (await platform.query(operator, AUDIT_QUERY)).data!.queueActionAudit.totalCount;
    const added = await api(
      `/api/queues/${QueueName.OrganizationJobs}/add`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', data: {} }) },
      operator,
    );
    expect(added.status).toBe(403);
    expect(((await added.json()) as { error: { reason: string } }).error.reason).toBe('ACTION_NOT_ALLOWED');
    const unknown = await put('/api/queues/no-such-queue/pause', operator);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { reason: string } }).error.reason).toBe('INVALID_QUEUE_ACTION');
    expect((await platform.query(operator, AUDIT_QUERY)).data!.queueActionAudit.totalCount).toBe(before);
  });

  it('refuses a cross-site change (a foreign Origin): nothing runs and nothing is audited', async () => {
    const jobId = await failedJob();
    const before = (await platform.query(operator, AUDIT_QUERY)).data!.queueActionAudit.totalCount;
    for (const response of [
      await put(`/api/queues/${QueueName.OrganizationJobs}/${jobId}/retry`, operator, { origin: 'https://elsewhere.example' }),
      await api(
        `/api/queues/${QueueName.OrganizationJobs}/add`,
        { method: 'POST', headers: { origin: 'https://elsewhere.example', 'content-type': 'application/json' }, body: '{}' },
        operator,
      ),
    ]) {
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { reason: string } }).error.reason).toBe('CROSS_SITE_REQUEST');
    }
    expect(await (await queue.getJob(jobId))!.getState()).toBe('failed');
    expect((await platform.query(operator, AUDIT_QUERY)).data!.queueActionAudit.totalCount).toBe(before);
    await (await queue.getJob(jobId))!.remove();
  });

  describe('without the audit', () => {
    let side: SideGateway;

    beforeAll(async () => {
      // Organization's address is a port nothing listens on: the audit cannot be written.
      side = await sideGateway(platform, () => ({ ORGANIZATION_URL: 'http://127.0.0.1:9/graphql' }));
    });

    afterAll(async () => {
      await side.stop();
    });

    it('refuses the action (503 AUDIT_UNAVAILABLE) and leaves the job as it was', async () => {
      const jobId = await failedJob();
      const response = await fetch(`${side.origin}/operations/queues/api/queues/${QueueName.OrganizationJobs}/${jobId}/retry`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${operator}` },
      });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: { reason: string } }).error.reason).toBe('AUDIT_UNAVAILABLE');
      expect(side.messages().filter((message) => message.includes('audit'))).toEqual([
        expect.stringContaining('the audit could not be recorded; action refused'),
      ]);
      expect(await (await queue.getJob(jobId))!.getState()).toBe('failed');
      await (await queue.getJob(jobId))!.remove();
    });
  });

  describe('while Redis is away', () => {
    let side: SideGateway;
    beforeAll(async () => {
      // A port nothing listens on: the gateway starts and serves without its Redis (rate limits and dashboard alike).
      side = await sideGateway(platform, () => ({ REDIS_URL: 'redis://127.0.0.1:9' }));
    });

    afterAll(async () => {
      await side.stop();
    });

    it('keeps serving the graph, and the dashboard answers an error at once instead of hanging', async () => {
      const graph = await fetch(`${side.origin}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await platform.token([Role.DISTRICT_ADMIN])}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ viewer { userId } }' }),
      });
      expect(graph.status).toBe(200);
      const started = Date.now();
      const dashboard = await fetch(`${side.origin}/operations/queues/api/queues`, { headers: { authorization: `Bearer ${operator}` } });
      expect(dashboard.status).toBeGreaterThanOrEqual(500);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(side.messages()).toContainEqual(expect.stringContaining('Queue dashboard: Redis is unreachable'));
    });
  });

  describe('browser sign-in', () => {
    const AUDIENCE = 'https://waste.yinzhou.example/api';
    let provider: TestIdentityProvider;
    let side: SideGateway;

    beforeAll(async () => {
      side = await sideGateway(platform, async (gatewayOrigin) => {
        provider = await startIdentityProvider(
          { 'ops-wang': { claims: { roles: ['OPERATOR'] } }, 'admin-zhao': { claims: { roles: ['DISTRICT_ADMIN'] } } },
          'RS256',
          { clientId: 'queue-dashboard', redirectUri: `${gatewayOrigin}/operations/callback` },
        );
        return { OIDC_ISSUER: provider.issuer, OIDC_AUDIENCE: AUDIENCE, OPERATIONS_CLIENT_ID: 'queue-dashboard' };
      });
    });

    afterAll(async () => {
      await side.stop();
      await provider.stop();
    });

    it('signs an operator in through the provider into a Strict, HttpOnly session that opens the dashboard', async () => {
      const browser = new Browser();
      const opened = await browser.get(`${side.origin}/operations/queues/`);
      expect(opened.status).toBe(302);
      expect(opened.headers.get('location')).toBe('/operations/sign-in?return=%2Foperations%2Fqueues%2F');

      const landing = await browser.signIn(`${side.origin}${opened.headers.get('location')}`, 'ops-wang');
      expect(landing.status).toBe(200);
      expect(await landing.text()).toContain('url=/operations/queues/');
      const cookie = browser.setCookies.find((line) => line.startsWith('operations-session='))!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).toMatch(/Path=\/operations/);

      const queues = await browser.get(`${side.origin}/operations/queues/api/queues`);
      expect(queues.status).toBe(200);
      // A change from the dashboard's own origin goes through; the same call without an Origin does not.
      const own = await browser.get(`${side.origin}/operations/queues/api/queues/${QueueName.NotificationsJobs}/resume`, {
        method: 'PUT',
        headers: { origin: side.origin },
      });
      expect(own.status).toBe(200);
      const bare = await browser.get(`${side.origin}/operations/queues/api/queues/${QueueName.NotificationsJobs}/resume`, {
        method: 'PUT',
      });
      expect(bare.status).toBe(403);
      const audit = await platform.query(operator, AUDIT_QUERY, { queue: QueueName.NotificationsJobs });
      expect(audit.data!.queueActionAudit.edges.map((edge: { node: { actor: string; action: string } }) => edge.node)).toEqual([
        expect.objectContaining({ actor: 'ops-wang', action: 'RESUME_QUEUE' }),
      ]);
    });

    it('refuses someone of another role at the end of the sign-in, with no session', async () => {
      const browser = new Browser();
      const landing = await browser.signIn(`${side.origin}/operations/sign-in`, 'admin-zhao');
      expect(landing.status).toBe(403);
      expect(((await landing.json()) as { error: { code: string; reason: string } }).error).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'MISSING_PERMISSION',
      });
      expect(browser.setCookies.some((line) => line.startsWith('operations-session=') && !/Expires=Thu, 01 Jan 1970/.test(line))).toBe(
        false,
      );
    });

    it('refuses a callback this browser did not start (state), so a sign-in cannot be planted', async () => {
      const response = await new Browser().get(`${side.origin}/operations/callback?code=abc&state=forged`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { reason: string } }).error.reason).toBe('SIGN_IN_STATE_MISMATCH');
    });
  });
});

/**
 * A browser as far as sign-in needs one: it keeps cookies (by name: the gateway and the provider are on one host,
 * where a browser shares them across ports too), follows nothing by itself, and fills the provider's forms.
 */
class Browser {
  private readonly jar = new Map<string, string>();
  readonly setCookies: string[] = [];

  async get(url: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(url, {
      redirect: 'manual',
      ...init,
      headers: {
        accept: 'text/html',
        cookie: [...this.jar].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(init.headers as Record<string, string>),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      if (value === '' || /Expires=Thu, 01 Jan 1970/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return response;
  }

  /** From the sign-in route through the provider's login and consent forms back to the gateway's callback. */
  async signIn(start: string, account: string): Promise<Response> {
    let response = await this.get(start);
    for (let step = 0; step < 12; step++) {
      const location = response.headers.get('location');
      if (location) {
        response = await this.get(new URL(location, response.url).toString());
        continue;
      }
      const url = new URL(response.url);
      if (!url.pathname.startsWith('/interaction/')) return response;
      const form = await response.text();
      const action = new URL(/action="([^"]+)"/.exec(form)![1], url).toString();
      const fields: Record<string, string> = form.includes(`name="login"`)
        ? { prompt: 'login', login: account, password: 'x' }
        : { prompt: 'consent' };
      response = await this.get(action, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    }
    throw new Error('the sign-in did not end');
  }
}
