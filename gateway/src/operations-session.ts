// Owns who may use the operations routes: an OPERATOR, by bearer token (scripts) or the dashboard's sign-in cookie
// (browsers), and that no other site can make a signed-in browser change anything.
import type { Request, RequestHandler, Response } from 'express';
import { hasPermission, Permission, type Caller } from '#libs/auth';
import { ErrorCode } from '#libs/errors';
import { tokenVerifierFor } from './access-tokens.js';
import type { GatewayEnvironment } from './gateway-environment.js';
import { requestIdOf } from './request-id.js';
import { TokenRefused } from './token-refused.js';

/** The session cookie holds the provider's access token itself, verified on every request like a bearer token. */
export const sessionCookieName = (env: Pick<GatewayEnvironment, 'NODE_ENV'>) =>
  env.NODE_ENV === 'production' ? '__Secure-operations-session' : 'operations-session';
export const OPERATIONS_COOKIE_PATH = '/operations';
export const SIGN_IN_PATH = '/operations/sign-in';

/** What the operations routes keep of the request for the audit. */
export interface OperatorLocals {
  operator: Caller;
  via: 'bearer' | 'cookie';
}

/** One JSON error shape, as the other plain-HTTP routes answer. */
export function refuseJson(res: Response, status: number, code: ErrorCode, reason: string, message: string): void {
  res.status(status).json({ error: { code, reason, message } });
}

export function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

/** A page a person opens (not the dashboard's own API calls, nor a script): sent to sign in instead of a 401. */
function wantsPage(req: Request): boolean {
  return req.method === 'GET' && !req.path.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html');
}

/**
 * Lets through callers holding QUEUE_OPERATE (operators); everyone else gets a coded JSON error: 401 without valid
 * credentials (a person opening the page is redirected to sign in instead), 403 for a valid caller of another role.
 */
export function requireOperator(env: GatewayEnvironment): RequestHandler {
  return async (req, res, next) => {
    const bearer = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const cookie = cookieOf(req, sessionCookieName(env));
    const token = bearer ?? cookie;
    const toSignIn = () => {
      if (!env.OPERATIONS_CLIENT_ID || !wantsPage(req)) return false;
      res.redirect(302, `${SIGN_IN_PATH}?return=${encodeURIComponent(req.originalUrl)}`);
      return true;
    };
    if (!token) {
      if (toSignIn()) return;
      return refuseJson(
        res,
        401,
        ErrorCode.UNAUTHENTICATED,
        'MISSING_CREDENTIALS',
        'Sign in at /operations/sign-in, or send Authorization: Bearer <token>',
      );
    }
    let caller: Caller;
    try {
      caller = { ...(await tokenVerifierFor(env)(token)), requestId: requestIdOf(req) };
    } catch (error) {
      const refusal = error instanceof TokenRefused ? error : new TokenRefused(401, 'INVALID_TOKEN', 'invalid token');
      if (!bearer) res.clearCookie(sessionCookieName(env), { path: OPERATIONS_COOKIE_PATH });
      if (refusal.status === 401 && !bearer && toSignIn()) return;
      const code =
        refusal.status === 403 ? ErrorCode.FORBIDDEN : refusal.status === 503 ? ErrorCode.INTERNAL_SERVER_ERROR : ErrorCode.UNAUTHENTICATED;
      return refuseJson(res, refusal.status, code, refusal.reason, refusal.message);
    }
    if (!hasPermission(caller, Permission.QUEUE_OPERATE)) {
      return refuseJson(
        res,
        403,
        ErrorCode.FORBIDDEN,
        'MISSING_PERMISSION',
        'The queue dashboard is for platform operators (role OPERATOR)',
      );
    }
    Object.assign(res.locals, { operator: caller, via: bearer ? 'bearer' : 'cookie' } satisfies OperatorLocals);
    next();
  };
}

/** The origin the dashboard is served from, as browsers see it. */
export function ownOrigin(req: Request, env: GatewayEnvironment): string {
  return env.OPERATIONS_PUBLIC_URL ?? `${req.protocol}://${req.get('host')}`;
}

/**
 * Cross-site request forgery: the session cookie is SameSite=Strict, and on top a call that changes anything must
 * come from the dashboard's own origin. Browsers send Origin on every such call, so one signed in by cookie without
 * it is refused too; a script with a bearer token sends none (and a token is no ambient credential).
 */
export function sameOriginWrites(env: GatewayEnvironment): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const origin = req.headers.origin;
    const { via } = res.locals as OperatorLocals;
    const crossSite = req.headers['sec-fetch-site'] === 'cross-site';
    if (crossSite || (origin !== undefined && origin !== ownOrigin(req, env)) || (origin === undefined && via === 'cookie')) {
      return refuseJson(res, 403, ErrorCode.FORBIDDEN, 'CROSS_SITE_REQUEST', 'Changes are accepted only from the dashboard itself');
    }
    next();
  };
}
