import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { isRole, type Role } from './roles.js';
import { scopeProblem } from './caller.js';

const ALGORITHM = 'HS256';
const ISSUER = 'waste-sorting-platform';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The claims a staff token carries. */
export interface AccessClaims {
  sub: string;
  roles: Role[];
  orgUnitId: string | null;
}

export class AccessTokenError extends Error {}

/** Verifies an HS256 staff token and returns its claims, or throws AccessTokenError with the reason. */
export async function verifyAccessToken(token: string, secret: string): Promise<AccessClaims> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key(secret), { algorithms: [ALGORITHM], issuer: ISSUER, requiredClaims: ['sub', 'exp'] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new AccessTokenError('token expired');
    throw new AccessTokenError('invalid token');
  }
  const roles = payload.roles;
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRole)) {
    throw new AccessTokenError('token roles missing or unknown');
  }
  const orgUnitId = payload.orgUnitId ?? null;
  if (orgUnitId !== null && (typeof orgUnitId !== 'string' || !UUID.test(orgUnitId))) {
    throw new AccessTokenError('token orgUnitId is not a UUID');
  }
  const problem = scopeProblem(roles, orgUnitId);
  if (problem) throw new AccessTokenError(`token ${problem}`);
  // Ids are compared with database paths, which PostgreSQL prints in lower case.
  return { sub: String(payload.sub), roles, orgUnitId: orgUnitId?.toLowerCase() ?? null };
}

/** Signs a staff token. Production tokens come from the identity provider; this serves tests and `npm run token`. */
export async function signAccessToken(claims: AccessClaims, secret: string, ttlSeconds = 12 * 3600): Promise<string> {
  const problem = scopeProblem(claims.roles, claims.orgUnitId);
  if (problem) throw new AccessTokenError(problem);
  if (claims.orgUnitId !== null && !UUID.test(claims.orgUnitId)) throw new AccessTokenError('orgUnitId must be a UUID');
  return new SignJWT({ roles: claims.roles, orgUnitId: claims.orgUnitId })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key(secret));
}

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}
