// Loaded by Jest outside the test module system (as CommonJS): only packages, not even sibling files.
import pg from 'pg';

/** Drops this run's databases and stops any containers the setup started. */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.WASTE_TEST_RUN;
  if (run) {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [
        `waste_test_${run}_`,
      ]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
  const containers = (globalThis as { __testContainers?: { stop(): Promise<unknown> }[] }).__testContainers ?? [];
  await Promise.all(containers.map((container) => container.stop()));
}
