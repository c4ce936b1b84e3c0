import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger, type DynamicModule, type INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { printSubgraphSchema } from '@apollo/subgraph';
import { EnvironmentError, generateDevelopmentSecrets } from '#libs/config';
import { processLogger } from '#libs/observability';
import type { Level, Logger as Pino } from 'pino';
import { HealthController } from './health.controller.js';
import { serviceRuntime, type ServiceDefinition } from './service-definition.js';
import { parseServiceEnvironment, parseServingEnvironment, type ServiceEnvironment } from './service-environment.js';

/** Creates and starts a service; SIGTERM/SIGINT drain and then close it gracefully (workers finish their current jobs first). */
export async function startService(module: DynamicModule, env: ServiceEnvironment, name = 'service'): Promise<INestApplication> {
  // The raw body is kept: the gateway's signature covers its exact bytes (see platform.module.ts).
  // Start-up lines wait for nestjs-pino (PlatformModule's LoggerModule), which then writes every line of the process;
  // should the start fail first, they go to the same pino logger through `nestLoggerOf`.
  const app = await NestFactory.create<INestApplication<Server>>(module, {
    bufferLogs: true,
    rawBody: true,
    logger: nestLoggerOf(processLogger(env, name)),
  });
  app.useLogger(app.get(PinoNestLogger));
  // Not-ready at the signal itself, then SHUTDOWN_DRAIN_MS of serving on, and only then Nest's close (workers finish
  // their jobs, the server stops accepting): a load balancer stops sending requests before they would be refused.
  // `once`: the signal raised again after the close ends the process the default way.
  const health = app.get(HealthController);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      health.drain();
      setTimeout(() => {
        app.close().then(
          () => process.kill(process.pid, signal),
          (error: unknown) => {
            Logger.error(error instanceof Error ? error.stack : String(error), 'Shutdown');
            process.exit(1);
          },
        );
      }, env.SHUTDOWN_DRAIN_MS);
    });
  }
  await app.listen(env.PORT, env.LISTEN_HOST);
  // A parent that started this process with an IPC channel (the test platform, with PORT=0) learns the port it got;
  // the channel then no longer keeps the process alive. Without one (npm start, containers) nothing happens.
  if (process.send) {
    process.send({ listening: (app.getHttpServer().address() as AddressInfo).port });
    process.channel?.unref();
  }
  return app;
}

/** What a service's `main.ts` does: validate the environment, then start. A bad environment exits 1 with the list. */
export async function runServiceMain(definition: ServiceDefinition): Promise<void> {
  try {
    const env = parseServingEnvironment(definition.defaultPort);
    await startService(definition.module(serviceRuntime(definition, env, 'serve')), env, definition.name);
  } catch (error) {
    if (error instanceof EnvironmentError) {
      console.error(`${definition.name}: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

/** Nest's logger interface over a pino logger: the message, Nest's context (its last argument) and an error's stack. */
function nestLoggerOf(logger: Pino): LoggerService {
  const write =
    (level: Level) =>
    (message: unknown, ...params: unknown[]): void => {
      const last = params.at(-1);
      const context = typeof last === 'string' ? last : undefined;
      if (message instanceof Error) logger[level]({ context, err: message }, message.message);
      else if (message && typeof message === 'object') logger[level]({ context, ...message });
      else logger[level]({ context, ...(level === 'error' && params.length > 1 ? { stack: params[0] } : {}) }, String(message));
    };
  return {
    log: write('info'),
    error: write('error'),
    warn: write('warn'),
    debug: write('debug'),
    verbose: write('trace'),
    fatal: write('fatal'),
  };
}

/**
 * The federation SDL of a service, built without touching its database or Redis. Building a schema signs and
 * verifies nothing, so throwaway secrets stand in for the real ones.
 */
export async function printServiceSchema(definition: ServiceDefinition): Promise<string> {
  const env = parseServiceEnvironment(definition.defaultPort, { ...generateDevelopmentSecrets(), NODE_ENV: 'development' });
  const app = await NestFactory.create(definition.module(serviceRuntime(definition, env, 'schema')), { logger: false });
  try {
    await app.init();
    return printSubgraphSchema(app.get(GraphQLSchemaHost).schema);
  } finally {
    await app.close();
  }
}
