// Owns `GET /calendars/<token>.ics`: a bureau's iCalendar feed, passed through to enforcement.
import type { Express, Response } from 'express';
import { ErrorCode } from '#libs/errors';
import { tracedFetch } from '#libs/telemetry';
import type { RouteContext } from './route-context.js';
import { requestIdOf } from './request-id.js';

/** The same 60 seconds the gateway gives an upload to pass through. */
const CALENDAR_TIMEOUT_MS = 60_000;

export function mountCalendarRoutes(app: Express, { subgraphs }: RouteContext): void {
  // A bureau's iCalendar feed: the secret token in the address is the credential (calendar apps send no sign-in).
  app.get('/calendars/:file', (req, res) => proxyCalendar(res, subgraphs, String(req.params.file), requestIdOf(req)));
}

/** `GET /calendars/<token>.ics` passed through to enforcement, which checks the token; its answer comes back as is. */
async function proxyCalendar(res: Response, subgraphs: Map<string, string>, file: string, requestId: string) {
  const graphqlUrl = subgraphs.get('enforcement');
  if (!graphqlUrl)
    return res.status(503).json({ error: { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'The enforcement service is not routed yet' } });
  try {
    const target = new URL(graphqlUrl);
    target.pathname = `${target.pathname.replace(/\/graphql\/?$/, '')}/calendars/${encodeURIComponent(file)}`;
    const answer = await tracedFetch(target, { headers: { 'x-request-id': requestId }, signal: AbortSignal.timeout(CALENDAR_TIMEOUT_MS) });
    res.status(answer.status);
    for (const name of ['content-type', 'content-disposition', 'cache-control', 'x-content-type-options', 'referrer-policy']) {
      const value = answer.headers.get(name);
      if (value !== null) res.setHeader(name, value);
    }
    res.send(Buffer.from(await answer.arrayBuffer()));
  } catch {
    if (!res.headersSent)
      res.status(502).json({ error: { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'The enforcement service did not answer' } });
  }
}
