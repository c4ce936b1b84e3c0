import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { isUuid } from '#libs/errors';
import { isRole, type Role } from './roles.js';
import { scopeProblem } from './caller.js';

const ALGORITHM = 'HS256';
const ISSUER = 'waste-sorting-platform';

/** The claims a staff token carries. */
export interface AccessClaims {
  sub: string;
  roles: Role[];
  orgUnitId: string | null;
  /** Only for RESIDENT tokens: the resident's household. */
  householdId?: string | null;
  /** Only for PROPERTY_MANAGER tokens: their property company (a PROPERTY_COMPANY institution). */
  institutionId?: string | null;
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
  const householdId = payload.householdId ?? null;
  const institutionId = payload.institutionId ?? null;
  for (const [claim, value] of [
    ['orgUnitId', orgUnitId],
    ['householdId', householdId],
    ['institutionId', institutionId],
  ] as const) {
    if (value !== null && !isUuid(value)) throw new AccessTokenError(`token ${claim} is not a UUID`);
  }
  const problem = scopeProblem(roles, orgUnitId as string | null, householdId as string | null, institutionId as string | null);
  if (problem) throw new AccessTokenError(`token ${problem}`);
  // Ids are compared with database values, which PostgreSQL prints in lower case.
  const claims: AccessClaims = { sub: String(payload.sub), roles, orgUnitId: (orgUnitId as string | null)?.toLowerCase() ?? null };
  if (householdId !== null) claims.householdId = (householdId as string).toLowerCase();
  if (institutionId !== null) claims.institutionId = (institutionId as string).toLowerCase();
  return claims;
}

/** Signs a staff token. Production tokens come from the identity provider; this serves tests and `npm run token`. */
export async function signAccessToken(claims: AccessClaims, secret: string, ttlSeconds = 12 * 3600): Promise<string> {
  const problem = scopeProblem(claims.roles, claims.orgUnitId, claims.householdId ?? null, claims.institutionId ?? null);
  if (problem) throw new AccessTokenError(problem);
  if (claims.orgUnitId !== null && !isUuid(claims.orgUnitId)) throw new AccessTokenError('orgUnitId must be a UUID');
  if (claims.householdId && !isUuid(claims.householdId)) throw new AccessTokenError('householdId must be a UUID');
  if (claims.institutionId && !isUuid(claims.institutionId)) throw new AccessTokenError('institutionId must be a UUID');
  return new SignJWT({
    roles: claims.roles,
    orgUnitId: claims.orgUnitId,
    ...(claims.householdId ? { householdId: claims.householdId } : {}),
    ...(claims.institutionId ? { institutionId: claims.institutionId } : {}),
  })
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
