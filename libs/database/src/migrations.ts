import type { DataSource } from 'typeorm';

/**
 * Any fixed number: the advisory lock that keeps two processes from migrating the same database at once (exported so
 * a test can hold it and watch a starting service wait).
 */
export const MIGRATION_LOCK_KEY = 727_001;

/** Runs pending migrations, each in its own transaction, holding a database-wide advisory lock. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  return withMigrationLock(dataSource, async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  });
}

/** Reverts the last `count` migrations (all when count is Infinity), newest first. */
export async function revertMigrations(dataSource: DataSource, count: number): Promise<number> {
  return withMigrationLock(dataSource, async () => {
    let reverted = 0;
    while (reverted < count) {
      const [{ n }] = await dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'migrations'`,
      );
      if (n === 0) break;
      const [{ remaining }] = await dataSource.query<{ remaining: number }[]>(`SELECT count(*)::int AS remaining FROM migrations`);
      if (remaining === 0) break;
      await dataSource.undoLastMigration({ transaction: 'each' });
      reverted += 1;
    }
    return reverted;
  });
}

async function withMigrationLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
