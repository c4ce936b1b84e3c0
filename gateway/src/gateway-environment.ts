import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_GATEWAY_SIGNATURE_TTL_SECONDS, MAX_GATEWAY_SIGNATURE_TTL_SECONDS, gatewayKeySetting, missingGatewayKey } from '#libs/auth';
import { EnvironmentError, baseEnvironment, integer, parseEnvironment, port, redisUrl, secret, unsetIfEmpty } from '#libs/config';
import { oidcEnvironmentProblems, oidcEnvironmentShape } from './oidc-environment.js';
import { consoleEnvironmentProblems, consoleEnvironmentShape } from './console-sign-in.js';
import { operationsEnvironmentProblems, operationsEnvironmentShape } from './operations-environment.js';
import { DEFAULT_QUERY_LIMITS } from './query-limits.js';

const limit = (fallback: number) => z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).default(fallback));

const optionalUrl = z
  .string()
  .refine((value) => URL.canParse(value), 'must be a URL')
  .optional();

/** A whole number of requests ≥ 1, with its default when unset or empty. */
const allowance = (fallback: number) => z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).max(1_000_000).default(fallback));

/** Names Express's `trust proxy` understands besides addresses and subnets. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Which client address counts, as Express's `trust proxy` setting: `false` (the default: the socket's address, any
 * X-Forwarded-For ignored), a hop count (`1`: the address the one proxy in front saw), or the proxies' addresses
 * (`10.0.0.5, 10.0.0.0/8, loopback`). `true` (trust every hop, so the client picks its own address) is refused.
 */
const trustProxy = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .default('false')
    .transform((value, context): false | number | string[] => {
      const text = value.trim().toLowerCase();
      if (text === 'false' || text === '0') return false;
      if (/^\d+$/.test(text)) return Number(text);
      const entries = text
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
      for (const entry of entries) {
        const [address, bits, extra] = entry.split('/') as [string, string?, string?];
        const family = isIP(address);
        const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
        if (!(PROXY_NAMES.has(entry) || (family !== 0 && okBits && extra === undefined))) {
          context.addIssue({
            code: 'custom',
            message: `"${entry}" is not a hop count, proxy address, subnet or one of loopback, linklocal, uniquelocal (true, trusting every hop, is not allowed)`,
          });
        }
      }
      return entries;
    }),
);

/** The gateway holds no shared secret: it signs with its own private key, and CONTEXT_SIGNING_SECRET is the services'. */
const { CONTEXT_SIGNING_SECRET: _servicesOnly, ...gatewayBaseEnvironment } = baseEnvironment;

export const gatewayEnvironmentShape = {
  ...gatewayBaseEnvironment,
  PORT: port(4000),
  JWT_SECRET: secret('JWT_SECRET'),
  /** The interface the gateway listens on; unset: every interface (it is the public entry point). */
  GATEWAY_LISTEN_HOST: z.preprocess(unsetIfEmpty, z.string().optional()),
  /** Milliseconds of serving on after SIGTERM/SIGINT while `/health/ready` answers 503 (see main.ts). */
  SHUTDOWN_DRAIN_MS: integer(0, 0, 120_000),
  /** The gateway's Ed25519 private key (base64 of its PKCS8 PEM): signs every subgraph request. Only the gateway has it. */
  GATEWAY_SIGNING_KEY: gatewayKeySetting('private'),
  /** How long one signed subgraph request stays valid, in seconds. */
  GATEWAY_SIGNATURE_TTL_SECONDS: z.preprocess(
    unsetIfEmpty,
    z.coerce.number().int().min(1).max(MAX_GATEWAY_SIGNATURE_TTL_SECONDS).default(DEFAULT_GATEWAY_SIGNATURE_TTL_SECONDS),
  ),
  /**
   * Comma-separated origins allowed to call from browsers (`https://app.example.gov.cn`), or * for any. Required, and
   * a list of origins, in production; `*` by default elsewhere (tokens travel in headers, not cookies).
   */
  CORS_ORIGINS: z.preprocess(unsetIfEmpty, z.string().optional()), // judged in parseGatewayEnvironment
  /** Where the rate limits are counted: one Redis shared by every gateway replica. */
  REDIS_URL: redisUrl,
  /** Prefix of the rate limits' Redis keys (tests give each run its own). */
  RATE_LIMIT_PREFIX: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^[\w:.-]{1,100}$/, 'must be 1–100 letters, digits, _ : . -')
      .default('waste:ratelimit'),
  ),
  TRUST_PROXY: trustProxy,
  /** GraphQL requests one signed-in user (token `sub`) may make per minute before 429. */
  GRAPHQL_REQUESTS_PER_USER_MINUTE: allowance(600),
  /** GraphQL requests one institution may make per minute with its API keys (all its keys together) before 429. */
  GRAPHQL_REQUESTS_PER_INSTITUTION_MINUTE: allowance(1200),
  /** Uploads (photos, collection-record CSV files) one user may send per minute before 429. */
  UPLOADS_PER_USER_MINUTE: allowance(60),
  /** Enrolment attempts (POST /api-keys/enrol) one client address may make per hour before 429. */
  ENROLMENTS_PER_ADDRESS_HOUR: allowance(20),
  /** Open311 is public: new requests (POST) a client address may file per hour before 429. */
  OPEN311_POSTS_PER_HOUR: allowance(30),
  /** Open311 reads (GET) a client address may make per minute before 429: the public feed is read, not scraped. */
  OPEN311_GETS_PER_MINUTE: allowance(120),
  /** New requests one institution may file per hour with its API keys (all its keys together) before 429. */
  OPEN311_KEYED_POSTS_PER_HOUR: allowance(600),
  /** Bounds on one GraphQL operation (see "Bounded queries" in docs/security.md for how the defaults were derived). */
  QUERY_MAX_COST: limit(DEFAULT_QUERY_LIMITS.maxCost),
  QUERY_MAX_DEPTH: limit(DEFAULT_QUERY_LIMITS.maxDepth),
  QUERY_MAX_ALIASES: limit(DEFAULT_QUERY_LIMITS.maxAliases),
  QUERY_MAX_TOKENS: limit(DEFAULT_QUERY_LIMITS.maxTokens),
  QUERY_MAX_DIRECTIVES: limit(DEFAULT_QUERY_LIMITS.maxDirectives),
  /** Where each subgraph is, when not where the committed supergraph says (containers, other hosts). */
  ORGANIZATION_URL: optionalUrl,
  HOUSEHOLDS_URL: optionalUrl,
  ENFORCEMENT_URL: optionalUrl,
  NOTIFICATIONS_URL: optionalUrl,
  ...oidcEnvironmentShape,
  ...operationsEnvironmentShape,
  ...consoleEnvironmentShape,
};

export type GatewayEnvironment = ReturnType<typeof parseGatewayEnvironment>;

export function parseGatewayEnvironment(env: Record<string, string | undefined> = process.env) {
  // Every problem at once, the origins' and the sign-in settings' included (issuer with audience, a provider in
  // production), so an operator fixes them all in one go.
  const problems: string[] = [];
  const production = (env.NODE_ENV ?? 'development') === 'production';
  let parsed:
    (Omit<ReturnType<typeof parseEnvironment<typeof gatewayEnvironmentShape>>, 'JWT_SECRET'> & { JWT_SECRET?: string }) | undefined;
  try {
    // Development tokens (HS256) are for development only: production signs in with the identity provider, so it
    // neither needs a JWT_SECRET nor reads one.
    const { JWT_SECRET: _developmentOnly, ...productionShape } = gatewayEnvironmentShape;
    parsed = production ? parseEnvironment(productionShape, env) : parseEnvironment(gatewayEnvironmentShape, env);
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    problems.push(...error.problems);
  }
  problems.push(...oidcEnvironmentProblems(env), ...operationsEnvironmentProblems(env), ...consoleEnvironmentProblems(env));
  const origins = corsOrigins(unsetIfEmpty(env.CORS_ORIGINS) as string | undefined, production);
  if (typeof origins === 'object' && 'problem' in origins) problems.push(origins.problem);
  if (problems.length > 0 || !parsed) throw new EnvironmentError(problems);
  return { ...parsed, CORS_ORIGINS: origins as '*' | string[] };
}

/**
 * The origins browsers may call from: `'*'` for any, else the list. Production requires a list (no `*`), so a
 * deployment says which front ends are its own.
 */
function corsOrigins(value: string | undefined, production: boolean): '*' | string[] | { problem: string } {
  if (value === undefined || value.trim() === '*') {
    if (!production) return '*';
    return {
      problem:
        value === undefined
          ? 'CORS_ORIGINS: required when NODE_ENV=production (comma-separated origins of your front ends, e.g. https://app.example.gov.cn)'
          : 'CORS_ORIGINS: * is not allowed when NODE_ENV=production; list the origins of your front ends',
    };
  }
  const origins = value
    .split(',')
    .map((origin) => origin.trim().replace(/\/$/, ''))
    .filter(Boolean);
  const bad = origins.filter(
    (origin) => !URL.canParse(origin) || !/^https?:$/.test(new URL(origin).protocol) || new URL(origin).origin !== origin.toLowerCase(),
  );
  if (origins.length === 0 || bad.length > 0) {
    return {
      problem: `CORS_ORIGINS: must be * or comma-separated http(s) origins (scheme://host[:port])${bad.length ? `; not an origin: ${bad.join(', ')}` : ''}`,
    };
  }
  return origins.map((origin) => new URL(origin).origin);
}

/** The environment of the gateway process that serves (`main.ts`): GATEWAY_SIGNING_KEY is required, with every other problem. */
export function parseServingGatewayEnvironment(env: Record<string, string | undefined> = process.env): GatewayEnvironment {
  const missing = (env.GATEWAY_SIGNING_KEY ?? '').trim() === '' ? [missingGatewayKey('GATEWAY_SIGNING_KEY')] : [];
  let parsed: GatewayEnvironment;
  try {
    parsed = parseGatewayEnvironment(env);
  } catch (error) {
    if (error instanceof EnvironmentError) throw new EnvironmentError([...error.problems, ...missing]);
    throw error;
  }
  if (missing.length > 0) throw new EnvironmentError(missing);
  return parsed;
}

/** The routing URL of a subgraph: the environment's override, else the supergraph's. */
export function subgraphUrl(env: GatewayEnvironment, name: string, supergraphUrl: string): string {
  const override = env[`${name.toUpperCase()}_URL` as 'ORGANIZATION_URL'];
  return override ?? supergraphUrl;
}
