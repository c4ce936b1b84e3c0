import { createHash, createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';
import { isRole } from './roles.js';
import type { Caller } from './caller.js';

/**
 * The one header a subgraph's GraphQL endpoint trusts: a compact JWS (EdDSA, Ed25519) made by the gateway with a
 * private key only it holds, for one request to one subgraph. Subgraphs hold the public key only, so no subgraph (and
 * nobody who reads a subgraph's environment) can make one.
 */
export const GATEWAY_SIGNATURE_HEADER = 'x-gateway-signature';

const ALGORITHM = 'EdDSA';
const ISSUER = 'waste-gateway';
/** A token type of its own, so no other JWT of the platform (a staff access token) is ever taken for one. */
const TYPE = 'gateway-caller+jwt';
/** Default lifetime of a signature: a subgraph request is sent at once, so seconds cover any queueing and skew. */
export const DEFAULT_GATEWAY_SIGNATURE_TTL_SECONDS = 10;
/** Subgraphs refuse signatures claiming a longer life than this, whatever the gateway was configured with. */
export const MAX_GATEWAY_SIGNATURE_TTL_SECONDS = 60;
/** Clock difference between the gateway's and a subgraph's host that is tolerated on issued-at and expiry. */
const CLOCK_TOLERANCE_SECONDS = 2;

/** Why a subgraph refused a request: `extensions.reason` of its UNAUTHENTICATED error. */
export type GatewaySignatureRefusal =
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID'
  | 'SIGNATURE_EXPIRED'
  | 'SIGNATURE_FOR_ANOTHER_SUBGRAPH'
  | 'SIGNATURE_FOR_ANOTHER_BODY'
  | 'SIGNATURE_FOR_ANOTHER_ROUTE'
  | 'SIGNATURE_REPLAYED';

export class GatewaySignatureError extends Error {
  constructor(
    readonly reason: GatewaySignatureRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'GatewaySignatureError';
  }
}

/** An Ed25519 key given as base64 of its PEM (PKCS8 private, SPKI public) on one line; a plain PEM is taken too. */
export function parseGatewayKey(text: string, kind: 'private' | 'public'): KeyObject {
  const trimmed = text.trim();
  const pem = trimmed.startsWith('-----BEGIN') ? trimmed.replace(/\\n/g, '\n') : Buffer.from(trimmed, 'base64').toString('utf8');
  if (!pem.startsWith('-----BEGIN')) throw new Error('must be base64 of a PEM key');
  const expected = kind === 'private' ? 'PKCS8 private' : 'SPKI public';
  // A subgraph given the private key would derive the public one from it and work: refused, so it never holds one.
  if (!pem.startsWith(kind === 'private' ? '-----BEGIN PRIVATE KEY-----' : '-----BEGIN PUBLIC KEY-----')) {
    throw new Error(`must be base64 of a PEM ${expected} key`);
  }
  let key: KeyObject;
  try {
    key = kind === 'private' ? createPrivateKey({ key: pem, format: 'pem' }) : createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error(`must be base64 of a PEM ${expected} key`);
  }
  if (key.type !== kind) throw new Error(`must be a ${kind} key, not a ${key.type} one`);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`must be an Ed25519 key, not ${key.asymmetricKeyType}`);
  return key;
}

/** SHA-256 of the exact bytes of a request body, base64url: what a signature binds the body by. */
export function bodyDigest(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url');
}

export interface GatewaySigning {
  caller: Caller;
  /** The subgraph the request is sent to (its name in the supergraph: `households`, ...). */
  subgraph: string;
  /** The exact request body that is sent. */
  body: string | Uint8Array;
  key: KeyObject;
  ttlSeconds?: number;
  now?: number;
}

/** The signature header of one subgraph request: caller, subgraph, body digest, issued-at, expiry and a nonce. */
export async function signGatewayRequest({
  caller,
  subgraph,
  body,
  key,
  ttlSeconds = DEFAULT_GATEWAY_SIGNATURE_TTL_SECONDS,
  now = Date.now(),
}: GatewaySigning): Promise<Record<string, string>> {
  return signedHeader({ caller, bd: bodyDigest(body) }, subgraph, key, ttlSeconds, now);
}

/** The one header: the claims, for `subgraph`, issued now, expiring after `ttlSeconds`, with a fresh nonce. */
async function signedHeader(
  claims: Record<string, unknown>,
  subgraph: string,
  key: KeyObject,
  ttlSeconds: number,
  now: number,
): Promise<Record<string, string>> {
  const iat = Math.floor(now / 1000);
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, typ: TYPE })
    .setIssuer(ISSUER)
    .setAudience(subgraph)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .setJti(randomUUID())
    .sign(key);
  return { [GATEWAY_SIGNATURE_HEADER]: token };
}

export interface GatewayRouteSigning {
  caller: Caller;
  /** The service the request is sent to (its name in the supergraph). */
  subgraph: string;
  /** The HTTP method and the request target (path and query) exactly as sent, e.g. `POST /uploads`. */
  method: string;
  target: string;
  key: KeyObject;
  ttlSeconds?: number;
  now?: number;
}

/**
 * The signature header of one plain-HTTP request the gateway passes through to a service (uploads, collection
 * imports, the monthly report, Open311, enrolment, API-key checks): caller, service, method and request target,
 * issued-at, expiry and a nonce. Those bodies are streamed, so no digest binds them; the route, the seconds and the
 * single use do. A route signature is never accepted by a GraphQL endpoint (it has no body digest) and a GraphQL
 * signature never by a route (it names none).
 */
export async function signGatewayRoute({
  caller,
  subgraph,
  method,
  target,
  key,
  ttlSeconds = DEFAULT_GATEWAY_SIGNATURE_TTL_SECONDS,
  now = Date.now(),
}: GatewayRouteSigning): Promise<Record<string, string>> {
  return signedHeader({ caller, rt: `${method.toUpperCase()} ${target}` }, subgraph, key, ttlSeconds, now);
}

export interface GatewayVerifierOptions {
  key: KeyObject;
  /** This subgraph's own name: signatures made for another subgraph are refused. */
  subgraph: string;
}

/**
 * Checks the gateway's signature on a subgraph request and returns the caller in it. Each signature is accepted once:
 * its nonce is remembered (in this process) until it expires, so a captured request replayed even to the same
 * subgraph with the same body is refused. Anything else wrong is refused with its own reason.
 */
export class GatewaySignatureVerifier {
  private readonly seen = new Map<string, number>();
  private nextSweep = 0;

  constructor(private readonly options: GatewayVerifierOptions) {}

  async verify(
    headers: Record<string, string | string[] | undefined>,
    body: string | Uint8Array | undefined,
    now = Date.now(),
  ): Promise<Caller> {
    return this.check(headers, 'bd', now, (payload) => {
      if (body === undefined || typeof payload.bd !== 'string' || payload.bd !== bodyDigest(body)) {
        throw new GatewaySignatureError('SIGNATURE_FOR_ANOTHER_BODY', 'gateway signature does not cover this request body');
      }
    });
  }

  /** Checks the signature of a passed-through plain-HTTP request: made for this method and request target. */
  async verifyRoute(
    headers: Record<string, string | string[] | undefined>,
    method: string,
    target: string,
    now = Date.now(),
  ): Promise<Caller> {
    return this.check(headers, 'rt', now, (payload) => {
      if (payload.rt !== `${method.toUpperCase()} ${target}`) {
        throw new GatewaySignatureError('SIGNATURE_FOR_ANOTHER_ROUTE', 'gateway signature is for another route');
      }
    });
  }

  private async check(
    headers: Record<string, string | string[] | undefined>,
    binding: 'bd' | 'rt',
    now: number,
    checkBinding: (payload: Record<string, unknown>) => void,
  ): Promise<Caller> {
    const value = headers[GATEWAY_SIGNATURE_HEADER];
    const token = Array.isArray(value) ? value[0] : value;
    if (!token) throw new GatewaySignatureError('SIGNATURE_MISSING', 'missing gateway signature');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.options.key, {
        algorithms: [ALGORITHM],
        typ: TYPE,
        issuer: ISSUER,
        requiredClaims: ['aud', 'iat', 'exp', 'jti', binding, 'caller'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        maxTokenAge: MAX_GATEWAY_SIGNATURE_TTL_SECONDS,
        currentDate: new Date(now),
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new GatewaySignatureError('SIGNATURE_EXPIRED', 'gateway signature expired');
      throw new GatewaySignatureError('SIGNATURE_INVALID', 'invalid gateway signature');
    }
    const { aud, iat, exp, jti } = payload as { aud: unknown; iat: number; exp: number; jti: unknown };
    if (aud !== this.options.subgraph) {
      throw new GatewaySignatureError(
        'SIGNATURE_FOR_ANOTHER_SUBGRAPH',
        `gateway signature is for another subgraph, not ${this.options.subgraph}`,
      );
    }
    if (exp - iat > MAX_GATEWAY_SIGNATURE_TTL_SECONDS)
      throw new GatewaySignatureError('SIGNATURE_INVALID', 'gateway signature lives too long');
    // A body signature and a route signature never stand in for each other.
    if (payload.bd !== undefined && payload.rt !== undefined)
      throw new GatewaySignatureError('SIGNATURE_INVALID', 'invalid gateway signature');
    checkBinding(payload);
    const caller = callerOf(payload.caller);
    if (typeof jti !== 'string' || jti.length === 0) throw new GatewaySignatureError('SIGNATURE_INVALID', 'invalid gateway signature');
    this.remember(jti, (exp + CLOCK_TOLERANCE_SECONDS) * 1000, now);
    return caller;
  }

  /** Marks a nonce used until its signature expires; a nonce seen before is a replay. */
  private remember(jti: string, expiresAt: number, now: number): void {
    if (now >= this.nextSweep) {
      for (const [nonce, until] of this.seen) if (until <= now) this.seen.delete(nonce);
      this.nextSweep = now + 1000;
    }
    const until = this.seen.get(jti);
    if (until !== undefined && until > now) throw new GatewaySignatureError('SIGNATURE_REPLAYED', 'gateway signature was already used');
    this.seen.set(jti, expiresAt);
  }
}

function callerOf(value: unknown): Caller {
  const caller = (value ?? {}) as Partial<Record<keyof Caller, unknown>>;
  const optionalId = (id: unknown): id is string | null | undefined => id === undefined || id === null || typeof id === 'string';
  if (
    typeof caller.userId !== 'string' ||
    !Array.isArray(caller.roles) ||
    !caller.roles.every(isRole) ||
    !optionalId(caller.orgUnitId) ||
    !optionalId(caller.householdId) ||
    !optionalId(caller.institutionId)
  ) {
    throw new GatewaySignatureError('SIGNATURE_INVALID', 'malformed caller in gateway signature');
  }
  return {
    userId: caller.userId,
    roles: caller.roles,
    orgUnitId: caller.orgUnitId ?? null,
    householdId: caller.householdId ?? null,
    institutionId: caller.institutionId ?? null,
    requestId: typeof caller.requestId === 'string' ? caller.requestId : '',
  };
}

/**
 * An environment setting holding one of the gateway's Ed25519 keys (`GATEWAY_SIGNING_KEY` private, on the gateway
 * only; `GATEWAY_VERIFY_KEY` public, on every subgraph). A value that is not such a key fails the environment; an
 * unset one is refused when the process starts serving (commands that never serve, such as migrations, need none).
 * There is no development fallback.
 */
export function gatewayKeySetting(kind: 'private' | 'public') {
  return z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z
      .string()
      .transform((text, context) => {
        try {
          return parseGatewayKey(text, kind);
        } catch (error) {
          context.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      })
      .optional(),
  );
}

/** The problem to report when a process that serves has no gateway key. */
export function missingGatewayKey(name: 'GATEWAY_SIGNING_KEY' | 'GATEWAY_VERIFY_KEY'): string {
  const kind = name === 'GATEWAY_SIGNING_KEY' ? 'private' : 'public';
  return `${name}: required: base64 of the gateway's Ed25519 ${kind} key (PEM); see docs/security.md`;
}
