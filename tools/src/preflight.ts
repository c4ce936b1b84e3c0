import pg from 'pg';
import { Redis } from 'ioredis';
import { describeServer } from '#libs/database';
import { describeRedis } from '#libs/messaging';

const HOW_TO_START = `Start them with \`docker compose -f docker-compose.dev.yml up -d\` (on 127.0.0.1 only), or point DATABASE_URL / REDIS_URL at running servers.`;

/** Problems reaching PostgreSQL and Redis, each saying what and where; empty when both answer. */
export async function preflight(databaseUrl: string, redisUrl: string): Promise<string[]> {
  const problems: string[] = [];
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ version: number }>(`SELECT current_setting('server_version_num')::int AS version`);
    if (rows[0].version < 150000) problems.push(`PostgreSQL at ${describeServer(databaseUrl)} is older than 15.`);
  } catch (error) {
    problems.push(`PostgreSQL is not reachable at ${describeServer(databaseUrl)} (DATABASE_URL): ${reason(error)}.`);
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    problems.push(`Redis is not reachable at ${describeRedis(redisUrl)} (REDIS_URL): ${reason(error)}.`);
  } finally {
    redis.disconnect();
  }
  if (problems.length > 0) problems.push(HOW_TO_START);
  return problems;
}

function reason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ?? e.message ?? String(error);
}
