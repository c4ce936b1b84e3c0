// Owns the one line logged per HTTP request (gateway and subgraphs alike) and the request context around it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from 'pino';
import type { Options } from 'pino-http';
import { acceptedRequestId, currentRequestFacts, runWithRequestId, type RequestFacts } from './carried-context.js';

const factsOf = new WeakMap<IncomingMessage, RequestFacts>();

/** Probes and scrapes come every few seconds and say nothing about a caller: they get no line. */
const QUIET_PATHS = /^\/(health(\/live|\/ready)?|metrics)$/;

/** A client names its operation; a name outside this shape is logged as `invalid_name` rather than verbatim. */
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** The path asked for, without the query; Express's `originalUrl`, as a mounted router rewrites `url` while it runs. */
function pathOf(req: IncomingMessage & { originalUrl?: string }): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0];
}

/**
 * The route a request matched, never its URL: a path can hold a credential (a calendar feed's token) or what a client
 * typed. `/graphql`, Express's pattern for a plain route (`/calendars/:file`), or `unmatched`.
 */
function routeOf(req: IncomingMessage & { originalUrl?: string; baseUrl?: string; route?: { path?: unknown } }): string {
  const path = pathOf(req);
  if (path === '/graphql' || path.startsWith('/graphql/')) return '/graphql';
  const pattern = req.route?.path;
  return typeof pattern === 'string' ? `${req.baseUrl ?? ''}${pattern}` || '/' : 'unmatched';
}

/** The request's id: the one already given to it, else the caller's `x-request-id` when sane, else a new one. */
function requestIdOf(req: IncomingMessage & { id?: unknown }): string {
  if (typeof req.id === 'string') return req.id;
  const id = acceptedRequestId(req.headers['x-request-id']);
  req.id = id;
  return id;
}

/**
 * pino-http's options for the request line: one line when the response is done, with the request id, method, route
 * (the matched pattern, never the URL), status, duration, and what the request learnt on the way (operation, roles,
 * error code). Headers and bodies are never logged. The request's own logger binds the id only.
 */
export function requestLogOptions(logger: Logger): Options<IncomingMessage, ServerResponse> {
  const line = (req: IncomingMessage, res: ServerResponse, responseTime: unknown) => {
    const facts = factsOf.get(req) ?? {};
    return {
      method: req.method,
      route: routeOf(req),
      status: res.statusCode,
      durationMs: responseTime,
      ...(facts.operation ? { operation: facts.operation } : {}),
      ...(facts.roles ? { roles: facts.roles } : {}),
      ...(facts.errorCode ? { errorCode: facts.errorCode } : {}),
    };
  };
  return {
    logger,
    genReqId: (req) => requestIdOf(req),
    customAttributeKeys: { reqId: 'requestId' },
    quietReqLogger: true,
    quietResLogger: true,
    autoLogging: { ignore: (req) => QUIET_PATHS.test((req.url ?? '').split('?')[0]) },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
    customSuccessObject: (req, res, value: { responseTime?: unknown }) => line(req, res, value.responseTime),
    customErrorObject: (req, res, error, value: { responseTime?: unknown }) => ({
      ...line(req, res, value.responseTime),
      error: error.message,
    }),
  };
}

/**
 * Express middleware running the rest of the request inside its context: the request id (the same pino-http gave
 * it, whichever of the two runs first) and the facts its line will report.
 */
export function requestContextMiddleware(req: IncomingMessage, _res: ServerResponse, next: () => void): void {
  const facts: RequestFacts = {};
  factsOf.set(req, facts);
  runWithRequestId(requestIdOf(req), next, facts);
}

/** Apollo Server plugin: the operation's name and the first error's code, for the request's line. */
export const requestLogPlugin: ApolloServerPlugin<BaseContext> = {
  requestDidStart() {
    return Promise.resolve({
      willSendResponse({ operationName, request, response }) {
        const facts = currentRequestFacts();
        if (facts) {
          const name = operationName ?? request.operationName;
          if (name) facts.operation = OPERATION_NAME.test(name) ? name : 'invalid_name';
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          if (errors?.length) {
            const code = errors[0].extensions?.code;
            facts.errorCode = typeof code === 'string' ? code.slice(0, 64) : 'ERROR';
          }
        }
        return Promise.resolve();
      },
    });
  },
};
