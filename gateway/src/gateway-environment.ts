import { z } from 'zod';
import { baseEnvironment, EnvironmentError, parseEnvironment, port, secret, unsetIfEmpty } from '#libs/config';
import { oidcEnvironmentProblems, oidcEnvironmentShape } from './oidc-environment.js';

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
  /** Where each subgraph is, when not where the committed supergraph says (containers, other hosts). */
  ORGANIZATION_URL: optionalUrl,
  HOUSEHOLDS_URL: optionalUrl,
  ENFORCEMENT_URL: optionalUrl,
  NOTIFICATIONS_URL: optionalUrl,
  ...oidcEnvironmentShape,
};

export type GatewayEnvironment = ReturnType<typeof parseGatewayEnvironment>;

export function parseGatewayEnvironment(env: Record<string, string | undefined> = process.env) {
  // The sign-in settings are also checked together (issuer with audience, a provider in production), and every
  // problem is still reported in one go.
  const problems = oidcEnvironmentProblems(env);
  try {
    const parsed = parseEnvironment(gatewayEnvironmentShape, env);
    if (problems.length > 0) throw new EnvironmentError(problems);
    return parsed;
  } catch (error) {
    if (error instanceof EnvironmentError && problems.length > 0 && error.problems !== problems) {
      throw new EnvironmentError([...error.problems, ...problems]);
    }
    throw error;
  }
}

/** The routing URL of a subgraph: the environment's override, else the supergraph's. */
export function subgraphUrl(env: GatewayEnvironment, name: string, supergraphUrl: string): string {
  const override = env[`${name.toUpperCase()}_URL` as 'ORGANIZATION_URL'];
  return override ?? supergraphUrl;
}
