import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type Request } from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AccessTokenError, verifyAccessToken, type Caller } from '#libs/auth';
import { ErrorCode, formatGraphQLError } from '#libs/errors';
import { subgraphUrl, type GatewayEnvironment } from './gateway-environment.js';
import { log } from './log.js';
import { maxAliasesRule, maxDepthRule } from './query-limits.js';
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
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      const routed = subgraphUrl(env, name, url!);
      subgraphs.set(name, routed);
      return new SignedCallerDataSource(routed, env.CONTEXT_SIGNING_SECRET);
    },
  });
  const production = env.NODE_ENV === 'production';
  const app = express();
  app.disable('x-powered-by');
  let server: ApolloServer<GatewayContext> | undefined;

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
      server = new ApolloServer<GatewayContext>({
        gateway,
        introspection: !production,
        includeStacktraceInErrorResponses: !production,
        validationRules: [maxDepthRule(), maxAliasesRule()],
        plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
        formatError: (formatted, error) =>
          formatGraphQLError(asInputError(formatted), error, {
            maskInternalErrors: production,
            onInternalError: (cause) => log('error', 'Unexpected gateway error', { error: String((cause as Error)?.stack ?? cause) }),
          }),
      });
      await server.start();
      app.use(
        '/graphql',
        cors({ origin: env.CORS_ORIGINS === '*' ? '*' : env.CORS_ORIGINS.split(',').map((o) => o.trim()) }),
        express.json({ limit: '1mb' }),
        expressMiddleware(server, { context: async ({ req }) => ({ caller: await authenticate(req, env.JWT_SECRET) }) }),
      );
    },
    async stop() {
      await server?.stop();
    },
  };
}

/** The caller of a request, from `Authorization: Bearer <JWT>`. Anything else is UNAUTHENTICATED, before any data. */
async function authenticate(req: Request, jwtSecret: string): Promise<Caller> {
  const header = req.headers.authorization;
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) throw unauthenticated('Send Authorization: Bearer <token>');
  try {
    const claims = await verifyAccessToken(token, jwtSecret);
    return { userId: claims.sub, roles: claims.roles, orgUnitId: claims.orgUnitId, householdId: claims.householdId ?? null, requestId: requestIdOf(req) };
  } catch (error) {
    throw unauthenticated(error instanceof AccessTokenError ? error.message : 'invalid token');
  }
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
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

async function probe(url: string): Promise<'up' | 'down'> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.ok ? 'up' : 'down';
  } catch {
    return 'down';
  }
}
