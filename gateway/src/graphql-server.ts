// Owns the `/graphql` endpoint: Apollo Server's options, query-shape limits, error formatting and the caller's context.
import type { Server } from 'node:http';
import type { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, formatGraphQLError } from '#libs/errors';
import { requestLogPlugin } from '#libs/observability';
import { authenticate } from './authentication.js';
import { log } from './log.js';
import { queryLimits } from './query-limits.js';
import { RATE_LIMITED, rateLimitedError, takeCallerAllowance } from './rate-limit.js';
import type { RouteContext } from './route-context.js';
import type { GatewayContext } from './signed-caller-data-source.js';

/**
 * Starts Apollo Server over the gateway's query planner and mounts it at `/graphql`: each request is authenticated
 * and counted against its caller's allowance before any planning, and its shape is bounded (query-limits.ts).
 */
export async function startGraphQLServer(
  app: express.Express,
  gateway: ApolloGateway,
  httpServer: Server,
  { env, subgraphs, corsPolicy, limits, metrics }: RouteContext,
): Promise<ApolloServer<GatewayContext>> {
  const production = env.NODE_ENV === 'production';
  const queryShape = queryLimits({
    production,
    limits: {
      maxCost: env.QUERY_MAX_COST,
      maxDepth: env.QUERY_MAX_DEPTH,
      maxAliases: env.QUERY_MAX_ALIASES,
      maxTokens: env.QUERY_MAX_TOKENS,
      maxDirectives: env.QUERY_MAX_DIRECTIVES,
    },
  });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    validationRules: queryShape.validationRules,
    parseOptions: queryShape.parseOptions,
    // No landing page in production (introspection is off there too); elsewhere Apollo's, under its CSP.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      metrics.graphqlPlugin,
      requestLogPlugin,
      ...queryShape.plugins,
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
    formatError: (formatted, error) =>
      formatted.extensions?.code === RATE_LIMITED
        ? withoutStacktrace(formatted)
        : queryShape.formatError(formatted, error, (other, cause) =>
            formatGraphQLError(asInputError(other), cause, {
              maskInternalErrors: production,
              onInternalError: (internal) =>
                log('error', 'Unexpected gateway error', {
                  error: internal instanceof Error && internal.stack ? internal.stack : String(internal),
                }),
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
  return server;
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
