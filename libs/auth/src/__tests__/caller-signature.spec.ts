import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { Caller } from '../caller.js';
import { CALLER_HEADER, CALLER_SIGNATURE_HEADER, CallerSignatureError, signCaller, verifyCaller } from '../caller-signature.js';
import { Role } from '../roles.js';

const secret = randomBytes(32).toString('hex');
const now = Date.UTC(2026, 0, 1, 8, 0, 0);
const caller: Caller = {
  userId: 'user-1',
  roles: [Role.STREET_ADMIN],
  orgUnitId: '4a1f4c1e-9d0b-4f3e-8a51-0c6a3c1b2d7e',
  householdId: null,
  institutionId: null,
  requestId: 'req-1',
};

function failure(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

function encode(payload: unknown): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

describe('signCaller / verifyCaller', () => {
  it('returns the signed caller', () => {
    const headers = signCaller(caller, secret, now);
    expect(Object.keys(headers).sort()).toEqual([CALLER_HEADER, CALLER_SIGNATURE_HEADER].sort());
    expect(verifyCaller(headers, secret, now)).toEqual(caller);
  });

  it('accepts header values given as arrays', () => {
    const headers = signCaller(caller, secret, now);
    const asArrays = { [CALLER_HEADER]: [headers[CALLER_HEADER]], [CALLER_SIGNATURE_HEADER]: [headers[CALLER_SIGNATURE_HEADER]] };
    expect(verifyCaller(asArrays, secret, now)).toEqual(caller);
  });

  it('refuses a payload changed after signing', () => {
    const headers = signCaller(caller, secret, now);
    const forged = { ...caller, roles: [Role.DISTRICT_ADMIN], orgUnitId: null, iat: Math.floor(now / 1000) };
    const tampered = { ...headers, [CALLER_HEADER]: encode(forged) };
    expect(failure(() => verifyCaller(tampered, secret, now))).toStrictEqual(new CallerSignatureError('invalid caller context signature'));
  });

  it('refuses a signature made with another secret', () => {
    const headers = signCaller(caller, randomBytes(32).toString('hex'), now);
    expect(failure(() => verifyCaller(headers, secret, now))).toStrictEqual(new CallerSignatureError('invalid caller context signature'));
  });

  it('refuses a signature that is not hex of the right length', () => {
    const headers = signCaller(caller, secret, now);
    const truncated = { ...headers, [CALLER_SIGNATURE_HEADER]: headers[CALLER_SIGNATURE_HEADER].slice(0, 32) };
    expect(failure(() => verifyCaller(truncated, secret, now))).toBeInstanceOf(CallerSignatureError);
    expect(failure(() => verifyCaller({ ...headers, [CALLER_SIGNATURE_HEADER]: 'zz' }, secret, now))).toBeInstanceOf(CallerSignatureError);
  });

  it('refuses a request without either header', () => {
    const headers = signCaller(caller, secret, now);
    const missing = new CallerSignatureError('missing signed caller context');
    expect(failure(() => verifyCaller({}, secret, now))).toStrictEqual(missing);
    expect(failure(() => verifyCaller({ [CALLER_HEADER]: headers[CALLER_HEADER] }, secret, now))).toStrictEqual(missing);
    expect(failure(() => verifyCaller({ [CALLER_SIGNATURE_HEADER]: headers[CALLER_SIGNATURE_HEADER] }, secret, now))).toStrictEqual(
      missing,
    );
    expect(failure(() => verifyCaller({ ...headers, [CALLER_HEADER]: '' }, secret, now))).toStrictEqual(missing);
  });

  it('accepts a context up to two minutes old and refuses an older one', () => {
    const headers = signCaller(caller, secret, now);
    expect(verifyCaller(headers, secret, now + 120_000)).toEqual(caller);
    expect(failure(() => verifyCaller(headers, secret, now + 121_000))).toStrictEqual(new CallerSignatureError('caller context expired'));
  });

  it('refuses a context issued more than two minutes in the future', () => {
    const headers = signCaller(caller, secret, now + 121_000);
    expect(failure(() => verifyCaller(headers, secret, now))).toStrictEqual(new CallerSignatureError('caller context expired'));
  });

  it('refuses a correctly signed payload with a role it does not know', () => {
    const headers = signCaller({ ...caller, roles: ['SUPERUSER' as Role] }, secret, now);
    expect(failure(() => verifyCaller(headers, secret, now))).toStrictEqual(new CallerSignatureError('malformed caller context'));
  });

  it('fills a missing orgUnitId with null and a missing requestId with an empty string', () => {
    const headers = signCaller({ userId: 'u', roles: [Role.DISTRICT_ADMIN] } as unknown as Caller, secret, now);
    expect(verifyCaller(headers, secret, now)).toEqual({
      userId: 'u',
      roles: [Role.DISTRICT_ADMIN],
      orgUnitId: null,
      householdId: null,
      institutionId: null,
      requestId: '',
    });
  });
});
