// Loaded by Jest outside the test module system: only packages, no workspace imports.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Must match TEST_DATABASE_PREFIX in test-infrastructure.ts. */
const TEST_DATABASE_PREFIX = 'waste_test_';
/** A run's databases are dropped at its end; ones left by a crashed run are dropped by a later run after this long. */
const ABANDONED_AFTER_MS = 6 * 3600_000;

interface Started {
  stop(): Promise<unknown>;
}

/**
 * Runs once before the integration tests: starts PostgreSQL and Redis in containers when the environment names
 * none and a Docker engine exists, names this run (its databases carry the name, so concurrent runs never meet),
 * and drops databases abandoned by earlier runs.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
    (globalThis as { __testContainers?: Started[] }).__testContainers = await startContainersIfDockerExists();
  }
  // Base-36 milliseconds first, so a later run can tell how old a database is from its name.
  process.env.WASTE_TEST_RUN = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  await dropTestDatabases((run) => Date.now() - parseInt(run.slice(0, 8), 36) > ABANDONED_AFTER_MS);
}

/** Drops the test databases whose run name `shouldDrop` accepts. */
async function dropTestDatabases(shouldDrop: (run: string) => boolean): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Integration tests need PostgreSQL and Redis: set DATABASE_URL and REDIS_URL, run a Docker engine, or start them locally (${(error as Error).message})`,
    );
  }
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [
      TEST_DATABASE_PREFIX,
    ]);
    for (const { datname } of rows) {
      const run = datname.slice(TEST_DATABASE_PREFIX.length).split('_')[0];
      if (shouldDrop(run)) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

async function startContainersIfDockerExists(): Promise<Started[]> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    return []; // No Docker engine: the tests use the local defaults.
  }
  const started: Started[] = [];
  if (!process.env.DATABASE_URL) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const postgres = await new PostgreSqlContainer('postgres:15-alpine').withUsername('postgres').withPassword('postgres').start();
    process.env.DATABASE_URL = postgres.getConnectionUri().replace(/\/[^/]*$/, '/postgres');
    started.push(postgres);
  }
  if (!process.env.REDIS_URL) {
    const { RedisContainer } = await import('@testcontainers/redis');
    const redis = await new RedisContainer('redis:7-alpine').start();
    process.env.REDIS_URL = redis.getConnectionUrl();
    started.push(redis);
  }
  return started;
}
