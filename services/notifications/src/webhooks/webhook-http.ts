import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { PinnedAddress } from './url-policy.js';

export interface WebhookResponse {
  /** The HTTP status, or null when no answer came (refused, reset, timed out). */
  status: number | null;
  error: string | null;
  durationMs: number;
}

const USER_AGENT = 'waste-sorting-platform-webhooks/1';

/** Kept-alive connections per (address, port, TLS name), so a busy endpoint is not a TLS handshake per message. */
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, maxFreeSockets: 32 }),
  'https:': new https.Agent({ keepAlive: true, maxFreeSockets: 32 }),
};

/**
 * POSTs `body` to `url`, connecting to `pinned` (the address checked for this attempt) rather than resolving the
 * host again; the Host header and TLS server name are still the URL's, so virtual hosts and certificates work.
 * Redirects are not followed (the status is returned as is). The whole exchange is bounded by `timeoutMs`.
 * Never throws: every failure comes back as `error`.
 */
export function postWebhook(
  url: URL,
  pinned: PinnedAddress,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<WebhookResponse> {
  const started = performance.now();
  const secure = url.protocol === 'https:';
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      resolve({ status, error, durationMs: Math.round(performance.now() - started) });
    };
    const request = (secure ? https : http).request({
      method: 'POST',
      host: pinned.address,
      family: pinned.family,
      port: url.port ? Number(url.port) : secure ? 443 : 80,
      path: `${url.pathname}${url.search}`,
      agent: AGENTS[secure ? 'https:' : 'http:'],
      ...(secure && !isIP(hostname) ? { servername: hostname } : {}),
      headers: {
        host: url.host,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': USER_AGENT,
        ...headers,
      },
    });
    // The deadline covers connecting, sending and the answer; a body still streaming after it is cut off.
    const timer = setTimeout(() => {
      finish(null, `timed out after ${timeoutMs} ms`);
      request.destroy();
    }, timeoutMs);
    request.on('response', (response) => {
      finish(response.statusCode ?? null, null);
      response.resume();
      response.on('end', () => clearTimeout(timer));
      response.on('error', () => clearTimeout(timer));
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      finish(null, describe(error));
    });
    request.end(body);
  });
}

function describe(error: NodeJS.ErrnoException): string {
  const text = error.code && !error.message.includes(error.code) ? `${error.code}: ${error.message}` : error.message;
  return text.slice(0, 300);
}
