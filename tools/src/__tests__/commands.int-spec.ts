import { execFile, spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseEnv } from 'node:util';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { verifyAccessToken } from '#libs/auth';
import { parseServiceEnvironment } from '#libs/platform';
import { testEnvironment, testInfrastructure, waitFor, workerDatabasePrefix } from '#libs/testing';
import { repoRoot } from '../repo-root.js';
import { openServiceDatabase } from '../service-database.js';
import { SERVICE_NAMES, loadAllServices } from '../services.js';

const execFileAsync = promisify(execFile);

/** Ports free right now on the loopback interface, each found by listening on port 0. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve) => {
          const server = createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
/** Commands that complete their environment from a local env file use this one, never the repository's `.env.local`. */
const scratch = mkdtempSync(join(tmpdir(), 'waste-commands-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs a built command the way npm scripts do and returns its exit code and output. */
async function run(script: string, args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [join(repoRoot(), script), ...args], {
      env: { PATH: process.env.PATH ?? '', WASTE_LOCAL_ENV_FILE: join(scratch, '.env.local'), ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm start', () => {
  it('starts all five processes, prints the gateway URL, and stops them all on Ctrl-C', async () => {
    const env = testEnvironment({ DATABASE_NAME_PREFIX: `${workerDatabasePrefix()}start_` });
    // Ports of its own, so a platform already running on the defaults is left alone; a smaller demo district, since
    // the full one (a year of grades) is the seed spec's to prove.
    const [gateway, ...services] = await freePorts(1 + SERVICE_NAMES.length);
    const servicePorts = Object.fromEntries(SERVICE_NAMES.map((name, index) => [`${name.toUpperCase()}_PORT`, String(services[index])]));
    const start = spawn(process.execPath, [join(repoRoot(), 'dist/tools/src/start.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        ...env,
        NODE_ENV: 'development',
        PORT: String(gateway),
        ...servicePorts,
        DEMO_HOUSEHOLDS: '2000',
        DEMO_GRADED_MONTHS: '2',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    start.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    start.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => start.on('exit', (code) => resolve(code)));
    try {
      // On a timeout the error carries what the command printed, so a slow or stuck start says where it was.
      await waitFor(
        'the gateway URL to be printed',
        () => Promise.resolve(output.includes(`http://localhost:${gateway}/graphql`) && output.includes('is up')),
        180_000,
      ).catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}; it printed:\n${output.slice(-4000)}`);
      });
      // Every process answers /health. Right after a fresh seed each service is busy relaying and consuming the seed's
      // events, so on a loaded machine one 2-second probe can come back late: wait for it, within a bound.
      for (const port of [gateway, ...services]) {
        await waitFor(
          `port ${port} to answer /health with 200`,
          async () => (await fetch(`http://127.0.0.1:${port}/health`)).status === 200,
          60_000,
        );
      }
      start.kill('SIGINT');
      expect(await exited).toBe(0);
      for (const port of [gateway, ...services]) {
        await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
      }
    } finally {
      start.kill('SIGKILL');
    }
  }, 240_000);

  it('says which server it cannot reach, where it looked and how to start one, and exits non-zero', async () => {
    const result = await run('dist/tools/src/start.js', [], {
      ...testEnvironment(),
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres',
      REDIS_URL: 'redis://127.0.0.1:2',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('PostgreSQL is not reachable at 127.0.0.1:1');
    expect(result.stderr).toContain('Redis is not reachable at 127.0.0.1:2');
    expect(result.stderr).toContain('docker compose -f docker-compose.dev.yml up -d');
  });
});

describe('a service', () => {
  it('refuses to boot with one error listing every bad variable', async () => {
    const result = await run('dist/services/households/src/main.js', [], {
      PORT: 'eighty',
      DATABASE_URL: 'mysql://root@localhost/db',
      REDIS_URL: 'localhost:6379',
      LOG_LEVEL: 'chatty',
    });
    expect(result.code).toBe(1);
    for (const variable of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'LOG_LEVEL', 'CONTEXT_SIGNING_SECRET', 'GATEWAY_VERIFY_KEY'])
      expect(result.stderr).toContain(`${variable}:`);
    expect(result.stderr).toContain('Invalid environment (6 problems)');
  });

  it('refuses to boot without its signing key in any NODE_ENV, naming it; development also needs its token secret', async () => {
    const [production, development] = await Promise.all(
      ['production', 'development'].map((NODE_ENV) => run('dist/gateway/src/main.js', [], { NODE_ENV })),
    );
    for (const result of [production, development]) {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("GATEWAY_SIGNING_KEY: required: base64 of the gateway's Ed25519 private key");
      // The gateway holds no shared secret: the services' CONTEXT_SIGNING_SECRET is none of its business.
      expect(result.stderr).not.toContain('CONTEXT_SIGNING_SECRET');
    }
    expect(development.stderr).toContain('JWT_SECRET: required');
    expect(production.stderr).not.toContain('JWT_SECRET');
  });
});

describe('npm run token', () => {
  const { JWT_SECRET } = testEnvironment();

  it('prints a development token for a role and org unit that the gateway accepts', async () => {
    const org = '5f0f8c1e-2b7d-4d6a-9a3e-1c2b3d4e5f60';
    const result = await run('dist/tools/src/token-cli.js', ['--role', 'STREET_ADMIN', '--org', org], { JWT_SECRET });
    expect(result.code).toBe(0);
    await expect(verifyAccessToken(result.stdout.trim(), JWT_SECRET)).resolves.toMatchObject({ roles: ['STREET_ADMIN'], orgUnitId: org });
  });

  it('refuses a scoped role without an org unit, and an unknown role', async () => {
    expect((await run('dist/tools/src/token-cli.js', ['--role', 'STREET_ADMIN'], { JWT_SECRET })).code).toBe(2);
    expect((await run('dist/tools/src/token-cli.js', ['--role', 'MAYOR'], { JWT_SECRET })).code).toBe(2);
  });

  it('on a fresh clone generates the local env file once, says so on stderr, and signs with it from then on', async () => {
    const WASTE_LOCAL_ENV_FILE = join(scratch, 'fresh-clone', '.env.local');
    mkdirSync(dirname(WASTE_LOCAL_ENV_FILE));
    const first = await run('dist/tools/src/token-cli.js', ['--role', 'DISTRICT_ADMIN'], { WASTE_LOCAL_ENV_FILE });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^Created .*\.env\.local with random development secrets/);
    const written = readFileSync(WASTE_LOCAL_ENV_FILE, 'utf8');
    const secret = (parseEnv(written) as Record<string, string>).JWT_SECRET;
    await expect(verifyAccessToken(first.stdout.trim(), secret)).resolves.toMatchObject({ roles: ['DISTRICT_ADMIN'] });

    const second = await run('dist/tools/src/token-cli.js', ['--role', 'DISTRICT_ADMIN'], { WASTE_LOCAL_ENV_FILE });
    expect(second.code).toBe(0);
    expect(second.stderr).toBe('');
    expect(readFileSync(WASTE_LOCAL_ENV_FILE, 'utf8')).toBe(written);
    await expect(verifyAccessToken(second.stdout.trim(), secret)).resolves.toMatchObject({ roles: ['DISTRICT_ADMIN'] });
  });

  it('refuses to run when NODE_ENV=production', async () => {
    const result = await run('dist/tools/src/token-cli.js', ['--role', 'DISTRICT_ADMIN'], { JWT_SECRET, NODE_ENV: 'production' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('refuses to run with NODE_ENV=production');
  });
});

describe('the demo district with NODE_ENV=production', () => {
  /** The databases whose names start with `prefix`, as PostgreSQL lists them. */
  async function databasesNamed(prefix: string): Promise<string[]> {
    const client = new pg.Client({ connectionString: testInfrastructure().databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [prefix]);
      return rows.map((row) => row.datname);
    } finally {
      await client.end();
    }
  }

  it.each([
    ['npm start', 'dist/tools/src/start.js', {}],
    ['npm run seed', 'dist/tools/src/seed-cli.js', {}],
    ['setup', 'dist/tools/src/setup-cli.js', {}],
    ['setup', 'dist/tools/src/setup-cli.js', { SEED_DEMO_DATA: 'true' }],
  ])('%s (%s %j) refuses with a message and exit code 2, before creating or migrating any database', async (command, script, extra) => {
    const prefix = `${workerDatabasePrefix()}prodrefused_`;
    const result = await run(script, [], { ...testEnvironment({ DATABASE_NAME_PREFIX: prefix }), NODE_ENV: 'production', ...extra });
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toContain(`${command} writes the demo district; it refuses to run with NODE_ENV=production.`);
    expect(await databasesNamed(prefix)).toEqual([]);
  });

  it('setup with SEED_DEMO_DATA=false migrates every database and leaves each one empty', async () => {
    const prefix = `${workerDatabasePrefix()}prodsetup_`;
    const env = { ...testEnvironment({ DATABASE_NAME_PREFIX: prefix }), NODE_ENV: 'production', SEED_DEMO_DATA: 'false' };
    const result = await run('dist/tools/src/setup-cli.js', [], env);
    expect([result.code, result.stderr]).toEqual([0, '']);
    // The same prefix reaches the databases (so the refusals above looked in the right place), and no demo is in them.
    expect((await databasesNamed(prefix)).sort()).toEqual(SERVICE_NAMES.map((name) => `${prefix}${name}`).sort());
    for (const service of await loadAllServices()) {
      const dataSource = await openServiceDatabase(service, parseServiceEnvironment(service.defaultPort, env));
      try {
        expect([
          service.name,
          await service.demoData.isEmpty(dataSource),
          (await dataSource.showMigrations()) ? 'pending' : 'migrated',
        ]).toEqual([service.name, true, 'migrated']);
      } finally {
        await dataSource.destroy();
      }
    }
  });
});
