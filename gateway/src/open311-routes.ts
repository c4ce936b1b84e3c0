// Owns `/open311/v2/*` (GeoReport v2): public reads and new requests passed through to enforcement, in the spec's formats.
import type { Express, Request, Response } from 'express';
import type { GraphQLError } from 'graphql';
import type { Caller } from '#libs/auth';
import { ErrorCode } from '#libs/errors';
import { API_KEY_REFUSALS, authenticateApiKey } from './authentication.js';
import { open311ApiKeyOf, readBody } from './open311-api-key.js';
import { passThrough } from './pass-through.js';
import { clientAddress, takeOpen311Post, takeOpen311Read } from './rate-limit.js';
import { requestIdOf } from './request-id.js';
import type { RouteContext } from './route-context.js';

/** Open311 requests are small forms: anything larger is refused before enforcement sees it. */
export const MAX_OPEN311_REQUEST_BYTES = 64 * 1024;
const OPEN311_TIMEOUT_MS = 30_000;
const OPEN311_PATH = /^\/open311\/v2\/(?:services|requests)(?:\/[\w.%-]+)?\.(?:json|xml)$/i;
const OPEN311_TOO_LARGE = 'An Open311 request may be at most 64 KiB';

/** What the client is told about a refused api_key, by notifications' reason. */
const OPEN311_KEY_REFUSALS: Record<string, string> = {
  ...API_KEY_REFUSALS,
  MALFORMED_API_KEY: 'api_key is not an API key (wsk_…)',
};

export function mountOpen311Routes(app: Express, context: RouteContext): void {
  // Open311 GeoReport v2 is public: no JWT; the gateway signs an anonymous caller (or, for a POST with an
  // institution's api_key, that institution) and passes the request through.
  app.use('/open311/v2', context.corsPolicy);
  app.all('/open311/v2/*path', (req, res) => proxyOpen311(req, res, context));
}

/**
 * `/open311/v2/*` (GeoReport v2) passes through to enforcement as plain HTTP. Open311 is public: reading asks for no
 * credential (an `api_key` there is ignored) and is signed as an anonymous caller (`open311:public`, no roles), so
 * enforcement still accepts only what came through here. A new request (POST) may carry an institution's API key as
 * `api_key` (header `x-api-key`, query or body field): the gateway reads the body (at most 64 KiB), checks the key
 * with notifications as for GraphQL, and forwards exactly the bytes it read, signed as that institution; a key that is
 * not valid is 403 and reaches nothing. Anonymous new requests are limited per client address
 * (`OPEN311_POSTS_PER_HOUR`, default 30), keyed ones per institution (`OPEN311_KEYED_POSTS_PER_HOUR`, default 600),
 * reads per client address (`OPEN311_GETS_PER_MINUTE`, default 120), counted in Redis by every replica together
 * (rate-limit.ts): 429 with Retry-After beyond. Only the path and
 * query of the spec's resources are forwarded.
 */
async function proxyOpen311(req: Request, res: Response, { env, subgraphs, limits: { open311: limits } }: RouteContext) {
  const asXml = /\.xml(?:\?|$)/i.test(req.originalUrl);
  // Errors in the specification's format: [{ code, description }], or <errors><error>… for .xml.
  const fail = (status: number, description: string) => {
    if (res.headersSent) return res.destroy();
    if (asXml) {
      const text = description.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      res
        .status(status)
        .type('text/xml; charset=utf-8')
        .send(
          `<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>${status}</code><description>${text}</description></error></errors>`,
        );
    } else {
      res.status(status).json([{ code: status, description }]);
    }
  };
  const path = req.originalUrl.split('?')[0];
  if (!OPEN311_PATH.test(path) || path.includes('..')) return fail(404, 'There is no such Open311 resource');
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') return fail(405, `${req.method} is not part of GeoReport v2`);
  const requestId = requestIdOf(req);
  const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
  const forward = (caller: Caller, body?: Buffer) =>
    passThrough(req, res, env, subgraphs, {
      service: 'enforcement',
      path: `${path}${withoutApiKey(query)}`,
      caller,
      forwardedHeaders: ['content-type', 'content-length', 'accept'],
      body,
      maxBytes: MAX_OPEN311_REQUEST_BYTES,
      tooLargeMessage: OPEN311_TOO_LARGE,
      timeoutMs: OPEN311_TIMEOUT_MS,
      fail,
    });
  const anonymous: Caller = { userId: 'open311:public', roles: [], orgUnitId: null, householdId: null, institutionId: null, requestId };
  if (req.method !== 'POST') {
    const refusal = await takeOpen311Read(limits, clientAddress(req));
    if (refusal) {
      res.setHeader('Retry-After', String(refusal.retryAfterSeconds));
      return fail(429, refusal.description);
    }
    return forward(anonymous);
  }

  // The key may be in the body, so the body is read here (it is small) before anything is decided.
  if (Number(req.headers['content-length'] ?? 0) > MAX_OPEN311_REQUEST_BYTES) {
    req.resume(); // read and dropped, so the client gets the answer instead of a stalled connection
    return fail(413, OPEN311_TOO_LARGE);
  }
  let body: Buffer;
  try {
    const read = await readBody(req, MAX_OPEN311_REQUEST_BYTES);
    if (read === 'too-large') return fail(413, OPEN311_TOO_LARGE);
    body = read;
  } catch {
    return res.destroy(); // the client went away: nobody to answer, nothing forwarded
  }

  const apiKey = open311ApiKeyOf(req.headers, query.slice(1), body);
  let caller = anonymous;
  if (apiKey.kind === 'refused') return fail(403, apiKey.description);
  // Open311 knows no bearer tokens: a request carrying one beside a key is ambiguous about who calls, so neither counts.
  if (apiKey.kind === 'key' && req.headers.authorization) return fail(403, 'Send either Authorization or api_key, not both');
  if (apiKey.kind === 'key') {
    try {
      caller = await authenticateApiKey(apiKey.key, requestId, env, subgraphs);
    } catch (error) {
      const extensions = (error as Partial<GraphQLError>).extensions ?? {};
      if (extensions.code === ErrorCode.UNAUTHENTICATED) {
        return fail(403, OPEN311_KEY_REFUSALS[String(extensions.reason)] ?? OPEN311_KEY_REFUSALS.UNKNOWN_API_KEY);
      }
      return fail(503, (error as Error).message);
    }
  }
  const refusal = await takeOpen311Post(limits, caller, clientAddress(req));
  if (refusal) {
    res.setHeader('Retry-After', String(refusal.retryAfterSeconds));
    return fail(429, refusal.description);
  }
  forward(caller, body);
}

/** The query string without `api_key`: a secret the gateway has checked goes no further (nor into a service's URL logs). */
export function withoutApiKey(query: string): string {
  if (!/(?:^\?|&)api_key=/.test(query)) return query;
  const params = new URLSearchParams(query);
  params.delete('api_key');
  const rest = params.toString();
  return rest ? `?${rest}` : '';
}
