import { createServer } from 'node:net';

/**
 * A port nothing listens on at this moment. Only at this moment: another process (or an outgoing connection, which
 * takes ports from the same range) may bind it before the caller does, so a caller that cannot tolerate that retries.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
