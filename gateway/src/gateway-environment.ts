import { z } from 'zod';
import { DEFAULT_GATEWAY_SIGNATURE_TTL_SECONDS, MAX_GATEWAY_SIGNATURE_TTL_SECONDS, gatewayKeySetting, missingGatewayKey } from '#libs/auth';
import { EnvironmentError, baseEnvironment, parseEnvironment, port, secret, unsetIfEmpty } from '#libs/config';

const optionalUrl = z
  .string()
  .refine((value) => URL.canParse(value), 'must be a URL')
  .optional();

export const gatewayEnvironmentShape = {
  ...baseEnvironment,
  PORT: port(4000),
  JWT_SECRET: secret('JWT_SECRET'),
  /** The interface the gateway listens on; unset: every interface (it is the public entry point). */
  GATEWAY_LISTEN_HOST: z.preprocess(unsetIfEmpty, z.string().optional()),
  /** The gateway's Ed25519 private key (base64 of its PKCS8 PEM): signs every subgraph request. Only the gateway has it. */
  GATEWAY_SIGNING_KEY: gatewayKeySetting('private'),
  /** How long one signed subgraph request stays valid, in seconds. */
  GATEWAY_SIGNATURE_TTL_SECONDS: z.preprocess(
    unsetIfEmpty,
    z.coerce.number().int().min(1).max(MAX_GATEWAY_SIGNATURE_TTL_SECONDS).default(DEFAULT_GATEWAY_SIGNATURE_TTL_SECONDS),
  ),
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
};

export type GatewayEnvironment = ReturnType<typeof parseGatewayEnvironment>;

export function parseGatewayEnvironment(env: Record<string, string | undefined> = process.env) {
  return parseEnvironment(gatewayEnvironmentShape, env);
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
