import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import parsePrometheusTextFormat, { type PrometheusFamily as Family, type PrometheusSample } from 'parse-prometheus-text-format';
import { Role } from '#libs/auth';
import { addMonths, monthStart, shanghaiMonth } from '#libs/calendar';
import { queryFirst, queryOne } from '#libs/database';
import { EventType, JobName, QUEUE_OWNER, QueueName, ServiceName } from '#libs/messaging';
import { METRIC_CATALOGUE } from '#libs/platform';
import { dataOf, platformQueue, postGraphQL, waitFor, waitForJob } from '#libs/testing';
import { enrolInstitution, startPlatform, waitForDemoNotices, type TestPlatform } from '../test-platform.js';

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

/** The value of a plain (counter or gauge) series with these labels, 0 when there is none yet. */
function valueOf({ families }: Scrape, name: string, labels: Record<string, string> = {}): number {
  const series = families
    .get(name)
    ?.metrics.find((sample) => Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value));
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

  it('exports every series of the catalogue, and each service its own database pool', async () => {
    const services = Object.values(ServiceName);
    const scrapes = await Promise.all(services.map((service) => scrape(platform.serviceUrls.get(service)!)));
    const exported = new Set(scrapes.flatMap(({ families }) => [...families.keys()]));
    expect(Object.keys(METRIC_CATALOGUE).filter((name) => !exported.has(name))).toEqual([]);
    for (const scraped of scrapes) {
      expect(valueOf(scraped, 'waste_db_pool_max_clients')).toBeGreaterThan(0);
      expect(valueOf(scraped, 'waste_db_pool_clients')).toBeGreaterThan(0);
      expect(valueOf(scraped, 'waste_db_pool_clients')).toBeLessThanOrEqual(valueOf(scraped, 'waste_db_pool_max_clients'));
      expect(valueOf(scraped, 'waste_db_pool_waiting_requests')).toBeGreaterThanOrEqual(0);
    }
  });

  it('moves the job, evaluation and webhook series through a monthly cycle', async () => {
    const householdsUrl = platform.serviceUrls.get(ServiceName.Households)!;
    const notificationsUrl = platform.serviceUrls.get(ServiceName.Notifications)!;
    const notifications = platform.database(ServiceName.Notifications);
    await waitForDemoNotices(platform);
    // A real receiver of the institution with the most notices in the last graded month, answering 204 to everything.
    const received: string[] = [];
    const receiver = createServer((request, response) => {
      request.on('data', () => undefined);
      request.on('end', () => {
        received.push(String(request.headers['webhook-id']));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const queues = [platformQueue(platform, QueueName.HouseholdsJobs), platformQueue(platform, QueueName.NotificationsEvents)];
    try {
      const graded = addMonths(shanghaiMonth(), -1);
      const { institutionId } = await queryOne<{ institutionId: string }>(
        notifications,
        `SELECT institution_id AS "institutionId" FROM notice WHERE month = $1 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
        [monthStart(graded)],
      );
      const { key } = await enrolInstitution(platform, institutionId, { staffToken: token });
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;
      await dataOf(
        postGraphQL(
          platform.gatewayUrl,
          `mutation($url: String!) { registerWebhookEndpoint(url: $url) { endpoint { id } } }`,
          { url },
          {
            'x-api-key': key,
          },
        ),
      );
      const [householdsBefore, notificationsBefore] = await Promise.all([scrape(householdsUrl), scrape(notificationsUrl)]);
      const monthly = { queue: QueueName.HouseholdsJobs, job: JobName.MonthlyEvaluation, outcome: 'completed' };
      const chunk = { queue: QueueName.HouseholdsJobs, job: JobName.EvaluationChunk, outcome: 'completed' };

      // The month: the scheduler's job as it fires on the 1st of the next month, grading this month district-wide.
      const month = shanghaiMonth();
      const job = await queues[0].add(JobName.MonthlyEvaluation, { firedAt: `${addMonths(month, 1)}-01T02:00:00+08:00` });
      await waitForJob(queues[0], job, 'the scheduled monthly evaluation');
      const run = await waitFor('the scheduled run to complete', () =>
        queryFirst<{ status: string; communities: number; households: number }>(
          platform.database(ServiceName.Households),
          `SELECT status, total_chunks AS communities, households_evaluated AS households
             FROM evaluation_run WHERE trigger = 'SCHEDULE' AND month = $1 AND status = 'COMPLETED'`,
          [monthStart(month)],
        ),
      );
      expect(run.communities).toBeGreaterThan(0);
      expect(run.households).toBeGreaterThan(0);
      // Workers report an attempt just after BullMQ records it, so the scrape is polled rather than read once.
      const householdsAfter = await waitFor('the chunks’ durations', async () => {
        const scraped = await scrape(householdsUrl);
        const chunks =
          histogramCount(scraped, 'waste_job_duration_seconds', chunk) -
          histogramCount(householdsBefore, 'waste_job_duration_seconds', chunk);
        return chunks >= run.communities ? scraped : undefined;
      });
      expect(histogramCount(householdsAfter, 'waste_job_duration_seconds', monthly)).toBe(
        histogramCount(householdsBefore, 'waste_job_duration_seconds', monthly) + 1,
      );
      const completed = { queue: QueueName.HouseholdsJobs, job: JobName.EvaluationChunk };
      expect(valueOf(householdsAfter, 'waste_jobs_completed_total', completed)).toBeGreaterThanOrEqual(
        valueOf(householdsBefore, 'waste_jobs_completed_total', completed) + run.communities,
      );
      // The month's progress reached its total, and no run is left unfinished.
      expect(valueOf(householdsAfter, 'waste_evaluation_month_timestamp_seconds')).toBe(
        new Date(`${month}-01T00:00:00+08:00`).getTime() / 1000,
      );
      expect(valueOf(householdsAfter, 'waste_evaluation_month_communities')).toBe(run.communities);
      expect(valueOf(householdsAfter, 'waste_evaluation_month_communities_graded')).toBe(run.communities);
      expect(valueOf(householdsAfter, 'waste_evaluation_month_households_graded')).toBe(run.households);
      expect(valueOf(householdsAfter, 'waste_evaluation_month_failed_runs')).toBe(0);
      expect(valueOf(householdsAfter, 'waste_evaluation_unfinished_runs')).toBe(0);

      // The notices: the last graded month's are made again now that the endpoint exists (its notices deleted, its
      // completion announced again), and the institution's are delivered to the receiver.
      await notifications.query(`DELETE FROM notice WHERE month = $1`, [monthStart(graded)]);
      await notifications.query(`UPDATE evaluated_month SET notices_generated_at = NULL WHERE month = $1`, [monthStart(graded)]);
      const { payload } = await queryOne<{ payload: unknown }>(
        platform.database(ServiceName.Households),
        `SELECT payload FROM outbox_event WHERE type = $1 AND payload->>'month' = $2 ORDER BY seq LIMIT 1`,
        [EventType.MonthlyEvaluationCompleted, graded],
      );
      const id = randomUUID();
      const announced = await queues[1].add(
        EventType.MonthlyEvaluationCompleted,
        {
          id,
          type: EventType.MonthlyEvaluationCompleted,
          source: ServiceName.Households,
          occurredAt: new Date().toISOString(),
          payloadJson: JSON.stringify(payload),
        },
        { jobId: id },
      );
      await waitForJob(queues[1], announced, 'the re-announced month');
      const notificationsAfter = await waitFor('the deliveries to be recorded', async () => {
        const scraped = await scrape(notificationsUrl);
        const pending = valueOf(scraped, 'waste_webhook_pending_deliveries');
        return received.length > 0 && pending === 0 ? scraped : undefined;
      });
      const delivered = { outcome: 'delivered' };
      expect(valueOf(notificationsAfter, 'waste_webhook_deliveries_total', delivered)).toBe(
        valueOf(notificationsBefore, 'waste_webhook_deliveries_total', delivered) + received.length,
      );
      expect(valueOf(notificationsAfter, 'waste_webhook_deliveries_total', { outcome: 'failed' })).toBe(0);
      expect(valueOf(notificationsAfter, 'waste_webhook_retry_backlog')).toBe(0);
      const events = { queue: QueueName.NotificationsEvents, job: EventType.MonthlyEvaluationCompleted };
      expect(valueOf(notificationsAfter, 'waste_jobs_completed_total', events)).toBeGreaterThan(
        valueOf(notificationsBefore, 'waste_jobs_completed_total', events),
      );
    } finally {
      await Promise.all(queues.map((queue) => queue.close()));
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
