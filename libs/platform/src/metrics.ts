// Prometheus metrics of one process (a service or the gateway), served at `GET /metrics` in the text format.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobObserver } from '#libs/messaging';
import { metricOptions, type CounterName, type GaugeName, type LabelOf } from './metric-catalogue.js';
import { settledWithin } from './settled-within.js';

/** Every series this platform exports starts with this, so they sort together next to other exporters'. */
export const METRICS_PREFIX = 'waste_';

/** Plain HTTP requests take milliseconds; GraphQL operations and uploads up to tens of seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Event handlers take milliseconds; a community's grading chunk or a retention pass up to minutes. */
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
/** Past this a scrape leaves out what it could not read, rather than hang while Redis or the database is away. */
export const COLLECT_TIMEOUT_MS = 2_000;

/** A client names its operation; a name outside this shape (or a very long one) is not worth a series of its own. */
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Error codes are ours (libs/errors) or Apollo's, upper snake case. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,47}$/;
/**
 * Names are the client's choice, so their number is bounded: past this many distinct ones, a new name counts as
 * `other` (a client inventing a name per request must not grow the scrape without end).
 */
const MAX_OPERATION_NAMES = 500;
/** The gateway names a subgraph fetch `<client's name>__<subgraph>__<step>`; a subgraph counts it as the client's. */
const PLANNED_FETCH = /^(.+?)__[a-z0-9_]+__\d+$/;

/** A counter of the catalogue, labelled as the catalogue says. */
export type CatalogueCounter<N extends CounterName> = Counter<LabelOf<N>>;

export interface ProcessMetrics {
  registry: Registry;
  /** Express middleware timing every request, labelled by its matched route, never by the raw URL. */
  httpMiddleware: (request: Request, response: Response, next: NextFunction) => void;
  /** Apollo Server plugin timing every GraphQL operation by name and outcome. */
  graphqlPlugin: ApolloServerPlugin<BaseContext>;
  /** Counts the job attempts of this process's workers (passed to messaging's workers). */
  jobObserver: JobObserver;
  /** A counter of the catalogue on this registry (the same one when asked twice), for a service's own outcomes. */
  counter: <N extends CounterName>(name: N) => CatalogueCounter<N>;
  /**
   * Gauges of the catalogue (unlabelled) read together when scraped: `read` runs once per scrape, whichever gauge is
   * collected first (one query for all of them, set-based), bounded by COLLECT_TIMEOUT_MS. When `read` fails or times
   * out the gauges show 0 (prom-client's unset value), never a stale reading; the database's own alerts say why. A
   * gauge `read` gives null for (nothing to measure) shows 0 too.
   */
  scrapedGauges: <N extends GaugeName>(names: readonly N[], read: () => Promise<Partial<Record<N, number | null>>>) => void;
  /** The exposition text, after every on-scrape collector ran. */
  scrape: () => Promise<{ contentType: string; body: string }>;
}

/**
 * A registry of its own for this process (not prom-client's global one): the test platform runs the gateway and one
 * service in the same Node process, and each must export only its own series. Labels carry no personal data: routes
 * are patterns (`/households/:id/photos`), operations are the names clients gave them.
 */
export function createProcessMetrics(process: string): ProcessMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ process });
  collectDefaultMetrics({ register: registry, prefix: METRICS_PREFIX });
  const httpDuration = new Histogram({
    ...metricOptions('waste_http_request_duration_seconds'),
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const operationDuration = new Histogram({
    ...metricOptions('waste_graphql_operation_duration_seconds'),
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const jobDuration = new Histogram({ ...metricOptions('waste_job_duration_seconds'), buckets: JOB_BUCKETS, registers: [registry] });
  const counter = <N extends CounterName>(name: N): Counter<LabelOf<N>> =>
    (registry.getSingleMetric(name) as Counter<LabelOf<N>> | undefined) ?? new Counter({ ...metricOptions(name), registers: [registry] });
  const graphqlErrors = counter('waste_graphql_errors_total');
  const jobsCompleted = counter('waste_jobs_completed_total');
  const jobsFailed = counter('waste_jobs_failed_total');

  /** Numbers the scrapes, so what a scrape reads is read once for it and afresh for the next. */
  let scrapes = 0;
  const operationNames = new Set<string>();
  const operationLabel = (name: string | null | undefined): string => {
    const label = nameOf(name);
    if (operationNames.has(label)) return label;
    if (operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    operationNames.add(label);
    return label;
  };

  return {
    registry,
    httpMiddleware: (request, response, next) => {
      const end = httpDuration.startTimer();
      response.once('finish', () => {
        end({ method: request.method, route: routeOf(request), status: String(response.statusCode) });
      });
      next();
    },
    graphqlPlugin: {
      requestDidStart() {
        const end = operationDuration.startTimer();
        return Promise.resolve({
          // The resolved operation's name; the one the client sent when the document never got that far.
          willSendResponse({ operationName, request, response }) {
            const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
            const operation = operationLabel(operationName ?? request.operationName);
            end({ operation, outcome: outcomeOf(errors?.[0]?.extensions?.code, !!errors?.length) });
            for (const error of errors ?? []) graphqlErrors.inc({ operation, code: outcomeOf(error.extensions?.code, true) });
            return Promise.resolve();
          },
        });
      },
    },
    jobObserver: {
      jobFinished({ queue, job, outcome, seconds, final }) {
        jobDuration.observe({ queue, job, outcome }, seconds);
        if (outcome === 'completed') jobsCompleted.inc({ queue, job });
        else jobsFailed.inc({ queue, job, final: String(final) });
      },
    },
    counter,
    scrapedGauges: (names, read) => {
      // Shared by this scrape's collectors: the first one starts the read, the others of the same scrape await it.
      let last: { scrape: number; read: Promise<Partial<Record<string, number | null>> | undefined> } | undefined;
      const readOnce = () => {
        if (last?.scrape !== scrapes) last = { scrape: scrapes, read: settledWithin(read(), COLLECT_TIMEOUT_MS) };
        return last.read;
      };
      for (const name of names) {
        new Gauge({
          ...metricOptions(name),
          registers: [registry],
          async collect() {
            this.reset();
            const value: number | null | undefined = (await readOnce())?.[name];
            // Counts come from SQL cast to int or float8, which node-postgres gives as numbers.
            if (typeof value === 'number') this.set(value);
          },
        });
      }
    },
    scrape: async () => {
      scrapes += 1;
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/**
 * The route a request matched: `graphql` for the GraphQL endpoint, Express's pattern for a plain route, `unmatched`
 * for anything else (a 404 of a scanner must not add a series per URL it tried).
 */
function routeOf(request: Request): string {
  const path = request.originalUrl.split('?')[0] ?? '';
  if (path === '/graphql' || path.startsWith('/graphql/')) return 'graphql';
  const pattern = (request.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern === 'string') return `${request.baseUrl}${pattern}` || '/';
  return 'unmatched';
}

function nameOf(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  const clientName = PLANNED_FETCH.exec(name)?.[1] ?? name;
  return OPERATION_NAME.test(clientName) ? clientName : 'invalid_name';
}

function outcomeOf(code: unknown, failed: boolean): string {
  if (!failed) return 'ok';
  return typeof code === 'string' && ERROR_CODE.test(code) ? code : 'ERROR';
}
