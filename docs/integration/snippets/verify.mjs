// Verifies one Standard Webhooks request: node verify.mjs < body
// Secret and headers from the environment: WEBHOOK_SECRET (whsec_…), WEBHOOK_ID, WEBHOOK_TIMESTAMP, WEBHOOK_SIGNATURE.
// Prints "valid" (exit 0) or "invalid: <reason>" (exit 1). Node's standard library only.
import { createHmac, timingSafeEqual } from 'node:crypto';

const TOLERANCE_SECONDS = 5 * 60; // refuse attempts older (or newer) than this: a captured request cannot be replayed later

function verify(secret, id, timestamp, signatureHeader, body) {
  if (!id || !/^\d+$/.test(timestamp ?? '') || !signatureHeader) return 'missing webhook-id, webhook-timestamp or webhook-signature';
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return 'timestamp outside the tolerance';
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  // The signed content is the raw body exactly as received: verify before parsing the JSON.
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
  for (const signature of signatureHeader.split(' ')) {
    const [version, value] = signature.split(',', 2);
    if (version !== 'v1' || !value) continue; // two signatures during a secret rotation; other versions are not ours
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return null;
  }
  return 'no matching signature';
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const env = process.env;
const problem = verify(env.WEBHOOK_SECRET ?? '', env.WEBHOOK_ID, env.WEBHOOK_TIMESTAMP, env.WEBHOOK_SIGNATURE, Buffer.concat(chunks));
console.log(problem === null ? 'valid' : `invalid: ${problem}`);
process.exitCode = problem === null ? 0 : 1;
