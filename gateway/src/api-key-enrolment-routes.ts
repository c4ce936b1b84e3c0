// Owns `POST /api-keys/enrol`: an institution redeems its one-time enrolment code with notifications for its API key.
import type { Express, Request, Response } from 'express';
import type { Caller } from '#libs/auth';
import { ErrorCode } from '#libs/errors';
import { API_KEY_CHECK_TIMEOUT_MS } from './authentication.js';
import { passThrough } from './pass-through.js';
import { clientAddress, RATE_LIMITED, waitText, type SharedLimiter } from './rate-limit.js';
import { requestIdOf } from './request-id.js';
import type { RouteContext } from './route-context.js';

const MAX_ENROLMENT_REQUEST_BYTES = 4 * 1024;

export function mountApiKeyEnrolmentRoutes(app: Express, context: RouteContext): void {
  // An institution redeems the enrolment code staff handed to its contact for its API key (notifications answers
  // the key's secret to it alone). Nobody is signed in: the one-time code is the credential, and attempts are
  // counted per client address so codes cannot be tried in bulk.
  app.use('/api-keys', context.corsPolicy);
  app.post('/api-keys/enrol', (req, res) => proxyEnrolment(req, res, context, context.limits.enrolments));
}

/** `POST /api-keys/enrol` passed through to notifications, signed as the anonymous enrolment caller. */
async function proxyEnrolment(req: Request, res: Response, { env, subgraphs }: RouteContext, limiter: SharedLimiter) {
  const fail = (status: number, message: string) => {
    const code = status === 429 ? RATE_LIMITED : status === 413 ? 'PAYLOAD_TOO_LARGE' : ErrorCode.INTERNAL_SERVER_ERROR;
    if (res.headersSent) res.destroy();
    else
      res
        .status(status)
        .json({ error: { code, message, ...(status === 429 ? { retryAfter: Number(res.getHeader('retry-after')) } : {}) } });
  };
  const taken = await limiter.take(clientAddress(req));
  if (!taken.allowed) {
    req.resume();
    res.setHeader('Retry-After', String(taken.retryAfterSeconds));
    return fail(
      429,
      `At most ${limiter.limit} enrolment attempts an hour from one address; try again in ${waitText(taken.retryAfterSeconds)}`,
    );
  }
  const caller: Caller = {
    userId: 'enrolment:public',
    roles: [],
    orgUnitId: null,
    householdId: null,
    institutionId: null,
    requestId: requestIdOf(req),
  };
  passThrough(req, res, env, subgraphs, {
    service: 'notifications',
    path: '/api-keys/enrol',
    caller,
    forwardedHeaders: ['content-type', 'content-length', 'accept'],
    maxBytes: MAX_ENROLMENT_REQUEST_BYTES,
    tooLargeMessage: 'An enrolment request is a small JSON body: { "code": "wse_…" }',
    timeoutMs: API_KEY_CHECK_TIMEOUT_MS,
    fail,
  });
}
