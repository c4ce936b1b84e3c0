import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com). A secret is `whsec_` + base64 of 32 random bytes;
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

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('not a whsec_ secret');
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  if (key.length === 0) throw new Error('empty webhook secret');
  return key;
}

/** `v1,<signature>` of one message attempt with one secret. */
export function signWebhook(secret: string, webhookId: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', keyOf(secret)).update(`${webhookId}.${timestamp}.${body}`).digest('base64')}`;
}

/** The `webhook-*` headers of one attempt, signed with every secret given (newest first). */
export function webhookHeaders(secrets: readonly string[], webhookId: string, timestamp: number, body: string): Record<string, string> {
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => signWebhook(secret, webhookId, timestamp, body)).join(' '),
  };
}
