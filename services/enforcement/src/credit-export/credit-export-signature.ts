import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a receiver checks an export (documented in docs/interfaces/credit-export.md): `x-signature` is `sha256=` + the hex HMAC-SHA256 of
 * `<x-timestamp>.<raw body>` under the shared secret (CREDIT_EXPORT_SECRET); `x-timestamp` is Unix seconds of the
 * attempt; `x-export-id` is the export's id, the same on every attempt: receivers keep it as an idempotency key.
 */
export function signExport(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function exportHeaders(secret: string, exportId: string, timestamp: number, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-export-id': exportId,
    'x-timestamp': String(timestamp),
    'x-signature': signExport(secret, timestamp, body),
  };
}

/** A receiver's check, constant-time. */
export function verifyExportSignature(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signExport(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
