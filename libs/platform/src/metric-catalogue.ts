/**
 * Every series the platform exports besides Node's defaults, in one place: what each means and which labels it has.
 * Processes register from this list only (metrics.ts, metrics.controller.ts, ServiceMetrics), so the alert rules and
 * the dashboard in deploy/monitoring can be checked against it (tools/src/__tests__/monitoring.spec.ts) and a live
 * scrape can be checked to hold it (tools/src/__tests__/metrics.e2e-spec.ts).
 *
 * No label carries an id or personal data, and every label's values are bounded: routes are patterns, operations are
 * bounded in number (metrics.ts), codes are ours, queues and jobs come from the messaging catalogue, outcomes are
 * fixed words.
 */
export const METRIC_CATALOGUE = {
  // Every process.
  waste_http_request_duration_seconds: {
    type: 'histogram',
    help: 'Time to answer an HTTP request, by method, matched route and status code.',
    labelNames: ['method', 'route', 'status'],
  },
  waste_graphql_operation_duration_seconds: {
    type: 'histogram',
    help: 'Time to answer a GraphQL operation, by operation name and outcome (ok, or the first error code).',
    labelNames: ['operation', 'outcome'],
  },
  waste_graphql_errors_total: {
    type: 'counter',
    help: 'GraphQL errors answered, by operation name and extensions.code (every error of a response counts).',
    labelNames: ['operation', 'code'],
  },
  // Every service.
  waste_queue_jobs: {
    type: 'gauge',
    help: 'Jobs in each queue this service owns, by state (waiting, active, failed, delayed).',
    labelNames: ['queue', 'state'],
  },
  waste_outbox_pending_events: { type: 'gauge', help: 'Events recorded in this service’s outbox and not yet published.', labelNames: [] },
  waste_outbox_oldest_pending_age_seconds: {
    type: 'gauge',
    help: 'Age of the oldest unpublished outbox event (0 when none is pending).',
    labelNames: [],
  },
  waste_db_pool_clients: { type: 'gauge', help: 'Connections this process’s database pool holds (idle and in use).', labelNames: [] },
  waste_db_pool_idle_clients: { type: 'gauge', help: 'Connections of the database pool that are idle.', labelNames: [] },
  waste_db_pool_waiting_requests: {
    type: 'gauge',
    help: 'Queries waiting for a connection of the database pool (the pool is at its maximum).',
    labelNames: [],
  },
  waste_db_pool_max_clients: { type: 'gauge', help: 'The most connections the database pool opens.', labelNames: [] },
  waste_job_duration_seconds: {
    type: 'histogram',
    help: 'Time a worker spent on a job, by queue, job name and outcome (completed, failed).',
    labelNames: ['queue', 'job', 'outcome'],
  },
  waste_jobs_completed_total: { type: 'counter', help: 'Jobs completed, by queue and job name.', labelNames: ['queue', 'job'] },
  waste_jobs_failed_total: {
    type: 'counter',
    help: 'Job attempts that failed, by queue, job name and whether it was the last attempt (final: true, false).',
    labelNames: ['queue', 'job', 'final'],
  },
  // Notifications.
  waste_webhook_deliveries_total: {
    type: 'counter',
    help: 'Webhook delivery attempts recorded, by outcome: delivered (2xx), retrying (failed, another attempt is due), failed (failed, given up).',
    labelNames: ['outcome'],
  },
  waste_webhook_pending_deliveries: { type: 'gauge', help: 'Webhook deliveries not yet delivered nor given up.', labelNames: [] },
  waste_webhook_retry_backlog: {
    type: 'gauge',
    help: 'Pending webhook deliveries that failed at least once and wait for a retry.',
    labelNames: [],
  },
  waste_webhook_oldest_due_age_seconds: {
    type: 'gauge',
    help: 'How long the most overdue webhook delivery has been due (0 when none is due): grows when no dispatcher sends.',
    labelNames: [],
  },
  // Enforcement.
  waste_credit_exports_total: {
    type: 'counter',
    help: 'Credit/points export attempts, by outcome: delivered (2xx), retrying (failed, another attempt is due), failed (given up).',
    labelNames: ['outcome'],
  },
  waste_credit_export_backlog: { type: 'gauge', help: 'Credit/points exports waiting to be delivered (PENDING).', labelNames: [] },
  waste_credit_export_retry_backlog: {
    type: 'gauge',
    help: 'Pending credit/points exports that failed at least once and wait for a retry.',
    labelNames: [],
  },
  waste_credit_export_oldest_pending_age_seconds: {
    type: 'gauge',
    help: 'Age of the oldest pending credit/points export (0 when none is pending).',
    labelNames: [],
  },
  // Households.
  waste_evaluation_unfinished_runs: { type: 'gauge', help: 'Evaluation runs queued or running.', labelNames: [] },
  waste_evaluation_oldest_unfinished_run_age_seconds: {
    type: 'gauge',
    help: 'Age of the oldest queued or running evaluation run (0 when none).',
    labelNames: [],
  },
  waste_evaluation_month_timestamp_seconds: {
    type: 'gauge',
    help: 'Start of the newest month a district-wide evaluation run was started for, as a Unix time (Asia/Shanghai midnight of the 1st).',
    labelNames: [],
  },
  waste_evaluation_month_communities: {
    type: 'gauge',
    help: 'Communities (one chunk each) of the latest district-wide run of each district for the newest month.',
    labelNames: [],
  },
  waste_evaluation_month_communities_graded: {
    type: 'gauge',
    help: 'Communities of those runs that are graded: the month is evaluated when this reaches waste_evaluation_month_communities.',
    labelNames: [],
  },
  waste_evaluation_month_households_graded: {
    type: 'gauge',
    help: 'Households graded so far by the latest district-wide run of each district for the newest month.',
    labelNames: [],
  },
  waste_evaluation_month_failed_runs: {
    type: 'gauge',
    help: 'Of the latest district-wide runs of the newest month, those that failed.',
    labelNames: [],
  },
} as const satisfies Record<string, { type: 'counter' | 'gauge' | 'histogram'; help: string; labelNames: readonly string[] }>;

export type MetricName = keyof typeof METRIC_CATALOGUE;
type NamesOfType<T> = { [N in MetricName]: (typeof METRIC_CATALOGUE)[N]['type'] extends T ? N : never }[MetricName];
export type CounterName = NamesOfType<'counter'>;
export type GaugeName = NamesOfType<'gauge'>;
export type HistogramName = NamesOfType<'histogram'>;
export type LabelOf<N extends MetricName> = (typeof METRIC_CATALOGUE)[N]['labelNames'][number];

/** Every series a scrape may hold for a catalogue entry (a histogram's `_bucket`, `_sum` and `_count`). */
export function seriesNames(name: MetricName): string[] {
  return METRIC_CATALOGUE[name].type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
}

/** prom-client's options for a catalogue entry. */
export function metricOptions<N extends MetricName>(name: N): { name: N; help: string; labelNames: LabelOf<N>[] } {
  const { help, labelNames } = METRIC_CATALOGUE[name];
  return { name, help, labelNames: [...labelNames] as LabelOf<N>[] };
}
