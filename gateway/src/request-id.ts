// Owns the request id every gateway request carries into the services and the logs.
import type { Request } from 'express';
import { acceptedRequestId } from '#libs/observability';

/**
 * The request's id: the one the request logging gave it first (a sane caller-supplied `x-request-id`, so a front end
 * can correlate its own logs, else a new one), the same however often it is asked for.
 */
export function requestIdOf(req: Request): string {
  const request = req as Request & { id?: unknown };
  if (typeof request.id !== 'string') request.id = acceptedRequestId(req.headers['x-request-id']);
  return request.id;
}
