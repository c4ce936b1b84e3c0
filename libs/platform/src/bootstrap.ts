import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { printSubgraphSchema } from '@apollo/subgraph';
import { EnvironmentError, generateDevelopmentSecrets } from '#libs/config';
import { HealthController } from './health.controller.js';
import { serviceRuntime, type ServiceDefinition } from './service-definition.js';
import { parseServiceEnvironment, parseServingEnvironment, type ServiceEnvironment } from './service-environment.js';

/** Creates and starts a service; SIGTERM/SIGINT drain and then close it gracefully (workers finish their current jobs first). */
export async function startService(module: DynamicModule, env: ServiceEnvironment): Promise<INestApplication> {
  // The raw body is kept: the gateway's signature covers its exact bytes (see platform.module.ts).
  // Start-up lines wait for pino (PlatformModule's LoggerModule), which then writes every line of the process.
  const app = await NestFactory.create<INestApplication<Server>>(module, { bufferLogs: true, rawBody: true });
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
    await startService(definition.module(serviceRuntime(definition, env, 'serve')), env);
  } catch (error) {
    if (error instanceof EnvironmentError) {
      console.error(`${definition.name}: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
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
