// Owns the dashboard sign-in's conversation with the identity provider: discovery, the code exchange, the flow cookie.
import { timingSafeEqual } from 'node:crypto';
import type { GatewayEnvironment } from './gateway-environment.js';
import { discoveryDocument } from './identity-provider-keys.js';

const DASHBOARD = '/operations/queues/';

export interface Endpoints {
  authorization_endpoint: string;
  token_endpoint: string;
}

/** Where to go after signing in: a page of the dashboard only, so the sign-in is no open redirect. */
export function returnPath(value: unknown): string {
  // Plain path characters only, so the value is safe in the page's refresh URL as well as in a Location header.
  return typeof value === 'string' && /^\/operations\/queues(?:[/?#][\w\-.~/?=&%#]*)?$/.test(value) && !value.includes('//')
    ? value
    : DASHBOARD;
}

export function readFlow(value: string | undefined): { state: string; verifier: string; back: string } | undefined {
  try {
    const flow = JSON.parse(Buffer.from(value ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof flow.state !== 'string' || typeof flow.verifier !== 'string') return undefined;
    return { state: flow.state, verifier: flow.verifier, back: returnPath(flow.back) };
  } catch {
    return undefined;
  }
}

export function sameText(a: string, b: string): boolean {
  return a.length === b.length && a.length > 0 && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export async function discover(env: GatewayEnvironment): Promise<Endpoints> {
  const document = (await discoveryDocument(env)) as Partial<Endpoints>;
  if (!document.authorization_endpoint || !document.token_endpoint) throw new Error('discovery names no authorization or token endpoint');
  return document as Endpoints;
}

export async function exchange(
  env: GatewayEnvironment,
  provider: Endpoints,
  code: string,
  verifier: string,
  redirectUri: string,
): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: redirectUri,
    client_id: env.OPERATIONS_CLIENT_ID!,
  });
  if (env.OPERATIONS_CLIENT_SECRET) form.set('client_secret', env.OPERATIONS_CLIENT_SECRET);
  if (env.OIDC_AUDIENCE) form.set('resource', env.OIDC_AUDIENCE);
  const response = await fetch(provider.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    signal: AbortSignal.timeout(env.OIDC_JWKS_TIMEOUT_MS),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; error?: string };
  if (!response.ok || typeof body.access_token !== 'string')
    throw new Error(`token endpoint answered ${response.status} ${body.error ?? ''}`);
  return body.access_token;
}
