import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/**
 * Where an Open311 request carries its `api_key`, as GeoReport v2 clients send it: the `x-api-key` header (as for
 * GraphQL), the `api_key` query parameter, or the `api_key` field of a form-urlencoded or JSON body.
 * `none`: no key anywhere, or only empty ones (an anonymous request). `key`: one key (the same value wherever it was given).
 * `refused`: a key was given but cannot be one (different values in different places, a repeated parameter with
 * different values, a JSON value that is not a string), with the description for the client.
 */
export type Open311ApiKey = { kind: 'none' } | { kind: 'key'; key: string } | { kind: 'refused'; description: string };

/**
 * Finds the api_key of an Open311 POST. A body the gateway cannot read (malformed JSON, another content type)
 * carries no key as far as the gateway is concerned: it goes on to enforcement, which answers it as it always has
 * (400 in the spec's format), so the gateway never has a second opinion on what a valid request is.
 */
export function open311ApiKeyOf(headers: IncomingHttpHeaders, rawQuery: string, body: Buffer): Open311ApiKey {
  const given: unknown[] = [];
  const header = headers['x-api-key'];
  if (header !== undefined) given.push(...(Array.isArray(header) ? header : [header]));
  given.push(...new URLSearchParams(rawQuery).getAll('api_key'));
  given.push(...bodyKeys(String(headers['content-type'] ?? ''), body));
  // Clients built for keyless servers often send the field empty: that is no key, not a wrong one.
  const keys = given.filter((value) => value !== '');
  if (keys.length === 0) return { kind: 'none' };
  if (keys.some((value) => typeof value !== 'string')) return { kind: 'refused', description: 'api_key must be a string' };
  const distinct = new Set(keys as string[]);
  if (distinct.size > 1) return { kind: 'refused', description: 'api_key was given more than once, with different values; send one key' };
  return { kind: 'key', key: [...distinct][0] };
}

function bodyKeys(contentType: string, body: Buffer): unknown[] {
  if (body.length === 0) return [];
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return new URLSearchParams(body.toString('utf8')).getAll('api_key');
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return [];
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || !Object.hasOwn(parsed, 'api_key')) return [];
    return [(parsed as Record<string, unknown>).api_key];
  }
  return [];
}

/** `too-large`: more than `maxBytes` arrived; the rest is read and dropped, so the client still gets the answer. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      received += chunk.length;
      if (received > maxBytes) {
        over = true;
        chunks.length = 0;
        resolve('too-large');
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('The client went away before its request was complete'));
    });
  });
}
