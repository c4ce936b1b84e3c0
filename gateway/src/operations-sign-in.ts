// Owns the dashboard's browser sign-in: the district's identity provider by authorization code with PKCE, ending
// in a short-lived HttpOnly, SameSite=Strict session cookie that holds the provider's access token.
import { createHash, randomBytes } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import { decodeJwt } from 'jose';
import { hasPermission, Permission } from '#libs/auth';
import { ErrorCode } from '#libs/errors';
import { escapeHtml } from '#libs/html';
import { tokenVerifierFor } from './access-tokens.js';
import type { GatewayEnvironment } from './gateway-environment.js';
import { log } from './log.js';
import { discover, exchange, readFlow, returnPath, sameText, type Endpoints } from './operations-oidc-client.js';
import { cookieOf, OPERATIONS_COOKIE_PATH, ownOrigin, refuseJson, sessionCookieName, SIGN_IN_PATH } from './operations-session.js';
import type { RouteContext } from './route-context.js';

const CALLBACK_PATH = '/operations/callback';
const FLOW_COOKIE = 'operations-sign-in';
const FLOW_SECONDS = 600;

const base64url = (bytes: Buffer) => bytes.toString('base64url');

export function mountOperationsSignIn(app: Express, { env }: RouteContext): void {
  const production = env.NODE_ENV === 'production';
  let discovery: Promise<Endpoints> | undefined;
  const endpoints = () => {
    discovery ??= discover(env).catch((error: unknown) => {
      discovery = undefined; // asked again next time: the provider may just have been away
      throw error;
    });
    return discovery;
  };
  const redirectUri = (req: Request) => `${ownOrigin(req, env)}${CALLBACK_PATH}`;

  app.get(SIGN_IN_PATH, async (req, res) => {
    if (!env.OPERATIONS_CLIENT_ID || !env.OIDC_ISSUER) {
      return refuseJson(
        res,
        404,
        ErrorCode.NOT_FOUND,
        'SIGN_IN_NOT_CONFIGURED',
        'No browser sign-in is configured (OPERATIONS_CLIENT_ID); send a bearer token',
      );
    }
    let provider: Endpoints;
    try {
      provider = await endpoints();
    } catch (error) {
      log('error', 'Operations sign-in: the identity provider cannot be reached', { error: (error as Error).message });
      return refuseJson(
        res,
        503,
        ErrorCode.INTERNAL_SERVER_ERROR,
        'IDENTITY_PROVIDER_UNAVAILABLE',
        'The identity provider cannot be reached; try again shortly',
      );
    }
    const state = base64url(randomBytes(24));
    const verifier = base64url(randomBytes(48));
    const flow = base64url(Buffer.from(JSON.stringify({ state, verifier, back: returnPath(req.query.return) })));
    // Lax, not Strict: the provider sends the browser back with a cross-site navigation, which must carry this cookie.
    res.cookie(FLOW_COOKIE, flow, {
      httpOnly: true,
      secure: production,
      sameSite: 'lax',
      path: CALLBACK_PATH,
      maxAge: FLOW_SECONDS * 1000,
    });
    const target = new URL(provider.authorization_endpoint);
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: env.OPERATIONS_CLIENT_ID,
      redirect_uri: redirectUri(req),
      scope: 'openid',
      state,
      code_challenge: base64url(createHash('sha256').update(verifier).digest()),
      code_challenge_method: 'S256',
      ...(env.OIDC_AUDIENCE ? { resource: env.OIDC_AUDIENCE } : {}),
    }))
      target.searchParams.set(name, value);
    res.redirect(302, target.toString());
  });

  app.get(CALLBACK_PATH, async (req, res) => {
    res.clearCookie(FLOW_COOKIE, { path: CALLBACK_PATH });
    const flow = readFlow(cookieOf(req, FLOW_COOKIE));
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    if (!flow || !env.OPERATIONS_CLIENT_ID || !sameText(flow.state, state)) {
      return refuseJson(
        res,
        400,
        ErrorCode.BAD_USER_INPUT,
        'SIGN_IN_STATE_MISMATCH',
        'This sign-in was not started here or has expired; sign in again',
      );
    }
    if (typeof req.query.code !== 'string') {
      return refuseJson(res, 401, ErrorCode.UNAUTHENTICATED, 'SIGN_IN_FAILED', 'The identity provider did not sign you in');
    }
    let token: string;
    try {
      token = await exchange(env, await endpoints(), req.query.code, flow.verifier, redirectUri(req));
    } catch (error) {
      log('error', 'Operations sign-in: the code could not be exchanged', { error: (error as Error).message });
      return refuseJson(
        res,
        502,
        ErrorCode.INTERNAL_SERVER_ERROR,
        'SIGN_IN_FAILED',
        'The identity provider did not issue a token; sign in again',
      );
    }
    await startSession(res, env, token, flow.back);
  });

  app.get('/operations/sign-out', (_req, res) => {
    res.clearCookie(sessionCookieName(env), { path: OPERATIONS_COOKIE_PATH });
    res.status(200).type('text/plain').send('Signed out.');
  });
}

/** Verifies the token like any bearer token, admits operators only, and keeps it in the session cookie. */
async function startSession(res: Response, env: GatewayEnvironment, token: string, back: string): Promise<void> {
  let operator = false;
  try {
    operator = hasPermission({ ...(await tokenVerifierFor(env)(token)), requestId: '' }, Permission.QUEUE_OPERATE);
  } catch {
    return refuseJson(
      res,
      401,
      ErrorCode.UNAUTHENTICATED,
      'INVALID_TOKEN',
      'The identity provider issued a token this platform does not accept',
    );
  }
  if (!operator)
    return refuseJson(res, 403, ErrorCode.FORBIDDEN, 'MISSING_PERMISSION', 'The queue dashboard is for platform operators (role OPERATOR)');
  const expiresIn = (decodeJwt(token).exp ?? 0) - Math.floor(Date.now() / 1000);
  const maxAge = Math.max(0, Math.min(env.OPERATIONS_SESSION_SECONDS, expiresIn)) * 1000;
  res.cookie(sessionCookieName(env), token, {
    httpOnly: true,
    secure: env.NODE_ENV === 'production',
    sameSite: 'strict',
    path: OPERATIONS_COOKIE_PATH,
    maxAge,
  });
  // A page, not a redirect: the browser arrived from the provider (cross-site), and a Strict cookie is sent only on
  // a navigation that starts here, so the dashboard is opened from this page.
  const url = escapeHtml(back); // path characters only (returnPath), escaped all the same as anything put into a page
  res
    .status(200)
    .type('html')
    .send(
      `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${url}"><title>Signed in</title><a href="${url}">Open the queue dashboard</a>`,
    );
}
