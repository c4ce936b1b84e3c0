import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import parsePrometheusTextFormat, { type PrometheusFamily as Family, type PrometheusSample } from 'parse-prometheus-text-format';
import { Role } from '#libs/auth';
import { QUEUE_OWNER, ServiceName, type QueueName } from '#libs/messaging';
import { startPlatform, type TestPlatform } from '../test-platform.js';

interface Scrape {
  families: Map<string, Family>;
  text: string;
}

/** Fetches `/metrics` and reads it back with a real parser of the exposition format. */
async function scrape(baseUrl: string): Promise<Scrape> {
  const response = await fetch(new URL('/metrics', baseUrl));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await response.text();
  return { families: new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family])), text };
}

/**
 * The `_count` series of a histogram, by labels. The parser folds a histogram's series into one unlabelled sample (it
 * reads only unlabelled histograms right), so its `_count` lines are read on their own, as the plain series they are.
 */
function histogramCounts({ text }: Scrape, name: string): PrometheusSample[] {
  const lines = text.split('\n').filter((line) => line.startsWith(`${name}_count{`));
  return parsePrometheusTextFormat(lines.join('\n') + '\n')[0]?.metrics ?? [];
}

/** The count of a histogram's series with these labels (0 when there is none yet). */
function histogramCount(scraped: Scrape, name: string, labels: Record<string, string>): number {
  const series = histogramCounts(scraped, name).find((sample) =>
    Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value),
  );
  return Number(series?.value ?? 0);
}

const OPERATIONS = 'waste_graphql_operation_duration_seconds';
const REQUESTS = 'waste_http_request_duration_seconds';

describe('GET /metrics', () => {
  let platform: TestPlatform;
  let token: string;

  beforeAll(async () => {
    platform = await startPlatform();
    token = await platform.token([Role.DISTRICT_ADMIN], null, 'metrics-admin');
  });

  afterAll(async () => {
    await platform.stop();
  });

  it('counts a GraphQL operation by name and outcome on the gateway and on the subgraph that answered it', async () => {
    const households = platform.serviceUrls.get(ServiceName.Households)!;
    const query = `query MetricsProbe($orgUnitId: ID!) { households(orgUnitId: $orgUnitId, first: 1) { totalCount } }`;
    const [gatewayBefore, householdsBefore] = await Promise.all([scrape(platform.gatewayUrl), scrape(households)]);

    const response = await platform.query(token, query, { orgUnitId: platform.plan.district.id });
    expect(response.errors).toBeUndefined();
    const invalid = await platform.query(token, query, { orgUnitId: 'not-an-id' });
    expect(invalid.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const refused = await platform.query(null, 'query MetricsRefused { orgUnits { totalCount } }');
    expect(refused.status).toBe(401);

    const [gatewayAfter, householdsAfter] = await Promise.all([scrape(platform.gatewayUrl), scrape(households)]);
    const ok = { operation: 'MetricsProbe', outcome: 'ok' };
    expect(histogramCount(gatewayAfter, OPERATIONS, ok) - histogramCount(gatewayBefore, OPERATIONS, ok)).toBe(1);
    // The subgraph counts the gateway's fetch under the client's name, not the plan's `MetricsProbe__households__0`.
    expect(histogramCount(householdsAfter, OPERATIONS, ok) - histogramCount(householdsBefore, OPERATIONS, ok)).toBe(1);
    const failed = { operation: 'MetricsProbe', outcome: 'BAD_USER_INPUT' };
    expect(histogramCount(gatewayAfter, OPERATIONS, failed) - histogramCount(gatewayBefore, OPERATIONS, failed)).toBe(1);

    // Requests by route pattern: GraphQL as `graphql`, this very scrape's route as `/metrics`. A caller refused before
    // any operation is read shows as a 401 there.
    expect(histogramCount(gatewayAfter, REQUESTS, { method: 'POST', route: 'graphql', status: '200' })).toBeGreaterThan(0);
    expect(histogramCount(gatewayAfter, REQUESTS, { method: 'POST', route: 'graphql', status: '401' })).toBeGreaterThan(0);
    expect(histogramCount(householdsAfter, REQUESTS, { method: 'GET', route: '/metrics', status: '200' })).toBeGreaterThan(0);
  });

  it('never labels a request with the raw URL of an unknown path', async () => {
    await fetch(new URL('/households/6f0e9c1a-0000-4000-8000-000000000000/nothing-here', platform.gatewayUrl));
    await fetch(new URL('/uploads/6f0e9c1a-0000-4000-8000-000000000000', platform.gatewayUrl));
    const routes = histogramCounts(await scrape(platform.gatewayUrl), REQUESTS).map((sample) => sample.labels?.route ?? '');
    expect(routes).toContain('unmatched');
    expect(routes).toContain('/uploads/:id');
    expect(routes.filter((route) => /[0-9a-f]{8}-[0-9a-f]{4}/.test(route))).toEqual([]);
  });

  it('exports the Node process series, each owned queue by state, and the outbox lag of each service', async () => {
    for (const service of [ServiceName.Households, ServiceName.Organization]) {
      const { families } = await scrape(platform.serviceUrls.get(service)!);
      expect(families.get('waste_process_cpu_user_seconds_total')?.type).toBe('COUNTER');
      expect(families.get('waste_nodejs_eventloop_lag_seconds')?.type).toBe('GAUGE');
      expect(families.get(REQUESTS)?.type).toBe('HISTOGRAM');
      expect(families.get(OPERATIONS)?.type).toBe('HISTOGRAM');

      const owned = (Object.keys(QUEUE_OWNER) as QueueName[]).filter((queue) => QUEUE_OWNER[queue] === service);
      const queueSeries = families.get('waste_queue_jobs')!.metrics.map((sample) => `${sample.labels?.queue}/${sample.labels?.state}`);
      const expected = owned.flatMap((queue) => ['waiting', 'active', 'failed', 'delayed'].map((state) => `${queue}/${state}`));
      expect(queueSeries.sort()).toEqual(expected.sort());

      const pending = Number(families.get('waste_outbox_pending_events')!.metrics[0].value);
      const age = Number(families.get('waste_outbox_oldest_pending_age_seconds')!.metrics[0].value);
      expect(pending).toBeGreaterThanOrEqual(0);
      expect(age).toBeGreaterThanOrEqual(0);
      expect(families.get('waste_outbox_pending_events')!.metrics[0].labels).toEqual({ process: service });
    }
  });

  it('reports an unpublished outbox event as pending, with its age', async () => {
    const runner = platform.database(ServiceName.Organization).createQueryRunner();
    // Recorded an hour ago and never published: what a stuck relay leaves behind. Its type has no subscribers, so the
    // relay could never publish it; the row lock held meanwhile makes the relay skip it rather than fail on it.
    await runner.query(
      `INSERT INTO outbox_event (id, type, payload, occurred_at) VALUES (gen_random_uuid(), 'metrics.probe', '{}', now() - interval '1 hour')`,
    );
    await runner.startTransaction();
    try {
      await runner.query(`SELECT 1 FROM outbox_event WHERE type = 'metrics.probe' FOR UPDATE`);
      const { families } = await scrape(platform.serviceUrls.get(ServiceName.Organization)!);
      expect(Number(families.get('waste_outbox_pending_events')!.metrics[0].value)).toBeGreaterThanOrEqual(1);
      expect(Number(families.get('waste_outbox_oldest_pending_age_seconds')!.metrics[0].value)).toBeGreaterThanOrEqual(3600);
    } finally {
      await runner.query(`DELETE FROM outbox_event WHERE type = 'metrics.probe'`);
      await runner.commitTransaction();
      await runner.release();
    }
  });
});
