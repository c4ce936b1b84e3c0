import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvironmentError } from '#libs/config';
import { createGateway, readSupergraph } from './create-gateway.js';
import { parseServingGatewayEnvironment } from './gateway-environment.js';
import { log } from './log.js';

try {
  const env = parseServingGatewayEnvironment();
  const gateway = createGateway(env, await readSupergraph());
  const httpServer = createServer(gateway.app);
  await gateway.start(httpServer);
  await new Promise<void>((resolve) => httpServer.listen(env.PORT, env.GATEWAY_LISTEN_HOST, resolve));
  log('log', `Gateway ready at http://localhost:${env.PORT}/graphql`);
  // A parent that started this process with an IPC channel (a test, with PORT=0) learns the port it got.
  if (process.send) {
    process.send({ listening: (httpServer.address() as AddressInfo).port });
    process.channel?.unref();
  }
  // Not-ready at once, serving on for SHUTDOWN_DRAIN_MS so load balancers stop sending requests, then closed.
  const shutdown = async () => {
    gateway.drain();
    await new Promise((resolve) => setTimeout(resolve, env.SHUTDOWN_DRAIN_MS));
    await gateway.stop();
    httpServer.close();
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
} catch (error) {
  if (error instanceof EnvironmentError) {
    console.error(`gateway: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
