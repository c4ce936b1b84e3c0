import { randomBytes } from 'node:crypto';
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, generateDevelopmentSecrets } from '#libs/config';

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

/**
 * Secrets minted per test file (the three shared secrets and the gateway's Ed25519 key pair): no secret lives in the
 * repository's tests, and processes refuse one that does.
 */
export const testSecrets = generateDevelopmentSecrets();

/** A fresh Ed25519 pair for the gateway's subgraph signatures, as base64 of PEM, the way the settings take it. */
export function gatewayKeyPair(): { GATEWAY_SIGNING_KEY: string; GATEWAY_VERIFY_KEY: string } {
  const { GATEWAY_SIGNING_KEY, GATEWAY_VERIFY_KEY } = generateDevelopmentSecrets();
  return { GATEWAY_SIGNING_KEY, GATEWAY_VERIFY_KEY };
}

/** The environment a service or the gateway gets in a test: isolated databases, queues and secrets. */
export function testEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
  const { databaseUrl, redisUrl } = testInfrastructure();
  const queuePrefix = `test-${process.pid}-${randomBytes(4).toString('hex')}`;
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    DATABASE_NAME_PREFIX: workerDatabasePrefix(),
    QUEUE_PREFIX: queuePrefix,
    // The gateway's rate limits are counted under the queues' prefix, so a test starts with fresh counts and the
    // platform's cleanup removes them with the queues.
    RATE_LIMIT_PREFIX: `${queuePrefix}:ratelimit`,
    ...testSecrets,
    // Tests' webhook receivers listen on loopback, which webhooks otherwise refuse (services/notifications/src/webhooks).
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    ...overrides,
  };
}
