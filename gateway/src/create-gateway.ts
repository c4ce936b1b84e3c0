// Owns the gateway's assembly: the query planner over the supergraph, the express app with its headers, CORS and
// shared rate limits, every route family mounted in order, and start/stop.
import type { Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ApolloGateway } from '@apollo/gateway';
import type { ApolloServer } from '@apollo/server';
import cors from 'cors';
import express from 'express';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { missingGatewayKey } from '#libs/auth';
import { EnvironmentError } from '#libs/config';
import { createLogger, requestContextMiddleware, requestLogOptions } from '#libs/observability';
import { mountApiKeyEnrolmentRoutes } from './api-key-enrolment-routes.js';
import { mountCalendarRoutes } from './calendar-routes.js';
import { mountConsole } from './console-route.js';
import { subgraphUrl, type GatewayEnvironment } from './gateway-environment.js';
import { startGraphQLServer } from './graphql-server.js';
import { mountHealthRoute } from './health.js';
import { mountHouseholdRoutes } from './household-routes.js';
import { log, useGatewayLogger } from './log.js';
import { mountMetrics } from './metrics-route.js';
import { mountOpen311Routes } from './open311-routes.js';
import { mountQueueDashboard } from './queue-dashboard.js';
import { rateLimits } from './rate-limit.js';
import { requestIdOf } from './request-id.js';
import type { RouteContext } from './route-context.js';
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
  /** Readiness turns 503 at once (see health.ts); called first on SIGTERM/SIGINT, before anything closes. */
  drain(): void;
  stop(): Promise<void>;
}

/**
 * The one public GraphQL endpoint: authenticates staff by JWT, limits query shape, plans each operation over the
 * subgraphs of the static supergraph, and signs the caller into every subgraph request.
 */
export function createGateway(env: GatewayEnvironment, supergraphSdl: string, options: { logger?: Logger } = {}): Gateway {
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
  // First of all: one line per request, its id echoed to the client, and everything after run in its context.
  const logger = options.logger ?? createLogger(env, 'gateway');
  useGatewayLogger(logger);
  app.use(pinoHttp(requestLogOptions(logger)), (req, res, next) => {
    res.setHeader('x-request-id', requestIdOf(req));
    requestContextMiddleware(req, res, next);
  });
  // Which client address counts (Open311 and enrolment limits): the socket's unless TRUST_PROXY names the proxies.
  app.set('trust proxy', env.TRUST_PROXY);
  app.use(securityHeaders(production));
  const metrics = mountMetrics(app);
  let server: ApolloServer<GatewayContext> | undefined;
  let draining = false;
  const corsPolicy = cors({ origin: env.CORS_ORIGINS });
  // Every replica counts against the same allowances in Redis; commands fail fast while it is away (see rate-limit.ts).
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  let redisDown = false;
  redis.on('error', (error) => {
    if (!redisDown) log('warn', 'Rate-limit Redis is unreachable; counting in this process meanwhile', { error: error.message });
    redisDown = true;
  });
  redis.on('ready', () => (redisDown = false));
  const context: RouteContext = { env, subgraphs, corsPolicy, limits: rateLimits(redis, env), metrics };

  mountHouseholdRoutes(app, context);
  mountApiKeyEnrolmentRoutes(app, context);
  mountCalendarRoutes(app, context);
  mountOpen311Routes(app, context);
  const queueDashboard = mountQueueDashboard(app, context);
  mountConsole(app, context);
  // The gateway plans from the static supergraph loaded at start; a server is there once it loaded.
  mountHealthRoute(app, subgraphs, { planning: () => server !== undefined, draining: () => draining });

  return {
    app,
    subgraphs,
    async start(httpServer) {
      // Connected before the first request, so counts are shared from the start; a Redis that is away only warns.
      await redis.connect().catch(() => undefined);
      server = await startGraphQLServer(app, gateway, httpServer, context);
    },
    drain() {
      draining = true;
    },
    async stop() {
      draining = true;
      await server?.stop();
      await queueDashboard.close();
      redis.disconnect();
    },
  };
}
