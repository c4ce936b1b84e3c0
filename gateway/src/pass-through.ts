// Owns the generic signed pass-through: a plain-HTTP request streamed to a subgraph with the signed caller, and back.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Request, Response } from 'express';
import { signGatewayRoute, type Caller } from '#libs/auth';
import type { GatewayEnvironment } from './gateway-environment.js';
import { log } from './log.js';

export interface PassThroughOptions {
  /** The subgraph that answers, and the path (with query) on it. */
  service: string;
  path: string;
  /** Signed into the forwarded request, so the service accepts only what came through the gateway. */
  caller: Caller;
  /** Request headers the service needs; everything else (the JWT above all) stays here. */
  forwardedHeaders: readonly string[];
  maxBytes: number;
  tooLargeMessage: string;
  timeoutMs: number;
  /** The request body when the gateway had to read it first (at most maxBytes): sent as is instead of streamed. */
  body?: Buffer;
  /** Answers an error in the route's own format. */
  fail: (status: number, message: string) => void;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
]);

/**
 * Streams a plain-HTTP request to a subgraph with the signed caller, and its answer back, buffering neither. A body
 * over the limit is refused by its Content-Length or, without one, cut off as it streams; a client that goes away
 * cancels the upstream request, so the service keeps nothing half-sent.
 */
export function passThrough(
  req: Request,
  res: Response,
  env: GatewayEnvironment,
  subgraphs: Map<string, string>,
  options: PassThroughOptions,
): void {
  const { service, caller, fail } = options;
  if (Number(req.headers['content-length'] ?? 0) > options.maxBytes) return fail(413, options.tooLargeMessage);
  const graphqlUrl = subgraphs.get(service);
  if (!graphqlUrl) return fail(503, `The ${service} service is not routed yet`);
  const target = new URL(graphqlUrl);
  const path = `${target.pathname.replace(/\/graphql\/?$/, '')}${options.path}`;
  // Signed for this service, this method and this path, for seconds and once: the body streams, so no digest binds it.
  signGatewayRoute({
    caller,
    subgraph: service,
    method: req.method,
    target: path,
    key: env.GATEWAY_SIGNING_KEY!,
    ttlSeconds: env.GATEWAY_SIGNATURE_TTL_SECONDS,
  })
    .then((signature) => forward(req, res, target, path, signature, options))
    .catch((error: Error) => {
      log('error', 'Signing a pass-through failed', { requestId: caller.requestId, service, error: error.message });
      fail(500, 'The request could not be passed on');
    });
}

function forward(
  req: Request,
  res: Response,
  target: URL,
  path: string,
  signature: Record<string, string>,
  options: PassThroughOptions,
): void {
  const { service, caller, fail } = options;
  const tooLarge = () => fail(413, options.tooLargeMessage);
  const headers: Record<string, string | string[]> = { ...signature, 'x-request-id': caller.requestId };
  for (const name of options.forwardedHeaders) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  // Exactly the bytes read; a client that sent them chunked gets a length here, as the service needs no stream.
  if (options.body) headers['content-length'] = String(options.body.length);
  const upstream = (target.protocol === 'https:' ? httpsRequest : httpRequest)({
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port,
    method: req.method,
    path,
    headers,
    timeout: options.timeoutMs,
  });
  let answered = false;
  let refused = false;
  upstream.on('response', (answer) => {
    answered = true;
    res.status(answer.statusCode ?? 502);
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) res.setHeader(name, value);
    }
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  upstream.on('timeout', () => upstream.destroy(new Error(`${service} did not answer in time`)));
  upstream.on('error', (error) => {
    if (answered || refused || res.writableEnded) return;
    log('error', 'Pass-through to a service failed', { requestId: caller.requestId, service, error: error.message });
    fail(502, `The ${service} service did not answer`);
  });
  req.on('close', () => {
    if (!req.complete) upstream.destroy();
  });
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });

  if (req.method === 'GET' || req.method === 'HEAD') {
    upstream.end();
    return;
  }
  if (options.body) {
    upstream.end(options.body);
    return;
  }
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > options.maxBytes && !refused) {
      refused = true;
      req.unpipe(upstream);
      req.resume(); // the rest is read and dropped, so the client gets the answer instead of a stalled connection
      upstream.destroy();
      if (!answered) tooLarge();
    }
  });
  req.pipe(upstream);
}
