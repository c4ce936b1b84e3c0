import pg from 'pg';
import { PostgresErrorCode, isPostgresError } from './postgres-errors.js';

/** Creates `database` on the server at `serverUrl` unless it exists. Safe when several processes race. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${database}"`);
      return true;
    } catch (error) {
      // Another process created it between our check and our CREATE.
      if (isPostgresError(error, PostgresErrorCode.DuplicateDatabase, PostgresErrorCode.UniqueViolation)) return false;
      throw error;
    }
  } finally {
    await client.end();
  }
}

/** Drops every database whose name starts with `prefix`. Used by tests to start each run clean. */
export async function dropDatabases(serverUrl: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [prefix]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
