import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ensureDatabase, serviceDatabaseName, withDatabase } from '#libs/database';
import { parseServiceEnvironment } from '#libs/platform';
import { testEnvironment, workerDatabasePrefix } from '#libs/testing';
import { repoRoot } from '../repo-root.js';
import { migrateAndSeed } from '../seed.js';
import { SERVICE_NAMES } from '../services.js';

const execFileAsync = promisify(execFile);

/**
 * The restore drill of docs/operations.md ("Backups and restore"), run as written: each service's database dumped
 * with `pg_dump --format=custom`, restored with `pg_restore --no-owner` into databases of another prefix, then the
 * release's `migrate-cli` over them in production. The restored databases hold what the originals held, table by
 * table, and need no migration. Skipped, and named so, without pg_dump and pg_restore.
 */
const toolsFound = ['pg_dump', 'pg_restore'].every((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0);
const suite = toolsFound ? describe : describe.skip;
const title = toolsFound ? 'the restore drill' : 'the restore drill (skipped: pg_dump and pg_restore are not installed)';

suite(title, () => {
  const source = `${workerDatabasePrefix()}backup_`;
  const drill = `${workerDatabasePrefix()}drill_`;
  const env = testEnvironment({ DATABASE_NAME_PREFIX: source });
  const dumps = mkdtempSync(join(tmpdir(), 'waste-dumps-'));
  const url = (prefix: string, service: string) => withDatabase(env.DATABASE_URL, serviceDatabaseName(service, prefix));

  /** Every table of a database with its row count. */
  async function rowCounts(databaseUrl: string): Promise<Record<string, number>> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
      );
      const counts: Record<string, number> = {};
      for (const { table_name: table } of rows) {
        counts[table] = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0].n;
      }
      return counts;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    // A small district with one graded month: every service has rows in most of its tables.
    await migrateAndSeed({
      reset: true,
      households: 300,
      gradedMonths: 1,
      env: (service) => parseServiceEnvironment(service.defaultPort, env),
      log: () => undefined,
    });
  }, 240_000);

  afterAll(() => rmSync(dumps, { recursive: true, force: true }));

  it('restores every service’s dump into fresh databases with the same rows, and the release migrates them with nothing to do', async () => {
    for (const service of SERVICE_NAMES) {
      const file = join(dumps, `${service}.dump`);
      await execFileAsync('pg_dump', ['--format=custom', `--dbname=${url(source, service)}`, `--file=${file}`]);
      await ensureDatabase(env.DATABASE_URL, serviceDatabaseName(service, drill));
      await execFileAsync('pg_restore', ['--no-owner', `--dbname=${url(drill, service)}`, file]);
      const [original, restored] = await Promise.all([rowCounts(url(source, service)), rowCounts(url(drill, service))]);
      expect(Object.values(original).some((n) => n > 0)).toBe(true);
      expect([service, restored]).toEqual([service, original]);
    }

    const { stdout } = await execFileAsync(process.execPath, [join(repoRoot(), 'dist/tools/src/migrate-cli.js')], {
      env: { PATH: process.env.PATH ?? '', ...env, NODE_ENV: 'production', DATABASE_NAME_PREFIX: drill },
    });
    expect(stdout.trim().split('\n').sort()).toEqual(SERVICE_NAMES.map((service) => `${service}: applied 0 migration(s)`).sort());
  }, 240_000);
});
