import { z } from 'zod';
import { gatewayKeySetting, missingGatewayKey } from '#libs/auth';
import {
  DEFAULT_HOUSEHOLDS_INTERNAL_URL,
  EnvironmentError,
  baseEnvironment,
  integer,
  internalServiceUrl,
  parseEnvironment,
  port,
  postgresUrl,
  redisUrl,
  unsetIfEmpty,
} from '#libs/config';

/** The variables every subgraph service reads. */
export function serviceEnvironmentShape(defaultPort: number) {
  return {
    ...baseEnvironment,
    PORT: port(defaultPort),
    /** The interface the service listens on: loopback unless its host must reach it (0.0.0.0 inside docker compose). */
    LISTEN_HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
    /** The gateway's Ed25519 public key (base64 of its SPKI PEM): the GraphQL endpoint trusts only what it verifies. */
    GATEWAY_VERIFY_KEY: gatewayKeySetting('public'),
    DATABASE_URL: postgresUrl,
    /** Databases are named `<prefix><service>`; tests use their own prefix so they never touch dev data. */
    DATABASE_NAME_PREFIX: z
      .string()
      .regex(/^[a-z][a-z0-9_]*_$/, 'lower-case letters, digits and _, ending in _')
      .default('waste_'),
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: z
      .string()
      .regex(/^[a-zA-Z0-9_:-]+$/, 'letters, digits, _, : and - only')
      .default('waste'),
    /**
     * How long a service keeps serving after SIGTERM/SIGINT while `/health/ready` answers 503, so a load balancer
     * notices and stops sending requests before the process stops accepting them. 0 (the default) closes at once.
     */
    SHUTDOWN_DRAIN_MS: integer(0, 0, 120_000),
    /** households' base URL for internal routes (notifications asks it whom a notice is addressed to). */
    HOUSEHOLDS_INTERNAL_URL: internalServiceUrl(DEFAULT_HOUSEHOLDS_INTERNAL_URL),
  };
}

export type ServiceEnvironment = ReturnType<typeof parseServiceEnvironment>;

export function parseServiceEnvironment(defaultPort: number, env: Record<string, string | undefined> = process.env) {
  return parseEnvironment(serviceEnvironmentShape(defaultPort), env);
}

/**
 * The environment of a service process that serves (`main.ts`): as above, and GATEWAY_VERIFY_KEY is required, reported
 * with every other problem. Commands that never serve (migrate, seed) do without it.
 */
export function parseServingEnvironment(defaultPort: number, env: Record<string, string | undefined> = process.env): ServiceEnvironment {
  const missing = (env.GATEWAY_VERIFY_KEY ?? '').trim() === '' ? [missingGatewayKey('GATEWAY_VERIFY_KEY')] : [];
  let parsed: ServiceEnvironment;
  try {
    parsed = parseServiceEnvironment(defaultPort, env);
  } catch (error) {
    if (error instanceof EnvironmentError) throw new EnvironmentError([...error.problems, ...missing]);
    throw error;
  }
  if (missing.length > 0) throw new EnvironmentError(missing);
  return parsed;
}
