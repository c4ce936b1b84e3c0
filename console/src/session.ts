// Owns who is signed in: the bearer token the console sends, kept for the browser tab only (sessionStorage), so
// closing the tab signs out and no token outlives the session on a shared office computer.
const KEY = 'console.token';

export function currentToken(): string | null {
  return sessionStorage.getItem(KEY);
}

/** Keeps the token the sign-in got (the provider's access token, or a development one) for this tab. */
export function keepToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

export interface DevSignIn {
  role: string;
  orgUnitId: string | null;
}

/**
 * Development only: the gateway's POST /dev/sign-in mints a development token (as `npm run token` does). The endpoint
 * does not exist in production, where officials sign in with the identity provider (oidc.ts).
 */
export async function devSignIn(request: DevSignIn, keep = true): Promise<string> {
  const response = await fetch('/dev/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: string; message?: string };
  if (!response.ok || !body.token) {
    throw new Error(
      response.status === 404 ? '此环境不提供演示登录，请通过统一身份认证登录' : `登录失败：${body.message ?? response.status}`,
    );
  }
  if (keep) keepToken(body.token);
  return body.token;
}
