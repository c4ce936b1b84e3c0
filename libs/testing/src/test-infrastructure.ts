import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL } from '#libs/config';

/**
 * Where integration tests find PostgreSQL and Redis: DATABASE_URL / REDIS_URL when set (CI and this machine), else
 * containers started by the global setup when a Docker engine exists, else the local defaults.
 */
export function testInfrastructure(): { databaseUrl: string; redisUrl: string } {
  return {
    databaseUrl: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    redisUrl: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
  };
}

/** Test databases are named waste_test_<run>_w<worker>_<service>: two test runs, or two workers, never share one. */
export const TEST_DATABASE_PREFIX = 'waste_test_';

export function workerDatabasePrefix(): string {
  return `${TEST_DATABASE_PREFIX}${process.env.WASTE_TEST_RUN ?? 'adhoc'}_w${process.env.JEST_WORKER_ID ?? '0'}_`;
}

/** A fresh Ed25519 pair for the gateway's subgraph signatures, as base64 of PEM, the way the settings take it. */
export function gatewayKeyPair(): { GATEWAY_SIGNING_KEY: string; GATEWAY_VERIFY_KEY: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const base64 = (pem: string) => Buffer.from(pem).toString('base64');
  return {
    GATEWAY_SIGNING_KEY: base64(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
    GATEWAY_VERIFY_KEY: base64(publicKey.export({ type: 'spki', format: 'pem' }) as string),
  };
}

/** Secrets minted per test file: no long-lived secret lives in the repository's tests. */
export const testSecrets = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  CONTEXT_SIGNING_SECRET: randomBytes(32).toString('hex'),
  WEBHOOK_SECRET_KEY: randomBytes(32).toString('hex'),
  ...gatewayKeyPair(),
};

/** The environment a service or the gateway gets in a test: isolated databases, queues and secrets. */
export function testEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
  const { databaseUrl, redisUrl } = testInfrastructure();
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    DATABASE_NAME_PREFIX: workerDatabasePrefix(),
    QUEUE_PREFIX: `test-${process.pid}-${randomBytes(4).toString('hex')}`,
    ...testSecrets,
    // Tests' webhook receivers listen on loopback, which webhooks otherwise refuse (services/notifications/src/webhooks).
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    ...overrides,
  };
}
