import { describe, expect, it } from '@jest/globals';
import { JobName, QueueName } from '#libs/messaging';
import { createProcessMetrics, type ProcessMetrics } from '../metrics.js';

/** Answers one GraphQL operation through the plugin, as Apollo Server would call it. */
async function answer(metrics: ProcessMetrics, operationName: string | null, errorCode?: string): Promise<void> {
  const listener = await metrics.graphqlPlugin.requestDidStart!({} as never);
  const errors = errorCode ? [{ message: 'no', extensions: { code: errorCode } }] : undefined;
  await listener!.willSendResponse!({
    operationName,
    request: {},
    response: { body: { kind: 'single', singleResult: { errors } } },
  } as never);
}

/** The `operation`/`outcome` pairs the scrape holds a count for. */
async function operations(metrics: ProcessMetrics): Promise<string[]> {
  const { body } = await metrics.scrape();
  return [...body.matchAll(/^waste_graphql_operation_duration_seconds_count\{[^}]*operation="([^"]*)",outcome="([^"]*)"\}/gm)].map(
    ([, operation, outcome]) => `${operation}/${outcome}`,
  );
}

describe('GraphQL operation series', () => {
  it('names an operation as its client did, also behind the gateway, and keeps odd names out of the labels', async () => {
    const metrics = createProcessMetrics('test');
    await answer(metrics, 'HouseholdList');
    await answer(metrics, 'HouseholdList__households__0', 'FORBIDDEN');
    await answer(metrics, null);
    await answer(metrics, 'x'.repeat(100));
    await answer(metrics, 'Odd name"}', 'SOMETHING weird');
    expect((await operations(metrics)).sort()).toEqual(
      ['HouseholdList/ok', 'HouseholdList/FORBIDDEN', 'anonymous/ok', 'invalid_name/ok', 'invalid_name/ERROR'].sort(),
    );
  });

  it('counts names past the first 500 as `other`, so a client cannot grow the scrape without end', async () => {
    const metrics = createProcessMetrics('test');
    for (let index = 0; index < 520; index++) await answer(metrics, `Operation${index}`);
    const names = new Set((await operations(metrics)).map((pair) => pair.split('/')[0]));
    expect(names.size).toBe(501);
    expect(names.has('other')).toBe(true);
    expect(names.has('Operation0')).toBe(true);
  });
});

/** The value of the series `name` with (at least) these labels, in whatever order the exposition writes them. */
function valueOf(body: string, name: string, labels: Record<string, string>): number | undefined {
  const line = body
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([key, value]) => l.includes(`${key}="${value}"`)));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('error and job series', () => {
  it('counts every error of a response by operation and code, with odd codes folded into ERROR', async () => {
    const metrics = createProcessMetrics('test');
    await answer(metrics, 'HouseholdList', 'FORBIDDEN');
    await answer(metrics, 'HouseholdList', 'FORBIDDEN');
    await answer(metrics, 'HouseholdList', 'lower case');
    await answer(metrics, 'HouseholdList');
    const { body } = await metrics.scrape();
    expect(valueOf(body, 'waste_graphql_errors_total', { operation: 'HouseholdList', code: 'FORBIDDEN' })).toBe(2);
    expect(valueOf(body, 'waste_graphql_errors_total', { operation: 'HouseholdList', code: 'ERROR' })).toBe(1);
    expect(body).not.toContain('code="ok"');
  });

  it('times job attempts by queue, job and outcome, and counts completions and failures', async () => {
    const metrics = createProcessMetrics('test');
    const job = { queue: QueueName.HouseholdsJobs, job: JobName.EvaluationChunk } as const;
    metrics.jobObserver.jobFinished({ ...job, outcome: 'completed', seconds: 1.5, final: false });
    metrics.jobObserver.jobFinished({ ...job, outcome: 'failed', seconds: 0.2, final: false });
    metrics.jobObserver.jobFinished({ ...job, outcome: 'failed', seconds: 0.2, final: true });
    const { body } = await metrics.scrape();
    const labels = { queue: 'households-jobs', job: 'evaluation.chunk' };
    expect(valueOf(body, 'waste_job_duration_seconds_count', { ...labels, outcome: 'completed' })).toBe(1);
    expect(valueOf(body, 'waste_job_duration_seconds_sum', { ...labels, outcome: 'completed' })).toBe(1.5);
    expect(valueOf(body, 'waste_job_duration_seconds_count', { ...labels, outcome: 'failed' })).toBe(2);
    expect(valueOf(body, 'waste_jobs_completed_total', labels)).toBe(1);
    expect(valueOf(body, 'waste_jobs_failed_total', { ...labels, final: 'false' })).toBe(1);
    expect(valueOf(body, 'waste_jobs_failed_total', { ...labels, final: 'true' })).toBe(1);
  });

  it('reads scraped gauges once per scrape, and afresh at the next', async () => {
    const metrics = createProcessMetrics('test');
    let reads = 0;
    metrics.scrapedGauges(['waste_webhook_pending_deliveries', 'waste_webhook_retry_backlog'], () => {
      reads += 1;
      return Promise.resolve({ waste_webhook_pending_deliveries: 10 * reads, waste_webhook_retry_backlog: reads });
    });
    expect((await metrics.scrape()).body).toMatch(/^waste_webhook_pending_deliveries\{process="test"\} 10$/m);
    expect(reads).toBe(1);
    const { body } = await metrics.scrape();
    expect(reads).toBe(2);
    expect(body).toMatch(/^waste_webhook_pending_deliveries\{process="test"\} 20$/m);
    expect(body).toMatch(/^waste_webhook_retry_backlog\{process="test"\} 2$/m);
  });
});
