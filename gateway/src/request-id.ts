// Owns the request id every gateway request carries into the services and the logs.
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';

/** Keeps a caller-supplied request id when it is sane, so a front end can correlate its own logs. */
export function requestIdOf(req: Request): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{8,64}$/.test(given) ? given : randomUUID();
}
