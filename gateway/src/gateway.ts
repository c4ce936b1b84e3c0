import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type Request, type Response } from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { Redis } from 'ioredis';
import { Role, missingGatewayKey, signGatewayRoute, type Caller } from '#libs/auth';
import { EnvironmentError } from '#libs/config';
import { ErrorCode, formatGraphQLError } from '#libs/errors';
import { TokenRefused, tokenVerifierFor } from './access-tokens.js';
import { subgraphUrl, type GatewayEnvironment } from './gateway-environment.js';
import { log } from './log.js';
import { queryLimits } from './query-limits.js';
import { open311ApiKeyOf, readBody } from './open311-api-key.js';
import {
  clientAddress, RATE_LIMITED, rateLimitedError, rateLimits, takeCallerAllowance, takeOpen311Post, takeOpen311Read, waitText,
  type RateLimits, type SharedLimiter,
} from './rate-limit.js';
import { securityHeaders } from './security-headers.js';
import { SignedCallerDataSource, type GatewayContext } from './signed-caller-data-source.js';

/** The supergraph composed by `npm run compose` and committed beside this folder. */
export const SUPERGRAPH_PATH = fileURLToPath(new URL('../supergraph.graphql', import.meta.url));

export async function readSupergraph(path = SUPERGRAPH_PATH): Promise<string> {
  return readFile(path, 'utf8');
}

export interface Gateway {
  app: express.Express;
  /** Subgraph base URLs by name, as this gateway routes to them. */
  subgraphs: Map<string, string>;
  start(httpServer: Server): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The one public GraphQL endpoint: authenticates staff by JWT, limits query shape, plans each operation over the
 * subgraphs of the static supergraph, and signs the caller into every subgraph request.
 */
export function createGateway(env: GatewayEnvironment, supergraphSdl: string): Gateway {
  const subgraphs = new Map<string, string>();
  const signingKey = env.GATEWAY_SIGNING_KEY;
  if (!signingKey) throw new EnvironmentError([missingGatewayKey('GATEWAY_SIGNING_KEY')]);
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      const routed = subgraphUrl(env, name, url!);
      subgraphs.set(name, routed);
      return new SignedCallerDataSource(routed, { subgraph: name, key: signingKey, ttlSeconds: env.GATEWAY_SIGNATURE_TTL_SECONDS });
    },
  });
  const production = env.NODE_ENV === 'production';
  const app = express();
  app.disable('x-powered-by');
  // Which client address counts (Open311 and enrolment limits): the socket's unless TRUST_PROXY names the proxies.
  app.set('trust proxy', env.TRUST_PROXY);
  app.use(securityHeaders(production));
  let server: ApolloServer<GatewayContext> | undefined;
  const corsPolicy = cors({ origin: env.CORS_ORIGINS });
  // Every replica counts against the same allowances in Redis; commands fail fast while it is away (see rate-limit.ts).
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  let redisDown = false;
  redis.on('error', (error) => {
    if (!redisDown) log('warn', 'Rate-limit Redis is unreachable; counting in this process meanwhile', { error: error.message });
    redisDown = true;
  });
  redis.on('ready', () => (redisDown = false));
  const limits = rateLimits(redis, env);

  app.use('/uploads', corsPolicy);
  app.post('/uploads', (req, res) => proxyToHouseholds(req, res, env, subgraphs, '/uploads', PHOTO_LIMIT, limits.uploads));
  app.get('/uploads/:id', (req, res) =>
    // Dots are escaped too, so no id can walk out of /uploads/ on the way; households validates what arrives.
    proxyToHouseholds(req, res, env, subgraphs, `/uploads/${encodeURIComponent(String(req.params.id)).replace(/\./g, '%2E')}`),
  );
  app.use('/collection-imports', corsPolicy);
  app.post('/collection-imports', (req, res) => proxyToHouseholds(req, res, env, subgraphs, '/collection-imports', COLLECTION_IMPORT_LIMIT, limits.uploads));

  // Monthly reports of the headline figures: a CSV download and a printable page, authenticated like GraphQL.
  app.use('/reports', corsPolicy);
  app.get('/reports/monthly/:orgUnitId/:file', (req, res) => {
    const file = String(req.params.file);
    if (!/^\d{4}-\d{2}\.(?:csv|html)$/.test(file)) {
      return void res.status(404).json({ error: { code: ErrorCode.NOT_FOUND, message: 'Ask for <YYYY-MM>.csv or <YYYY-MM>.html' } });
    }
    proxyToHouseholds(req, res, env, subgraphs, `/reports/monthly/${encodeURIComponent(String(req.params.orgUnitId)).replace(/\./g, '%2E')}/${file}`);
  });

  // An institution redeems the enrolment code staff handed to its contact for its API key (notifications answers
  // the key's secret to it alone). Nobody is signed in: the one-time code is the credential, and attempts are
  // counted per client address so codes cannot be tried in bulk.
  app.use('/api-keys', corsPolicy);
  app.post('/api-keys/enrol', (req, res) => proxyEnrolment(req, res, env, subgraphs, limits.enrolments));

  // A bureau's iCalendar feed: the secret token in the address is the credential (calendar apps send no sign-in).
  app.get('/calendars/:file', (req, res) => proxyCalendar(res, subgraphs, String(req.params.file)));
  // Open311 GeoReport v2 is public: no JWT; the gateway signs an anonymous caller (or, for a POST with an
  // institution's api_key, that institution) and passes the request through.
  app.use('/open311/v2', corsPolicy);
  app.all('/open311/v2/*path', (req, res) => proxyOpen311(req, res, env, subgraphs, limits.open311));

  app.get('/health', async (_req, res) => {
    const checks = Object.fromEntries(
      await Promise.all([...subgraphs].map(async ([name, url]) => [name, await probe(new URL('/health', url).toString())] as const)),
    );
    const healthy = Object.values(checks).every((status) => status === 'up');
    res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'unavailable', service: 'gateway', checks });
  });

  return {
    app,
    subgraphs,
    async start(httpServer) {
      // Connected before the first request, so counts are shared from the start; a Redis that is away only warns.
      await redis.connect().catch(() => undefined);
      const queryShape = queryLimits({
        production,
        limits: { maxCost: env.QUERY_MAX_COST, maxDepth: env.QUERY_MAX_DEPTH, maxAliases: env.QUERY_MAX_ALIASES,
          maxTokens: env.QUERY_MAX_TOKENS, maxDirectives: env.QUERY_MAX_DIRECTIVES },
      });
      server = new ApolloServer<GatewayContext>({
        gateway,
        introspection: !production,
        includeStacktraceInErrorResponses: !production,
        validationRules: queryShape.validationRules,
        parseOptions: queryShape.parseOptions,
        // No landing page in production (introspection is off there too); elsewhere Apollo's, under its CSP.
        plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ...queryShape.plugins, ...(production ? [ApolloServerPluginLandingPageDisabled()] : [])],
        formatError: (formatted, error) =>
          formatted.extensions?.code === RATE_LIMITED ? withoutStacktrace(formatted) : queryShape.formatError(formatted, error, (other, cause) =>
            formatGraphQLError(asInputError(other), cause, {
              maskInternalErrors: production,
              onInternalError: (internal) => log('error', 'Unexpected gateway error', { error: String((internal as Error)?.stack ?? internal) }),
            }),
          ),
      });
      await server.start();
      app.use(
        '/graphql',
        corsPolicy,
        express.json({ limit: '1mb' }),
        expressMiddleware(server, {
          context: async ({ req }) => {
            const caller = await authenticate(req, env, subgraphs);
            const taken = await takeCallerAllowance(limits.graphql, caller);
            if (taken) throw rateLimitedError(taken.description, taken.retryAfterSeconds);
            return { caller };
          },
        }),
      );
    },
    async stop() {
      await server?.stop();
      redis.disconnect();
    },
  };
}

/**
 * The caller of a request: staff by `Authorization: Bearer <JWT>` (an access token of the identity provider, or a
 * development token outside production: see access-tokens.ts), institutions by `x-api-key` (checked with
 * notifications, which keeps the keys, on every request: a revoked key stops at once). Anything else is
 * UNAUTHENTICATED (or FORBIDDEN for a valid token naming a caller the platform cannot serve), before any data.
 */
async function authenticate(req: Request, env: GatewayEnvironment, subgraphs: Map<string, string>): Promise<Caller> {
  const header = req.headers.authorization;
  const apiKey = req.headers['x-api-key'];
  if (apiKey !== undefined) {
    if (header) throw unauthenticated('Send either Authorization or x-api-key, not both', 'TOKEN_AND_API_KEY');
    return authenticateApiKey(String(apiKey), requestIdOf(req), env, subgraphs);
  }
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) throw unauthenticated('Send Authorization: Bearer <token>, or x-api-key: <key> for an institution', 'MISSING_CREDENTIALS');
  try {
    return { ...(await tokenVerifierFor(env)(token)), requestId: requestIdOf(req) };
  } catch (error) {
    if (!(error instanceof TokenRefused)) throw unauthenticated('invalid token', 'INVALID_TOKEN');
    if (error.status === 503) throw unavailable(error.message, error.reason);
    if (error.status === 403) {
      throw new GraphQLError(error.message, { extensions: { code: ErrorCode.FORBIDDEN, reason: error.reason, http: { status: 403 } } });
    }
    throw unauthenticated(error.message, error.reason);
  }
}

const API_KEY_CHECK_TIMEOUT_MS = 5_000;
const API_KEY_REFUSALS: Record<string, string> = {
  MALFORMED_API_KEY: 'x-api-key is not an API key (wsk_…)',
  UNKNOWN_API_KEY: 'This API key is not known',
  API_KEY_REVOKED: 'This API key has been revoked',
  API_KEY_EXPIRED: 'This API key was rotated and its overlap has ended; use the new key',
};

async function authenticateApiKey(key: string, requestId: string, env: GatewayEnvironment, subgraphs: Map<string, string>): Promise<Caller> {
  const notifications = subgraphs.get('notifications');
  if (!notifications) throw unavailable('API keys cannot be checked yet');
  const gatewayCaller: Caller = { userId: 'system:gateway', roles: [], orgUnitId: null, householdId: null, institutionId: null, requestId };
  let verdict: { ok: boolean; institutionId?: string; prefix?: string; reason?: string };
  try {
    const url = new URL('/internal/api-keys/verify', notifications);
    const signature = await signGatewayRoute({
      caller: gatewayCaller, subgraph: 'notifications', method: 'POST', target: url.pathname, key: env.GATEWAY_SIGNING_KEY!, ttlSeconds: env.GATEWAY_SIGNATURE_TTL_SECONDS,
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...signature },
      body: JSON.stringify({ key }),
      signal: AbortSignal.timeout(API_KEY_CHECK_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`notifications answered ${response.status}`);
    verdict = (await response.json()) as typeof verdict;
  } catch (error) {
    log('error', 'API key check failed', { requestId, error: (error as Error).message });
    throw unavailable('API keys cannot be checked right now; try again shortly');
  }
  if (!verdict.ok || !verdict.institutionId) {
    const reason = verdict.reason ?? 'UNKNOWN_API_KEY';
    throw unauthenticated(API_KEY_REFUSALS[reason] ?? API_KEY_REFUSALS.UNKNOWN_API_KEY, reason);
  }
  return { userId: `api-key:${verdict.prefix}`, roles: [Role.INSTITUTION], orgUnitId: null, householdId: null, institutionId: verdict.institutionId, requestId };
}

function unauthenticated(message: string, reason?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, ...(reason ? { reason } : {}), http: { status: 401 } } });
}

function unavailable(message: string, reason = 'UNAVAILABLE'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, reason, http: { status: 503 } } });
}

/**
 * The largest upload request the gateway forwards: a 5 MB photo (households enforces exactly that on the file
 * itself) plus room for its multipart envelope (boundaries and part headers).
 */
export const MAX_UPLOAD_REQUEST_BYTES = 5 * 1024 * 1024 + 64 * 1024;
/** The largest CSV upload the gateway forwards: a 10 MiB file (households enforces exactly that) plus its envelope. */
export const MAX_COLLECTION_IMPORT_REQUEST_BYTES = 10 * 1024 * 1024 + 64 * 1024;
interface UploadLimit {
  maxBytes: number;
  tooLargeMessage: string;
}
const PHOTO_LIMIT: UploadLimit = {
  maxBytes: MAX_UPLOAD_REQUEST_BYTES,
  tooLargeMessage: `An upload request may be at most ${MAX_UPLOAD_REQUEST_BYTES.toLocaleString('en')} bytes (a 5 MB photo)`,
};
const COLLECTION_IMPORT_LIMIT: UploadLimit = {
  maxBytes: MAX_COLLECTION_IMPORT_REQUEST_BYTES,
  tooLargeMessage: `A collection import request may be at most ${MAX_COLLECTION_IMPORT_REQUEST_BYTES.toLocaleString('en')} bytes (a 10 MiB CSV file)`,
};
const UPLOAD_TIMEOUT_MS = 60_000;
/** Request headers households needs; everything else (the JWT above all) stays at the gateway. */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'content-length', 'idempotency-key', 'if-none-match', 'accept'];
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer']);

/**
 * Photo uploads and downloads (`POST /uploads`, `GET /uploads/:id`), collection records' CSV files
 * (`POST /collection-imports`) and the monthly reports (`GET /reports/monthly/…`) are plain HTTP, not GraphQL: the
 * gateway authenticates the caller exactly as for GraphQL, refuses bodies over the route's limit, and streams the
 * request to the households service with the signed caller, and its answer back, without buffering either. The
 * gateway's own refusals are `{ error: { code, message } }`.
 */
async function proxyToHouseholds(
  req: Request, res: Response, env: GatewayEnvironment, subgraphs: Map<string, string>, path: string, limit = PHOTO_LIMIT,
  rateLimit?: RateLimits['uploads'],
) {
  const fail = (status: number, message: string) => {
    const code = status === 401 ? ErrorCode.UNAUTHENTICATED : status === 403 ? ErrorCode.FORBIDDEN : status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 429 ? RATE_LIMITED : ErrorCode.INTERNAL_SERVER_ERROR;
    if (res.headersSent) res.destroy();
    else res.status(status).json({ error: { code, message, ...(status === 429 ? { retryAfter: Number(res.getHeader('retry-after')) } : {}) } });
  };
  let caller: Caller;
  try {
    caller = await authenticate(req, env, subgraphs);
  } catch (error) {
    const status = ((error as GraphQLError).extensions?.http as { status?: number } | undefined)?.status;
    return fail(status === 403 || status === 503 ? status : 401, (error as Error).message);
  }
  const refusal = rateLimit ? await takeCallerAllowance(rateLimit, caller) : null;
  if (refusal) {
    req.resume(); // the body is read and dropped, so the client gets the answer instead of a stalled connection
    res.setHeader('Retry-After', String(refusal.retryAfterSeconds));
    return fail(429, refusal.description);
  }
  passThrough(req, res, env, subgraphs, {
    service: 'households', path, caller, forwardedHeaders: FORWARDED_REQUEST_HEADERS, ...limit, timeoutMs: UPLOAD_TIMEOUT_MS, fail,
  });
}

const MAX_ENROLMENT_REQUEST_BYTES = 4 * 1024;

/** `POST /api-keys/enrol` passed through to notifications, signed as the anonymous enrolment caller. */
async function proxyEnrolment(req: Request, res: Response, env: GatewayEnvironment, subgraphs: Map<string, string>, limiter: SharedLimiter) {
  const fail = (status: number, message: string) => {
    const code = status === 429 ? RATE_LIMITED : status === 413 ? 'PAYLOAD_TOO_LARGE' : ErrorCode.INTERNAL_SERVER_ERROR;
    if (res.headersSent) res.destroy();
    else res.status(status).json({ error: { code, message, ...(status === 429 ? { retryAfter: Number(res.getHeader('retry-after')) } : {}) } });
  };
  const taken = await limiter.take(clientAddress(req));
  if (!taken.allowed) {
    req.resume();
    res.setHeader('Retry-After', String(taken.retryAfterSeconds));
    return fail(429, `At most ${limiter.limit} enrolment attempts an hour from one address; try again in ${waitText(taken.retryAfterSeconds)}`);
  }
  const caller: Caller = { userId: 'enrolment:public', roles: [], orgUnitId: null, householdId: null, institutionId: null, requestId: requestIdOf(req) };
  passThrough(req, res, env, subgraphs, {
    service: 'notifications', path: '/api-keys/enrol', caller, forwardedHeaders: ['content-type', 'content-length', 'accept'],
    maxBytes: MAX_ENROLMENT_REQUEST_BYTES, tooLargeMessage: 'An enrolment request is a small JSON body: { "code": "wse_…" }', timeoutMs: API_KEY_CHECK_TIMEOUT_MS, fail,
  });
}

/** Open311 requests are small forms: anything larger is refused before enforcement sees it. */
export const MAX_OPEN311_REQUEST_BYTES = 64 * 1024;
const OPEN311_TIMEOUT_MS = 30_000;
const OPEN311_PATH = /^\/open311\/v2\/(?:services|requests)(?:\/[\w.%-]+)?\.(?:json|xml)$/i;

/** What the client is told about a refused api_key, by notifications' reason. */
const OPEN311_KEY_REFUSALS: Record<string, string> = {
  ...API_KEY_REFUSALS,
  MALFORMED_API_KEY: 'api_key is not an API key (wsk_…)',
};

/**
 * `/open311/v2/*` (GeoReport v2) passes through to enforcement as plain HTTP. Open311 is public: reading asks for no
 * credential (an `api_key` there is ignored) and is signed as an anonymous caller (`open311:public`, no roles), so
 * enforcement still accepts only what came through here. A new request (POST) may carry an institution's API key as
 * `api_key` (header `x-api-key`, query or body field): the gateway reads the body (at most 64 KiB), checks the key
 * with notifications as for GraphQL, and forwards exactly the bytes it read, signed as that institution; a key that is
 * not valid is 403 and reaches nothing. Anonymous new requests are limited per client address
 * (`OPEN311_POSTS_PER_HOUR`, default 30), keyed ones per institution (`OPEN311_KEYED_POSTS_PER_HOUR`, default 600),
 * reads per client address (`OPEN311_GETS_PER_MINUTE`, default 120), counted in Redis by every replica together
 * (rate-limit.ts): 429 with Retry-After beyond. Only the path and
 * query of the spec's resources are forwarded.
 */
async function proxyOpen311(req: Request, res: Response, env: GatewayEnvironment, subgraphs: Map<string, string>, limits: RateLimits['open311']) {
  const asXml = /\.xml(?:\?|$)/i.test(req.originalUrl);
  // Errors in the specification's format: [{ code, description }], or <errors><error>… for .xml.
  const fail = (status: number, description: string) => {
    if (res.headersSent) return res.destroy();
    if (asXml) {
      const text = description.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      res.status(status).type('text/xml; charset=utf-8')
        .send(`<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>${status}</code><description>${text}</description></error></errors>`);
    } else {
      res.status(status).json([{ code: status, description }]);
    }
  };
  const path = req.originalUrl.split('?')[0];
  if (!OPEN311_PATH.test(path) || path.includes('..')) return fail(404, 'There is no such Open311 resource');
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') return fail(405, `${req.method} is not part of GeoReport v2`);
  const requestId = requestIdOf(req);
  const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
  const forward = (caller: Caller, body?: Buffer) =>
    passThrough(req, res, env, subgraphs, {
      service: 'enforcement', path: `${path}${withoutApiKey(query)}`, caller, forwardedHeaders: ['content-type', 'content-length', 'accept'], body,
      maxBytes: MAX_OPEN311_REQUEST_BYTES, tooLargeMessage: OPEN311_TOO_LARGE, timeoutMs: OPEN311_TIMEOUT_MS, fail,
    });
  const anonymous: Caller = { userId: 'open311:public', roles: [], orgUnitId: null, householdId: null, institutionId: null, requestId };
  if (req.method !== 'POST') {
    const refusal = await takeOpen311Read(limits, clientAddress(req));
    if (refusal) {
      res.setHeader('Retry-After', String(refusal.retryAfterSeconds));
      return fail(429, refusal.description);
    }
    return forward(anonymous);
  }

  // The key may be in the body, so the body is read here (it is small) before anything is decided.
  if (Number(req.headers['content-length'] ?? 0) > MAX_OPEN311_REQUEST_BYTES) {
    req.resume(); // read and dropped, so the client gets the answer instead of a stalled connection
    return fail(413, OPEN311_TOO_LARGE);
  }
  let body: Buffer;
  try {
    const read = await readBody(req, MAX_OPEN311_REQUEST_BYTES);
    if (read === 'too-large') return fail(413, OPEN311_TOO_LARGE);
    body = read;
  } catch {
    return res.destroy(); // the client went away: nobody to answer, nothing forwarded
  }

  const apiKey = open311ApiKeyOf(req.headers, query.slice(1), body);
  let caller = anonymous;
  if (apiKey.kind === 'refused') return fail(403, apiKey.description);
  // Open311 knows no bearer tokens: a request carrying one beside a key is ambiguous about who calls, so neither counts.
  if (apiKey.kind === 'key' && req.headers.authorization) return fail(403, 'Send either Authorization or api_key, not both');
  if (apiKey.kind === 'key') {
    try {
      caller = await authenticateApiKey(apiKey.key, requestId, env, subgraphs);
    } catch (error) {
      const extensions = (error as GraphQLError).extensions ?? {};
      if (extensions.code === ErrorCode.UNAUTHENTICATED) {
        return fail(403, OPEN311_KEY_REFUSALS[String(extensions.reason)] ?? OPEN311_KEY_REFUSALS.UNKNOWN_API_KEY);
      }
      return fail(503, (error as Error).message);
    }
  }
  const refusal = await takeOpen311Post(limits, caller, clientAddress(req));
  if (refusal) {
    res.setHeader('Retry-After', String(refusal.retryAfterSeconds));
    return fail(429, refusal.description);
  }
  forward(caller, body);
}

const OPEN311_TOO_LARGE = 'An Open311 request may be at most 64 KiB';

/** The query string without `api_key`: a secret the gateway has checked goes no further (nor into a service's URL logs). */
export function withoutApiKey(query: string): string {
  if (!/(?:^\?|&)api_key=/.test(query)) return query;
  const params = new URLSearchParams(query);
  params.delete('api_key');
  const rest = params.toString();
  return rest ? `?${rest}` : '';
}

interface PassThroughOptions {
  /** The subgraph that answers, and the path (with query) on it. */
  service: string;
  path: string;
  /** Signed into the forwarded request, so the service accepts only what came through the gateway. */
  caller: Caller;
  /** Request headers the service needs; everything else (the JWT above all) stays here. */
  forwardedHeaders: readonly string[];
  maxBytes: number;
  tooLargeMessage: string;
  timeoutMs: number;
  /** The request body when the gateway had to read it first (at most maxBytes): sent as is instead of streamed. */
  body?: Buffer;
  /** Answers an error in the route's own format. */
  fail(status: number, message: string): void;
}

/**
 * Streams a plain-HTTP request to a subgraph with the signed caller, and its answer back, buffering neither. A body
 * over the limit is refused by its Content-Length or, without one, cut off as it streams; a client that goes away
 * cancels the upstream request, so the service keeps nothing half-sent.
 */
function passThrough(req: Request, res: Response, env: GatewayEnvironment, subgraphs: Map<string, string>, options: PassThroughOptions): void {
  const { service, caller, fail } = options;
  if (Number(req.headers['content-length'] ?? 0) > options.maxBytes) return fail(413, options.tooLargeMessage);
  const graphqlUrl = subgraphs.get(service);
  if (!graphqlUrl) return fail(503, `The ${service} service is not routed yet`);
  const target = new URL(graphqlUrl);
  const path = `${target.pathname.replace(/\/graphql\/?$/, '')}${options.path}`;
  // Signed for this service, this method and this path, for seconds and once: the body streams, so no digest binds it.
  signGatewayRoute({ caller, subgraph: service, method: req.method, target: path, key: env.GATEWAY_SIGNING_KEY!, ttlSeconds: env.GATEWAY_SIGNATURE_TTL_SECONDS })
    .then((signature) => forward(req, res, target, path, signature, options))
    .catch((error: Error) => {
      log('error', 'Signing a pass-through failed', { requestId: caller.requestId, service, error: error.message });
      fail(500, 'The request could not be passed on');
    });
}

function forward(req: Request, res: Response, target: URL, path: string, signature: Record<string, string>, options: PassThroughOptions): void {
  const { service, caller, fail } = options;
  const tooLarge = () => fail(413, options.tooLargeMessage);
  const headers: Record<string, string | string[]> = { ...signature, 'x-request-id': caller.requestId };
  for (const name of options.forwardedHeaders) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  // Exactly the bytes read; a client that sent them chunked gets a length here, as the service needs no stream.
  if (options.body) headers['content-length'] = String(options.body.length);
  const upstream = (target.protocol === 'https:' ? httpsRequest : httpRequest)({
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port,
    method: req.method,
    path,
    headers,
    timeout: options.timeoutMs,
  });
  let answered = false;
  let refused = false;
  upstream.on('response', (answer) => {
    answered = true;
    res.status(answer.statusCode ?? 502);
    for (const [name, value] of Object.entries(answer.headers as IncomingHttpHeaders)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) res.setHeader(name, value);
    }
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  upstream.on('timeout', () => upstream.destroy(new Error(`${service} did not answer in time`)));
  upstream.on('error', (error) => {
    if (answered || refused || res.writableEnded) return;
    log('error', 'Pass-through to a service failed', { requestId: caller.requestId, service, error: error.message });
    fail(502, `The ${service} service did not answer`);
  });
  req.on('close', () => {
    if (!req.complete) upstream.destroy();
  });
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });

  if (req.method === 'GET' || req.method === 'HEAD') {
    upstream.end();
    return;
  }
  if (options.body) {
    upstream.end(options.body);
    return;
  }
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > options.maxBytes && !refused) {
      refused = true;
      req.unpipe(upstream);
      req.resume(); // the rest is read and dropped, so the client gets the answer instead of a stalled connection
      upstream.destroy();
      if (!answered) tooLarge();
    }
  });
  req.pipe(upstream);
}

/** Keeps a caller-supplied request id when it is sane, so a front end can correlate its own logs. */
function requestIdOf(req: Request): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{8,64}$/.test(given) ? given : randomUUID();
}

/**
 * A wrong argument value (an unknown enum value, a string where an Int goes) is bad user input whether it came as a
 * variable (Apollo says BAD_USER_INPUT) or inline in the query (graphql-js reports it as a validation failure).
 */
function asInputError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const inputValueProblem = /cannot represent|does not exist in ".*" enum|Expected value of type/;
  if (formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && inputValueProblem.test(formatted.message)) {
    return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT } };
  }
  return formatted;
}

function withoutStacktrace(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  return { ...formatted, extensions };
}

async function probe(url: string): Promise<'up' | 'down'> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.ok ? 'up' : 'down';
  } catch {
    return 'down';
  }
}

/** `GET /calendars/<token>.ics` passed through to enforcement, which checks the token; its answer comes back as is. */
async function proxyCalendar(res: Response, subgraphs: Map<string, string>, file: string) {
  const graphqlUrl = subgraphs.get('enforcement');
  if (!graphqlUrl) return res.status(503).json({ error: { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'The enforcement service is not routed yet' } });
  try {
    const target = new URL(graphqlUrl);
    target.pathname = `${target.pathname.replace(/\/graphql\/?$/, '')}/calendars/${encodeURIComponent(file)}`;
    const answer = await fetch(target, { signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS) });
    res.status(answer.status);
    for (const name of ['content-type', 'content-disposition', 'cache-control', 'x-content-type-options', 'referrer-policy']) {
      const value = answer.headers.get(name);
      if (value !== null) res.setHeader(name, value);
    }
    res.send(Buffer.from(await answer.arrayBuffer()));
  } catch {
    if (!res.headersSent) res.status(502).json({ error: { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'The enforcement service did not answer' } });
  }
}
