// Owns who is calling: a bearer token (staff) or an institution's API key, turned into the signed-in Caller.
import type { Request } from 'express';
import { GraphQLError } from 'graphql';
import { Role, signGatewayRoute, type Caller } from '#libs/auth';
import { ErrorCode } from '#libs/errors';
import { currentRequestFacts, noteCaller } from '#libs/observability';
import { tokenVerifierFor } from './access-tokens.js';
import type { GatewayEnvironment } from './gateway-environment.js';
import { log } from './log.js';
import { requestIdOf } from './request-id.js';
import { TokenRefused } from './token-refused.js';

/**
 * The caller of a request: staff by `Authorization: Bearer <JWT>` (an access token of the identity provider, or a
 * development token outside production: see access-tokens.ts), institutions by `x-api-key` (checked with
 * notifications, which keeps the keys, on every request: a revoked key stops at once). Anything else is
 * UNAUTHENTICATED (or FORBIDDEN for a valid token naming a caller the platform cannot serve), before any data.
 */
export async function authenticate(req: Request, env: GatewayEnvironment, subgraphs: Map<string, string>): Promise<Caller> {
  try {
    const caller = await callerOf(req, env, subgraphs);
    // The request's line says who called by roles only (libs/observability).
    noteCaller(caller);
    return caller;
  } catch (error) {
    // A refused caller never reaches Apollo's plugins: its line gets the code here.
    const code = error instanceof GraphQLError ? error.extensions.code : undefined;
    const facts = currentRequestFacts();
    if (facts && typeof code === 'string') facts.errorCode = code;
    throw error;
  }
}

async function callerOf(req: Request, env: GatewayEnvironment, subgraphs: Map<string, string>): Promise<Caller> {
  const header = req.headers.authorization;
  const apiKey = req.headers['x-api-key'];
  if (apiKey !== undefined) {
    if (header) throw unauthenticated('Send either Authorization or x-api-key, not both', 'TOKEN_AND_API_KEY');
    return authenticateApiKey(String(apiKey), requestIdOf(req), env, subgraphs);
  }
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) throw unauthenticated('Send Authorization: Bearer <token>, or x-api-key: <key> for an institution', 'MISSING_CREDENTIALS');
  try {
    return { ...(await tokenVerifierFor(env)(token)), requestId: requestIdOf(req) };
  } catch (error) {
    if (!(error instanceof TokenRefused)) throw unauthenticated('invalid token', 'INVALID_TOKEN');
    if (error.status === 503) throw unavailable(error.message, error.reason);
    if (error.status === 403) {
      throw new GraphQLError(error.message, { extensions: { code: ErrorCode.FORBIDDEN, reason: error.reason, http: { status: 403 } } });
    }
    throw unauthenticated(error.message, error.reason);
  }
}

export const API_KEY_CHECK_TIMEOUT_MS = 5_000;
/** What the client is told about a refused API key, by notifications' reason. */
export const API_KEY_REFUSALS: Record<string, string> = {
  MALFORMED_API_KEY: 'x-api-key is not an API key (wsk_…)',
  UNKNOWN_API_KEY: 'This API key is not known',
  API_KEY_REVOKED: 'This API key has been revoked',
  API_KEY_EXPIRED: 'This API key was rotated and its overlap has ended; use the new key',
};

/** The institution an API key belongs to, as notifications answers for it; a refused key is UNAUTHENTICATED. */
export async function authenticateApiKey(
  key: string,
  requestId: string,
  env: GatewayEnvironment,
  subgraphs: Map<string, string>,
): Promise<Caller> {
  const notifications = subgraphs.get('notifications');
  if (!notifications) throw unavailable('API keys cannot be checked yet');
  const gatewayCaller: Caller = { userId: 'system:gateway', roles: [], orgUnitId: null, householdId: null, institutionId: null, requestId };
  let verdict: { ok: boolean; institutionId?: string; prefix?: string; reason?: string };
  try {
    const url = new URL('/internal/api-keys/verify', notifications);
    const signature = await signGatewayRoute({
      caller: gatewayCaller,
      subgraph: 'notifications',
      method: 'POST',
      target: url.pathname,
      key: env.GATEWAY_SIGNING_KEY!,
      ttlSeconds: env.GATEWAY_SIGNATURE_TTL_SECONDS,
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...signature },
      body: JSON.stringify({ key }),
      signal: AbortSignal.timeout(API_KEY_CHECK_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`notifications answered ${response.status}`);
    verdict = (await response.json()) as typeof verdict;
  } catch (error) {
    log('error', 'API key check failed', { requestId, error: (error as Error).message });
    throw unavailable('API keys cannot be checked right now; try again shortly');
  }
  if (!verdict.ok || !verdict.institutionId) {
    const reason = verdict.reason ?? 'UNKNOWN_API_KEY';
    throw unauthenticated(API_KEY_REFUSALS[reason] ?? API_KEY_REFUSALS.UNKNOWN_API_KEY, reason);
  }
  return {
    userId: `api-key:${verdict.prefix}`,
    roles: [Role.INSTITUTION],
    orgUnitId: null,
    householdId: null,
    institutionId: verdict.institutionId,
    requestId,
  };
}

function unauthenticated(message: string, reason?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, ...(reason ? { reason } : {}), http: { status: 401 } },
  });
}

function unavailable(message: string, reason = 'UNAVAILABLE'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, reason, http: { status: 503 } } });
}
