import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/**
 * A node:http request listener from an async one, for the fake services and receivers tests stand up: node:http does
 * not wait for a returned promise, so a failure would go unhandled. Here it answers 500 with the error's message,
 * which the test then sees.
 */
export function asyncHandler(handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>): RequestListener {
  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(error instanceof Error ? error.message : 'request handler failed');
    });
  };
}
