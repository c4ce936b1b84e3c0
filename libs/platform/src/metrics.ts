// Prometheus metrics of one process (a service or the gateway), served at `GET /metrics` in the text format.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every series this platform exports starts with this, so they sort together next to other exporters'. */
export const METRICS_PREFIX = 'waste_';

/** Plain HTTP requests take milliseconds; GraphQL operations and uploads up to tens of seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

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

export interface ProcessMetrics {
  registry: Registry;
  /** Express middleware timing every request, labelled by its matched route, never by the raw URL. */
  httpMiddleware: (request: Request, response: Response, next: NextFunction) => void;
  /** Apollo Server plugin timing every GraphQL operation by name and outcome. */
  graphqlPlugin: ApolloServerPlugin<BaseContext>;
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
    name: `${METRICS_PREFIX}http_request_duration_seconds`,
    help: 'Time to answer an HTTP request, by method, matched route and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const operationDuration = new Histogram({
    name: `${METRICS_PREFIX}graphql_operation_duration_seconds`,
    help: 'Time to answer a GraphQL operation, by operation name and outcome (ok, or the first error code).',
    labelNames: ['operation', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });

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
            end({
              operation: operationLabel(operationName ?? request.operationName),
              outcome: outcomeOf(errors?.[0]?.extensions?.code, !!errors?.length),
            });
            return Promise.resolve();
          },
        });
      },
    },
    scrape: async () => {
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
