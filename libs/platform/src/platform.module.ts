import { ApolloFederationDriver, type ApolloFederationDriverConfig } from '@nestjs/apollo';
import {
  Global,
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type RawBodyRequest,
} from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError } from 'graphql';
import type { Request } from 'express';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { GatewaySignatureError, GatewaySignatureVerifier, missingGatewayKey, type Caller } from '#libs/auth';
import { EnvironmentError } from '#libs/config';
import { ErrorCode, formatGraphQLError } from '#libs/errors';
import { ensureDatabase, runMigrations, serviceDatabaseName, serviceDataSourceOptions, withDatabase } from '#libs/database';
import { MessagingModule, carryContextIntoOutbox } from '#libs/messaging';
import { noteCaller, processLogger, requestContextMiddleware, requestLogOptions, requestLogPlugin } from '#libs/observability';
import { LoggerModule } from 'nestjs-pino';
import { enforceAccessPolicies } from './access-policy-enforcement.js';
import { publishedErrorEnums } from './error-reasons.js';
import { HealthController } from './health.controller.js';
import { LocalDateScalar } from './local-date.scalar.js';
import { createProcessMetrics, type ProcessMetrics } from './metrics.js';
import { MetricsController, PROCESS_METRICS } from './metrics.controller.js';
import { SecurityHeadersModule } from './security-headers.module.js';
import type { RequestContext } from './request-context.js';
import type { ServiceRuntime } from './service-definition.js';

export const SERVICE_RUNTIME = Symbol('SERVICE_RUNTIME');

/**
 * This process's check of the gateway's signatures (`GatewaySignatureVerifier`, or null where nothing is served): one
 * instance, so a nonce used on GraphQL or on a plain-HTTP route is used up on both.
 */
export const GATEWAY_SIGNATURE_VERIFIER = Symbol('GATEWAY_SIGNATURE_VERIFIER');

/**
 * The caller of a plain-HTTP request the gateway passed through (uploads, imports, reports, Open311, enrolment, API-key
 * checks): its EdDSA signature made for this service, this method and this request target, unexpired and unused.
 * Throws GatewaySignatureError saying what is wrong.
 */
export function verifyGatewayRoute(
  verifier: GatewaySignatureVerifier | null,
  request: { method: string; originalUrl: string; headers: Record<string, string | string[] | undefined> },
): Promise<Caller> {
  if (!verifier) return Promise.reject(new GatewaySignatureError('SIGNATURE_INVALID', 'this process does not serve requests'));
  return verifier.verifyRoute(request.headers, request.method, request.originalUrl).then((caller) => {
    noteCaller(caller);
    return caller;
  });
}

/** The database URL of a service: its own database on the configured server. */
export function serviceDatabaseUrl(runtime: Pick<ServiceRuntime, 'service' | 'env'>): string {
  return withDatabase(runtime.env.DATABASE_URL, serviceDatabaseName(runtime.service, runtime.env.DATABASE_NAME_PREFIX));
}

/** DataSource options of a service, shared by the running service and the migrate/seed commands. */
export function runtimeDataSourceOptions(runtime: Omit<ServiceRuntime, 'mode'>, slowQueryMs?: number): DataSourceOptions {
  return serviceDataSourceOptions({
    url: serviceDatabaseUrl(runtime),
    entities: runtime.entities,
    migrations: runtime.migrations,
    slowQueryMs,
  });
}

/**
 * What every subgraph service is built on: its own database (created and migrated at start), the federation
 * GraphQL server that accepts only gateway-signed callers, messaging, `/health` and `/metrics`.
 */
@Global()
@Module({})
export class PlatformModule implements NestModule {
  constructor(@Inject(PROCESS_METRICS) private readonly metrics: ProcessMetrics) {}

  configure(consumer: MiddlewareConsumer): void {
    // The request context wraps everything after it, GraphQL included (Nest applies middleware before its routes).
    consumer.apply(this.metrics.httpMiddleware, requestContextMiddleware).forRoutes('*path');
  }

  static forRoot(runtime: ServiceRuntime): DynamicModule {
    const { env } = runtime;
    const schemaOnly = runtime.mode === 'schema';
    const production = env.NODE_ENV === 'production';
    const logger = new Logger('GraphQL');
    const metrics = createProcessMetrics(runtime.service);
    if (!schemaOnly && !env.GATEWAY_VERIFY_KEY) throw new EnvironmentError([missingGatewayKey('GATEWAY_VERIFY_KEY')]);
    const verifier = env.GATEWAY_VERIFY_KEY
      ? new GatewaySignatureVerifier({ key: env.GATEWAY_VERIFY_KEY, subgraph: runtime.service })
      : undefined;
    return {
      module: PlatformModule,
      imports: [
        // pino as Nest's logger (startService installs it) and one line per request (libs/observability).
        LoggerModule.forRoot({ pinoHttp: requestLogOptions(processLogger(env, runtime.service)) }),
        SecurityHeadersModule,
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...runtimeDataSourceOptions(runtime),
            manualInitialization: schemaOnly,
            retryAttempts: 2,
            retryDelay: 1000,
          }),
          dataSourceFactory: async (options) => {
            const dataSource = new DataSource(options!);
            if (schemaOnly) return dataSource;
            await ensureDatabase(env.DATABASE_URL, serviceDatabaseName(runtime.service, env.DATABASE_NAME_PREFIX));
            await dataSource.initialize();
            carryContextIntoOutbox(dataSource);
            await runMigrations(dataSource);
            return dataSource;
          },
        }),
        MessagingModule.forRoot({
          service: runtime.service,
          redisUrl: env.REDIS_URL,
          queuePrefix: env.QUEUE_PREFIX,
          background: !schemaOnly,
          jobObserver: metrics.jobObserver,
        }),
        GraphQLModule.forRoot<ApolloFederationDriverConfig>({
          driver: ApolloFederationDriver,
          autoSchemaFile: { federation: 2 },
          sortSchema: true,
          path: '/graphql',
          graphiql: false,
          includeStacktraceInErrorResponses: !production,
          plugins: [ApolloServerPluginInlineTraceDisabled(), metrics.graphqlPlugin, requestLogPlugin],
          buildSchemaOptions: { numberScalarMode: 'integer', orphanedTypes: publishedErrorEnums() },
          transformSchema: (schema) => enforceAccessPolicies(schema, runtime.policies, runtime.service),
          context: async ({ req }: { req: RawBodyRequest<Request> }): Promise<RequestContext> => ({
            req,
            caller: await callerOf(req, verifier),
            loaders: new Map(),
          }),
          formatError: (formatted, error) =>
            formatGraphQLError(formatted, error, {
              maskInternalErrors: production,
              onInternalError: (cause) => logger.error(cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)),
            }),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_RUNTIME, useValue: runtime },
        { provide: GATEWAY_SIGNATURE_VERIFIER, useValue: verifier ?? null },
        { provide: PROCESS_METRICS, useValue: metrics },
        LocalDateScalar,
      ],
      // PROCESS_METRICS: a service registers its own series on the process's registry (metric-catalogue.ts).
      exports: [SERVICE_RUNTIME, GATEWAY_SIGNATURE_VERIFIER, PROCESS_METRICS],
    };
  }
}

/**
 * Subgraphs answer only the gateway: a GraphQL request must carry the gateway's EdDSA signature made for this
 * subgraph, over this exact body, unexpired and not used before. Anything else gets UNAUTHENTICATED (401) with the
 * refusal in `extensions.reason`, and no data. (The HMAC of CONTEXT_SIGNING_SECRET is not accepted here.)
 */
async function callerOf(req: RawBodyRequest<Request>, verifier: GatewaySignatureVerifier | undefined): Promise<Caller> {
  try {
    if (!verifier) throw new GatewaySignatureError('SIGNATURE_INVALID', 'this process does not serve GraphQL');
    const caller = await verifier.verify(req.headers, req.rawBody);
    noteCaller(caller);
    return caller;
  } catch (error) {
    const refusal =
      error instanceof GatewaySignatureError ? error : new GatewaySignatureError('SIGNATURE_INVALID', 'invalid gateway signature');
    throw new GraphQLError(`Subgraphs accept only requests signed by the gateway: ${refusal.message}`, {
      extensions: { code: ErrorCode.UNAUTHENTICATED, reason: refusal.reason, http: { status: 401 } },
    });
  }
}
