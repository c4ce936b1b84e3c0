import { isIP } from 'node:net';
import type { Request } from 'express';
import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { Role, type Caller } from '#libs/auth';

export type Taken = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A fixed-window count per key (a user, an institution, a client address) kept in Redis, so every gateway replica
 * counts against the same allowance: at most `limit` requests per window, then refusals until the window ends.
 * Should Redis be unreachable, each replica counts in its own memory meanwhile (a brake rather than the promise,
 * but never an open door nor a refusal of everybody).
 */
export class SharedLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: Redis,
    prefix: string,
    /** Names the count in Redis: `<prefix>:<name>:<key>`. */
    readonly name: string,
    readonly limit: number,
    readonly windowSeconds: number,
  ) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:${name}`,
      points: limit,
      duration: windowSeconds,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${prefix}:${name}`, points: limit, duration: windowSeconds }),
    });
  }

  /** Counts one request of `key`: allowed, or refused with the whole seconds until its window ends (at least 1). */
  async take(key: string): Promise<Taken> {
    try {
      await this.limiter.consume(key);
      return { allowed: true };
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes)
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
      throw refusal;
    }
  }
}

/** "30 s", "4 min", "2 h": how long until a refused caller may try again, for messages. */
export function waitText(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.ceil(seconds / 60)} min`;
  return `${Math.ceil(seconds / 3600)} h`;
}

/** `extensions.code` of a GraphQL request refused by a rate limit, and `error.code` of a refused JSON route. */
export const RATE_LIMITED = 'RATE_LIMITED';

/** Every count the gateway keeps, by what it protects. */
export interface RateLimits {
  /** GraphQL requests: per signed-in user (token `sub`), and per institution for its API keys. */
  graphql: CallerLimits;
  /** Uploads (photos, collection-record CSV files): per user, per institution. */
  uploads: CallerLimits;
  /** Enrolment attempts per client address. */
  enrolments: SharedLimiter;
  /** Open311: new requests per client address (anonymous) or per institution (keyed), reads per client address. */
  open311: { perAddress: SharedLimiter; perInstitution: SharedLimiter; readsPerAddress: SharedLimiter };
}

export interface CallerLimits {
  perUser: SharedLimiter;
  perInstitution: SharedLimiter;
  /** "GraphQL requests", "uploads": for messages. */
  what: string;
}

export interface RateLimitSettings {
  RATE_LIMIT_PREFIX: string;
  GRAPHQL_REQUESTS_PER_USER_MINUTE: number;
  GRAPHQL_REQUESTS_PER_INSTITUTION_MINUTE: number;
  UPLOADS_PER_USER_MINUTE: number;
  ENROLMENTS_PER_ADDRESS_HOUR: number;
  OPEN311_POSTS_PER_HOUR: number;
  OPEN311_KEYED_POSTS_PER_HOUR: number;
  OPEN311_GETS_PER_MINUTE: number;
}

export function rateLimits(redis: Redis, env: RateLimitSettings): RateLimits {
  const limiter = (name: string, limit: number, windowSeconds: number) =>
    new SharedLimiter(redis, env.RATE_LIMIT_PREFIX, name, limit, windowSeconds);
  return {
    graphql: {
      perUser: limiter('graphql-user', env.GRAPHQL_REQUESTS_PER_USER_MINUTE, 60),
      perInstitution: limiter('graphql-institution', env.GRAPHQL_REQUESTS_PER_INSTITUTION_MINUTE, 60),
      what: 'GraphQL requests',
    },
    uploads: {
      perUser: limiter('uploads-user', env.UPLOADS_PER_USER_MINUTE, 60),
      // An institution uploads nothing today; should it, its systems share one user's allowance.
      perInstitution: limiter('uploads-institution', env.UPLOADS_PER_USER_MINUTE, 60),
      what: 'uploads',
    },
    enrolments: limiter('enrol-address', env.ENROLMENTS_PER_ADDRESS_HOUR, 3600),
    open311: {
      perAddress: limiter('open311-post-address', env.OPEN311_POSTS_PER_HOUR, 3600),
      perInstitution: limiter('open311-post-institution', env.OPEN311_KEYED_POSTS_PER_HOUR, 3600),
      readsPerAddress: limiter('open311-get-address', env.OPEN311_GETS_PER_MINUTE, 60),
    },
  };
}

export interface Refusal {
  retryAfterSeconds: number;
  description: string;
}

/**
 * Counts one request of a signed-in caller: an institution's API keys (all of them together) against the
 * institution's allowance, anybody else against their user's (the token's `sub`), whichever address it comes from,
 * so thousands of phones behind one carrier address never throttle each other. Null when allowed.
 */
export async function takeCallerAllowance(limits: CallerLimits, caller: Caller): Promise<Refusal | null> {
  const institution = caller.roles.includes(Role.INSTITUTION) && caller.institutionId !== null;
  const limiter = institution ? limits.perInstitution : limits.perUser;
  const taken = await limiter.take(institution ? caller.institutionId! : caller.userId);
  if (taken.allowed) return null;
  const whose = institution ? "for one institution's API keys" : 'for one user';
  return {
    retryAfterSeconds: taken.retryAfterSeconds,
    description: `At most ${limiter.limit} ${limits.what} a ${windowText(limiter)} ${whose}; try again in ${waitText(taken.retryAfterSeconds)}`,
  };
}

/** A GraphQL refusal: HTTP 429 with Retry-After, `extensions: { code: RATE_LIMITED, retryAfter }` (seconds). */
export function rateLimitedError(message: string, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: RATE_LIMITED,
      retryAfter: retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}

/**
 * Counts one new Open311 request: an institution's against its own allowance (several of its systems may post
 * from behind one address, and a shared address must not throttle it), an anonymous one against its client address.
 * Null when allowed.
 */
export async function takeOpen311Post(limits: RateLimits['open311'], caller: Caller, address: string): Promise<Refusal | null> {
  const keyed = caller.institutionId !== null;
  const limiter = keyed ? limits.perInstitution : limits.perAddress;
  const taken = await limiter.take(keyed ? caller.institutionId! : address);
  if (taken.allowed) return null;
  return {
    retryAfterSeconds: taken.retryAfterSeconds,
    description: keyed
      ? `At most ${limiter.limit} new requests an hour for one institution's API keys; try again in ${waitText(taken.retryAfterSeconds)}`
      : `At most ${limiter.limit} new requests an hour from one address; try again in ${waitText(taken.retryAfterSeconds)}`,
  };
}

/** Counts one Open311 read (GET or HEAD) against its client address, as posts are counted. Null when allowed. */
export async function takeOpen311Read(limits: RateLimits['open311'], address: string): Promise<Refusal | null> {
  const taken = await limits.readsPerAddress.take(address);
  if (taken.allowed) return null;
  return {
    retryAfterSeconds: taken.retryAfterSeconds,
    description: `At most ${limits.readsPerAddress.limit} reads a minute from one address; try again in ${waitText(taken.retryAfterSeconds)}`,
  };
}

/**
 * The client address a public route counts against: Express's `req.ip`, which is the socket's address unless
 * TRUST_PROXY names the proxies in front (then the address the nearest untrusted hop gave). An IPv4 address in IPv6
 * form counts as itself; an IPv6 address counts by its /64, the block one subscriber line or host is given, so
 * hopping through a block's addresses gains nothing.
 */
export function clientAddress(req: Request): string {
  const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIP(address) !== 6) return address;
  return `${ipv6Groups(address).slice(0, 4).join(':')}::/64`;
}

function ipv6Groups(address: string): string[] {
  const [head, tail] = address.split('%')[0].toLowerCase().split('::') as [string, string?];
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((group) => group.replace(/^0+(?=.)/, ''));
}

function windowText(limiter: SharedLimiter): string {
  return limiter.windowSeconds === 60 ? 'minute' : limiter.windowSeconds === 3600 ? 'hour' : `${limiter.windowSeconds} s`;
}
