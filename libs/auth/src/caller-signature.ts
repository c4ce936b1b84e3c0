import { createHmac, timingSafeEqual } from 'node:crypto';
import { isRole } from './roles.js';
import type { Caller } from './caller.js';

export const CALLER_HEADER = 'x-caller-context';
export const CALLER_SIGNATURE_HEADER = 'x-caller-signature';

/** How long a signed context stays valid: long enough for clock skew, short enough to make replay useless. */
const MAX_AGE_SECONDS = 120;

interface SignedPayload extends Caller {
  /** Issued-at, seconds since the epoch. */
  iat: number;
}

/** Headers the gateway adds to every subgraph request. The subgraph trusts the caller only if the HMAC matches. */
export function signCaller(caller: Caller, secret: string, now = Date.now()): Record<string, string> {
  const payload: SignedPayload = { ...caller, iat: Math.floor(now / 1000) };
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return { [CALLER_HEADER]: encoded, [CALLER_SIGNATURE_HEADER]: hmac(encoded, secret) };
}

export class CallerSignatureError extends Error {}

/** Returns the caller in `headers` or throws CallerSignatureError saying what is wrong. */
export function verifyCaller(headers: Record<string, string | string[] | undefined>, secret: string, now = Date.now()): Caller {
  const encoded = single(headers[CALLER_HEADER]);
  const signature = single(headers[CALLER_SIGNATURE_HEADER]);
  if (!encoded || !signature) throw new CallerSignatureError('missing signed caller context');
  const expected = Buffer.from(hmac(encoded, secret), 'hex');
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new CallerSignatureError('invalid caller context signature');
  }
  let payload: SignedPayload;
  try {
    payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as SignedPayload;
  } catch {
    throw new CallerSignatureError('malformed caller context');
  }
  const age = Math.floor(now / 1000) - payload.iat;
  if (!Number.isFinite(age) || age > MAX_AGE_SECONDS || age < -MAX_AGE_SECONDS) {
    throw new CallerSignatureError('caller context expired');
  }
  if (typeof payload.userId !== 'string' || !Array.isArray(payload.roles) || !payload.roles.every(isRole)) {
    throw new CallerSignatureError('malformed caller context');
  }
  return {
    userId: payload.userId,
    roles: payload.roles,
    orgUnitId: payload.orgUnitId ?? null,
    householdId: payload.householdId ?? null,
    institutionId: payload.institutionId ?? null,
    requestId: typeof payload.requestId === 'string' ? payload.requestId : '',
  };
}

function hmac(value: string, secret: string): string {
  return createHmac('sha256', secret).update(value).digest('hex');
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
