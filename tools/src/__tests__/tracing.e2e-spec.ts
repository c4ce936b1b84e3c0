import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { ServiceName } from '#libs/messaging';
import { postGraphQL, waitFor } from '#libs/testing';
import { PROCESS_NODE_ARGS } from '../node-args.js';
import { repoRoot } from '../repo-root.js';
import { startPlatform, type TestPlatform } from '../test-platform.js';

/** A span as an OTLP/HTTP JSON export carries it, with its process's service name and its attributes as a record. */
interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

/** The service name households' spans carry (a string in the export). */
const HOUSEHOLDS: string = ServiceName.Households;
const ENFORCEMENT: string = ServiceName.Enforcement;

/** OTLP's span kinds (the JSON encoding numbers them). */
const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;

/** Where the OTLP/HTTP exporter sends when no endpoint is set: what a process with tracing on by mistake would hit. */
const DEFAULT_OTLP_PORT = 4318;

/**
 * A real OTLP/HTTP receiver: accepts `POST /v1/traces` in the JSON encoding, as a collector does, and keeps every
 * span; `requests` counts every request, whatever its path.
 */
class OtlpReceiver {
  readonly spans: ExportedSpan[] = [];
  requests = 0;
  private readonly servers: Server[] = [];

  async listen(port: number, hosts: string[]): Promise<number> {
    for (const host of hosts) {
      const server = createServer((request, response) => {
        this.requests++;
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          if (request.method === 'POST' && request.url === '/v1/traces') this.spans.push(...spansOf(JSON.parse(body)));
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        });
      });
      this.servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, resolve);
      });
      port = (server.address() as AddressInfo).port;
    }
    return port;
  }

  close(): Promise<void[]> {
    return Promise.all(this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

function spansOf(payload: any): ExportedSpan[] {
  return (payload.resourceSpans ?? []).flatMap((resourceSpans: any) => {
    const service = attributesOf(resourceSpans.resource?.attributes)['service.name'] as string;
    return (resourceSpans.scopeSpans ?? []).flatMap((scopeSpans: any) =>
      (scopeSpans.spans ?? []).map((span: any) => ({
        service,
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        name: span.name,
        kind: span.kind,
        attributes: attributesOf(span.attributes),
      })),
    );
  });
}

function attributesOf(list: any[] = []): Record<string, unknown> {
  return Object.fromEntries(list.map(({ key, value }) => [key, Object.values(value ?? {})[0]]));
}

/** The span's ancestors, nearest first, through parentSpanId links among the spans received. */
function ancestorsOf(span: ExportedSpan, spans: ExportedSpan[]): ExportedSpan[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const chain: ExportedSpan[] = [];
  for (let parent = byId.get(span.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) chain.push(parent);
  return chain;
}

/**
 * Runs a process from dist/ as the image runs it (`gateway/src/main.js`, `services/<name>/src/main.js`), on a free port
 * it reports over IPC. `stop` sends SIGTERM and resolves with the signal or code it ended by.
 */
async function startProcess(script: string, env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, [...PROCESS_NODE_ARGS, join(repoRoot(), 'dist', script)], {
    env: { ...env, PORT: '0', GATEWAY_LISTEN_HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)));
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (message: { listening?: unknown } | null) => {
      if (typeof message?.listening === 'number') resolve(message.listening);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before it was listening:\n${stderr}`)));
  });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return { url: `http://127.0.0.1:${port}`, stop };
}

/** Adds a resident named like a seeded one, the name a literal of the document and the phone a variable. */
const addResident = (name: string) =>
  `mutation AddResidentTraced($household: ID!, $phone: String) {
     addResident(householdId: $household, input: { name: ${JSON.stringify(name)}, phone: $phone, occupation: RETIRED, birthDate: "1951-06-15" }) {
       residents { name }
     }
   }`;
const PHONE = '13912345678';
/** Registering a household makes households record `households.changed` (the table's trigger), which enforcement consumes. */
const REGISTER = `mutation RegisterTraced($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }`;

/**
 * The four services run from dist/ with OTLP/HTTP export to a receiver in this test, and a gateway process in front of
 * them: one operation through the gateway is one trace from the gateway's server span to households' SQL, and no
 * span carries the personal data or the token the operation carried. Processes export what they hold as they close,
 * and a gateway started without an endpoint exports nothing at all.
 */
describe('traces', () => {
  const receiver = new OtlpReceiver();
  let platform: TestPlatform;
  let household: string;
  let residentName: string;
  let token: string;
  let receiverUrl: string;
  const gatewayEnv = () => ({
    ...process.env,
    ...platform.env,
    ...Object.fromEntries([...platform.serviceUrls].map(([name, url]) => [`${name.toUpperCase()}_URL`, `${url}/graphql`])),
  });

  beforeAll(async () => {
    const port = await receiver.listen(0, ['127.0.0.1']);
    receiverUrl = `http://127.0.0.1:${port}`;
    const tracing = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Finished spans leave every 200 ms instead of every 5 s, so the test waits less.
      OTEL_BSP_SCHEDULE_DELAY: '200',
    };
    // The platform's service processes take their environment from this one's when they start.
    Object.assign(process.env, tracing);
    try {
      platform = await startPlatform({ streets: 1, households: 40 });
    } finally {
      for (const name of Object.keys(tracing)) delete process.env[name];
    }
    [{ household, residentName }] = await platform
      .database(ServiceName.Households)
      .query(`SELECT household_id AS household, name AS "residentName" FROM resident ORDER BY id LIMIT 1`);
    const [{ community, compound }] = await platform
      .database(ServiceName.Households)
      .query(
        `SELECT t.parent_id AS community, h.compound_id AS compound FROM household h JOIN territory_unit t ON t.id = h.compound_id WHERE h.id = $1`,
        [household],
      );
    token = await platform.token([Role.COMMUNITY_SECRETARY], community, 'secretary-traced');
    // The gateway holds its spans until it closes (a delay of 10 minutes), so they arrive only if it exports them then.
    const gateway = await startProcess('gateway/src/main.js', { ...gatewayEnv(), ...tracing, OTEL_BSP_SCHEDULE_DELAY: '600000' });
    try {
      const answer = await postGraphQL(
        `${gateway.url}/graphql`,
        addResident(residentName),
        { household, phone: PHONE },
        {
          authorization: `Bearer ${token}`,
        },
      );
      expect(answer.errors).toBeUndefined();
      const registered = await postGraphQL(
        `${gateway.url}/graphql`,
        REGISTER,
        { input: { compoundId: compound, building: 902, unit: 1, room: 101, tenure: 'OWNER' } },
        { authorization: `Bearer ${token}` },
      );
      expect(registered.errors).toBeUndefined();
    } finally {
      expect(await gateway.stop()).toBe('code 0');
    }
  }, 240_000);

  afterAll(async () => {
    await platform.stop();
    await receiver.close();
  });

  it("one trace runs from the gateway's server span through its call to households to households' SQL", async () => {
    const chain = await waitFor(
      'the spans of the operation from the gateway to the SQL',
      () => {
        const spans = receiver.spans;
        const insert = spans.find(
          (span) => span.service === HOUSEHOLDS && /^INSERT INTO resident\b/.test(String(span.attributes['db.query.text'])),
        );
        if (!insert) return Promise.resolve(undefined);
        const above = ancestorsOf(insert, spans);
        const root = above.at(-1);
        return Promise.resolve(root?.service === 'gateway' && root.kind === SERVER && { insert, above });
      },
      30_000,
    );
    const { insert, above } = chain;
    const households = platform.serviceUrls.get(ServiceName.Households)!;
    const [execute, server, client, root] = [
      above.find((span) => span.service === HOUSEHOLDS && span.attributes['graphql.operation.type'] === 'mutation'),
      above.find((span) => span.service === HOUSEHOLDS && span.kind === SERVER),
      above.find((span) => span.service === 'gateway' && span.kind === CLIENT),
      above.at(-1)!,
    ];
    expect(insert.attributes['db.system.name'] ?? insert.attributes['db.system']).toBe('postgresql');
    expect(execute).toBeDefined();
    expect(server).toMatchObject({ attributes: expect.objectContaining({ 'http.route': '/graphql' }) });
    expect(client).toMatchObject({ attributes: expect.objectContaining({ 'url.full': households }) });
    expect(root.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/graphql' });
    // In order, each below the one before: the gateway's server span, its call, households' server span, its
    // GraphQL execution, the INSERT.
    const path = [insert, ...above];
    const order = [root, client, server, execute, insert].map((span) => path.indexOf(span!));
    expect(order).toEqual([...new Set(order)].sort((a, b) => b - a));
    expect(order.at(-1)).toBe(0);
    expect(new Set(path.map((span) => span.traceId)).size).toBe(1);
    // The gateway counts the caller's rate in Redis within the request: ioredis is instrumented. Express is too, in
    // the gateway's own ESM code (the server span's http.route above is express's) as in NestJS's CommonJS.
    const trace = receiver.spans.filter((span) => span.traceId === root.traceId);
    expect(trace.some((span) => span.service === 'gateway' && span.attributes['db.system.name'] === 'redis')).toBe(true);
    expect(trace.some((span) => span.service === HOUSEHOLDS && span.attributes['express.type'] === 'request_handler')).toBe(true);
    // @apollo/gateway's own spans, made through its own copy of the OpenTelemetry API, are part of the same trace.
    expect(path.filter((span) => span.service === 'gateway').map((span) => span.name)).toEqual(
      expect.arrayContaining(['gateway.request', 'gateway.fetch']),
    );
  });

  it("an event's consumer in another service continues the trace of the request that recorded the event", async () => {
    // The outbox row keeps the traceparent of the request; the relay puts it in the job; enforcement's worker opens a
    // CONSUMER span under it. Its ancestors therefore reach households' span and, above it, the gateway's server span.
    const { consumer, above } = await waitFor(
      "enforcement's consumer span under the request's trace",
      () => {
        const spans = receiver.spans;
        for (const consumer of spans.filter((span) => span.service === ENFORCEMENT && span.kind === CONSUMER)) {
          const above = ancestorsOf(consumer, spans);
          if (above.at(-1)?.service === 'gateway' && above.some((span) => span.service === HOUSEHOLDS))
            return Promise.resolve({ consumer, above });
        }
        return Promise.resolve(undefined);
      },
      30_000,
    );
    const root = above.at(-1)!;
    expect(root).toMatchObject({ kind: SERVER, attributes: expect.objectContaining({ 'http.route': '/graphql' }) });
    expect(new Set([consumer, ...above].map((span) => span.traceId)).size).toBe(1);
    // The handler's own SQL runs inside the consumer span.
    const handlerSql = receiver.spans.filter((span) => span.service === ENFORCEMENT && span.traceId === consumer.traceId);
    expect(handlerSql.some((span) => ancestorsOf(span, receiver.spans).includes(consumer) && span.attributes['db.query.text'])).toBe(true);
  });

  it("no span carries a resident's name, their phone or the caller's token", () => {
    expect(receiver.spans.length).toBeGreaterThan(0);
    const carried = receiver.spans.flatMap((span) =>
      Object.entries(span.attributes)
        .filter(([, value]) => [residentName, PHONE, token].some((secret) => JSON.stringify(value).includes(secret)))
        .map(([key]) => `${span.service} ${span.name} ${key}`),
    );
    expect(carried).toEqual([]);
    // The document is recorded, with its literal values replaced: the name was one.
    const documents = receiver.spans.map((span) => span.attributes['graphql.source']).filter(Boolean);
    expect(documents.some((source) => String(source).includes('addResident'))).toBe(true);
  });

  it('a service exports the spans it still holds when SIGTERM stops it, and still ends by that signal', async () => {
    const service = await startProcess(`services/${ServiceName.Organization}/src/main.js`, {
      ...process.env,
      ...platform.env,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiverUrl}/v1/traces`,
      OTEL_SERVICE_NAME: 'organization-closing',
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    });
    let ended: string | undefined;
    try {
      expect((await fetch(`${service.url}/no-such-route`)).status).toBe(404);
    } finally {
      ended = await service.stop();
    }
    expect(ended).toBe('SIGTERM');
    expect(receiver.spans.filter((span) => span.service === 'organization-closing' && span.kind === SERVER)).toHaveLength(1);
  });

  it('a gateway without an OTLP endpoint exports nothing, not even to the default one', async () => {
    const unconfigured = new OtlpReceiver();
    try {
      await unconfigured.listen(DEFAULT_OTLP_PORT, ['127.0.0.1', '::1']);
    } catch (error) {
      throw new Error(`port ${DEFAULT_OTLP_PORT} (OTLP/HTTP's default) is taken, so this case cannot be checked: ${String(error)}`);
    }
    try {
      // Every other tracing variable is set: only the endpoint is missing.
      const gateway = await startProcess('gateway/src/main.js', {
        ...gatewayEnv(),
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '200',
      });
      try {
        const answer = await postGraphQL(`${gateway.url}/graphql`, `{ viewer { roles } }`, {}, { authorization: `Bearer ${token}` });
        expect(answer.errors).toBeUndefined();
      } finally {
        // A process that traced would export its spans on the way out.
        await gateway.stop();
      }
      expect(unconfigured.requests).toBe(0);
    } finally {
      await unconfigured.close();
    }
  });
});
