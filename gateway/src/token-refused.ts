// Owns the refusal of a bearer token: the status and the client's stable reason, never the token itself.

/**
 * A token the gateway does not accept: 401 when it is not a valid token of a trusted issuer for this platform, 403
 * when it is one but names a caller the platform cannot serve (a role it does not know, an incomplete territory),
 * 503 when the provider's keys cannot be fetched. `reason` is the client's stable code; the message never quotes
 * the token.
 */
export class TokenRefused extends Error {
  constructor(
    readonly status: 401 | 403 | 503,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRefused';
  }
}

export const refuse = (reason: string, message: string) => new TokenRefused(401, reason, message);
export const forbid = (reason: string, message: string) => new TokenRefused(403, reason, message);
