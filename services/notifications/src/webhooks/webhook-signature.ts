import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com), by the standardwebhooks library that receivers are
 * pointed to for verifying, so the two cannot drift apart. A secret is `whsec_` + base64 of 32 random bytes;
 * the key is those bytes (the base64 after the prefix, decoded). A signature is `v1,` + base64 of
 * HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>"); several are joined by spaces, and a receiver accepts
 * the request if any of them verifies (how a secret rotation overlaps).
 */
export const SECRET_PREFIX = 'whsec_';

export function newSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** The visible start of a secret, to tell secrets apart in lists: `whsec_` and four characters. */
export function secretPrefix(secret: string): string {
  return secret.slice(0, SECRET_PREFIX.length + 4);
}

/** The library takes any string as a secret; ours are always `whsec_` with a key, and anything else is a bug. */
function checkSecret(secret: string): void {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('not a whsec_ secret');
  if (Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64').length === 0) throw new Error('empty webhook secret');
}

/** `v1,<signature>` of one message attempt with one secret; `timestamp` in Unix seconds. */
export function signWebhook(secret: string, webhookId: string, timestamp: number, body: string): string {
  checkSecret(secret);
  return new Webhook(secret).sign(webhookId, new Date(timestamp * 1000), body);
}

/** The `webhook-*` headers of one attempt, signed with every secret given (newest first). */
export function webhookHeaders(secrets: readonly string[], webhookId: string, timestamp: number, body: string): Record<string, string> {
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => signWebhook(secret, webhookId, timestamp, body)).join(' '),
  };
}
