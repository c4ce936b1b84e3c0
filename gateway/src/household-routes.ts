// Owns the plain-HTTP routes households answers: photo uploads, collection-record CSV imports and monthly reports.
import type { Express, Request, Response } from 'express';
import type { GraphQLError } from 'graphql';
import type { Caller } from '#libs/auth';
import { ErrorCode } from '#libs/errors';
import { MAX_COLLECTION_IMPORT_REQUEST_BYTES, MAX_UPLOAD_REQUEST_BYTES } from '#libs/platform';
import { authenticate } from './authentication.js';
import { passThrough } from './pass-through.js';
import { RATE_LIMITED, takeCallerAllowance, type RateLimits } from './rate-limit.js';
import type { RouteContext } from './route-context.js';

interface UploadLimit {
  maxBytes: number;
  tooLargeMessage: string;
}
const PHOTO_LIMIT: UploadLimit = {
  maxBytes: MAX_UPLOAD_REQUEST_BYTES,
  tooLargeMessage: `An upload request may be at most ${MAX_UPLOAD_REQUEST_BYTES.toLocaleString('en')} bytes (a 5 MB photo)`,
};
const COLLECTION_IMPORT_LIMIT: UploadLimit = {
  maxBytes: MAX_COLLECTION_IMPORT_REQUEST_BYTES,
  tooLargeMessage: `A collection import request may be at most ${MAX_COLLECTION_IMPORT_REQUEST_BYTES.toLocaleString('en')} bytes (a 10 MiB CSV file)`,
};
const UPLOAD_TIMEOUT_MS = 60_000;
/** Request headers households needs; everything else (the JWT above all) stays at the gateway. */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'content-length', 'idempotency-key', 'if-none-match', 'accept'];

export function mountHouseholdRoutes(app: Express, context: RouteContext): void {
  const { corsPolicy, limits } = context;
  app.use('/uploads', corsPolicy);
  app.post('/uploads', (req, res) => proxyToHouseholds(req, res, context, '/uploads', PHOTO_LIMIT, limits.uploads));
  app.get('/uploads/:id', (req, res) =>
    // Dots are escaped too, so no id can walk out of /uploads/ on the way; households validates what arrives.
    proxyToHouseholds(req, res, context, `/uploads/${encodeURIComponent(String(req.params.id)).replace(/\./g, '%2E')}`),
  );
  app.use('/collection-imports', corsPolicy);
  app.post('/collection-imports', (req, res) =>
    proxyToHouseholds(req, res, context, '/collection-imports', COLLECTION_IMPORT_LIMIT, limits.uploads),
  );

  // Monthly reports of the headline figures: a CSV download and a printable page, authenticated like GraphQL.
  app.use('/reports', corsPolicy);
  app.get('/reports/monthly/:orgUnitId/:file', (req, res) => {
    const file = String(req.params.file);
    if (!/^\d{4}-\d{2}\.(?:csv|html)$/.test(file)) {
      return void res.status(404).json({ error: { code: ErrorCode.NOT_FOUND, message: 'Ask for <YYYY-MM>.csv or <YYYY-MM>.html' } });
    }
    return proxyToHouseholds(
      req,
      res,
      context,
      `/reports/monthly/${encodeURIComponent(String(req.params.orgUnitId)).replace(/\./g, '%2E')}/${file}`,
    );
  });
}

/**
 * Photo uploads and downloads (`POST /uploads`, `GET /uploads/:id`), collection records' CSV files
 * (`POST /collection-imports`) and the monthly reports (`GET /reports/monthly/…`) are plain HTTP, not GraphQL: the
 * gateway authenticates the caller exactly as for GraphQL, refuses bodies over the route's limit, and streams the
 * request to the households service with the signed caller, and its answer back, without buffering either. The
 * gateway's own refusals are `{ error: { code, message } }`.
 */
async function proxyToHouseholds(
  req: Request,
  res: Response,
  { env, subgraphs }: RouteContext,
  path: string,
  limit = PHOTO_LIMIT,
  rateLimit?: RateLimits['uploads'],
) {
  const fail = (status: number, message: string) => {
    const code =
      status === 401
        ? ErrorCode.UNAUTHENTICATED
        : status === 403
          ? ErrorCode.FORBIDDEN
          : status === 413
            ? 'PAYLOAD_TOO_LARGE'
            : status === 429
              ? RATE_LIMITED
              : ErrorCode.INTERNAL_SERVER_ERROR;
    if (res.headersSent) res.destroy();
    else
      res
        .status(status)
        .json({ error: { code, message, ...(status === 429 ? { retryAfter: Number(res.getHeader('retry-after')) } : {}) } });
  };
  let caller: Caller;
  try {
    caller = await authenticate(req, env, subgraphs);
  } catch (error) {
    const status = ((error as Partial<GraphQLError>).extensions?.http as { status?: number } | undefined)?.status;
    return fail(status === 403 || status === 503 ? status : 401, (error as Error).message);
  }
  const refusal = rateLimit ? await takeCallerAllowance(rateLimit, caller) : null;
  if (refusal) {
    req.resume(); // the body is read and dropped, so the client gets the answer instead of a stalled connection
    res.setHeader('Retry-After', String(refusal.retryAfterSeconds));
    return fail(429, refusal.description);
  }
  passThrough(req, res, env, subgraphs, {
    service: 'households',
    path,
    caller,
    forwardedHeaders: FORWARDED_REQUEST_HEADERS,
    ...limit,
    timeoutMs: UPLOAD_TIMEOUT_MS,
    fail,
  });
}
