// Owns the sign-in with the district's identity provider: the authorization code flow with PKCE (S256), run by the
// console itself as a public client. The gateway says where the provider is (GET /console/config.json); the flow's
// secrets (verifier, state, nonce) stay in this tab's sessionStorage between leaving for the provider and coming back.
import { keepToken } from './session';

export type ConsoleConfig =
  | {
      signIn: 'oidc';
      issuer: string;
      clientId: string;
      audience: string | null;
      authorizationEndpoint: string;
      tokenEndpoint: string;
      endSessionEndpoint: string | null;
    }
  | { signIn: 'development' | 'none' };

const FLOW = 'console.oidc-flow';
/** The one redirect URI the provider registered for the console (a client route the gateway serves the page on). */
export const CALLBACK_PATH = '/sign-in/callback';

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/console/config.json');
  // A gateway without the route (an older one) has only the development sign-in to offer, if any.
  if (response.status === 404) return { signIn: 'development' };
  if (!response.ok) throw new Error(`统一身份认证暂不可用（${response.status}）`);
  return (await response.json()) as ConsoleConfig;
}

function randomText(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function redirectUri(): string {
  return `${location.origin}${CALLBACK_PATH}`;
}

/** Leaves for the provider's sign-in, remembering in this tab what the way back must match. */
export async function startSignIn(config: Extract<ConsoleConfig, { signIn: 'oidc' }>): Promise<void> {
  const flow = { state: randomText(), nonce: randomText(), verifier: randomText() };
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(flow.verifier))));
  sessionStorage.setItem(FLOW, JSON.stringify(flow));
  const target = new URL(config.authorizationEndpoint);
  target.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid',
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(config.audience ? { resource: config.audience } : {}),
  }).toString();
  location.assign(target.toString());
}

/** The claims of a JWT, unverified: the ID token comes straight from the token endpoint over this tab's own request. */
function claimsOf(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  const text = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(text, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
}

/**
 * The way back from the provider: the state must be the one this tab sent (or someone else's sign-in could be planted
 * here), the code is exchanged with this tab's verifier, and the ID token must carry this tab's nonce and name this
 * provider and this client. Only then is the access token kept. The flow is forgotten whatever the outcome.
 */
export async function completeSignIn(config: Extract<ConsoleConfig, { signIn: 'oidc' }>, search: string): Promise<void> {
  const flow = JSON.parse(sessionStorage.getItem(FLOW) ?? 'null') as { state: string; nonce: string; verifier: string } | null;
  sessionStorage.removeItem(FLOW);
  const params = new URLSearchParams(search);
  if (!flow || params.get('state') !== flow.state) throw new Error('登录请求无效或已过期（state 不符），请重新登录');
  const providerError = params.get('error');
  if (providerError) throw new Error(`统一身份认证拒绝了登录：${params.get('error_description') ?? providerError}`);
  const code = params.get('code');
  if (!code) throw new Error('统一身份认证未返回授权码，请重新登录');

  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    code_verifier: flow.verifier,
    redirect_uri: redirectUri(),
    client_id: config.clientId,
    ...(config.audience ? { resource: config.audience } : {}),
  });
  const response = await fetch(config.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; id_token?: unknown; error?: string };
  if (!response.ok || typeof body.access_token !== 'string' || typeof body.id_token !== 'string') {
    throw new Error(`换取令牌失败：${body.error ?? response.status}`);
  }
  const idToken = claimsOf(body.id_token);
  const audiences = Array.isArray(idToken.aud) ? idToken.aud : [idToken.aud];
  if (idToken.nonce !== flow.nonce || idToken.iss !== config.issuer || !audiences.includes(config.clientId)) {
    throw new Error('身份令牌与本次登录不符（nonce、签发方或客户端），请重新登录');
  }
  keepToken(body.access_token);
}
