import { z } from 'zod';
import { DEFAULT_QUERY_LIMITS } from './query-limits.js';
import { baseEnvironment, parseEnvironment, port, secret, unsetIfEmpty } from '#libs/config';

const limit = (fallback: number) => z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).default(fallback));

const optionalUrl = z
  .string()
  .refine((value) => URL.canParse(value), 'must be a URL')
  .optional();

export const gatewayEnvironmentShape = {
  ...baseEnvironment,
  PORT: port(4000),
  JWT_SECRET: secret('JWT_SECRET'),
  /** Comma-separated origins allowed to call from browsers, or * for any (tokens travel in headers, not cookies). */
  CORS_ORIGINS: z.string().default('*'),
  /** Open311 is public: new requests (POST) a client address may file per hour before 429. */
  OPEN311_POSTS_PER_HOUR: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).default(30)),
  /** Open311 reads (GET) a client address may make per minute before 429: the public feed is read, not scraped. */
  OPEN311_GETS_PER_MINUTE: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).default(120)),
  /** New requests one institution may file per hour with its API keys (all its keys together) before 429. */
  OPEN311_KEYED_POSTS_PER_HOUR: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).default(600)),
  /** Bounds on one GraphQL operation (see "Security" in the README for how the defaults were derived). */
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
};

export type GatewayEnvironment = ReturnType<typeof parseGatewayEnvironment>;

export function parseGatewayEnvironment(env: Record<string, string | undefined> = process.env) {
  return parseEnvironment(gatewayEnvironmentShape, env);
}

/** The routing URL of a subgraph: the environment's override, else the supergraph's. */
export function subgraphUrl(env: GatewayEnvironment, name: string, supergraphUrl: string): string {
  const override = env[`${name.toUpperCase()}_URL` as 'ORGANIZATION_URL'];
  return override ?? supergraphUrl;
}
