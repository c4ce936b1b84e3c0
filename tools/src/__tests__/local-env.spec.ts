import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DEVELOPMENT_SECRET_NAMES, PUBLISHED_SECRETS, generateDevelopmentSecrets, parseEnvironment, secret } from '#libs/config';
import { loadLocalEnvironment } from '../local-env.js';

describe('the local env file of development commands', () => {
  let dir: string;
  let file: string;
  let lines: string[];
  const log = (line: string) => lines.push(line);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'waste-local-env-'));
    file = join(dir, '.env.local');
    lines = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const read = () => parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;

  it('is created once with random secrets, says so in one line, and is kept as it is on the next run', () => {
    const first: Record<string, string | undefined> = {};
    expect(loadLocalEnvironment({ file, env: first, log })).toEqual({ file, created: true, added: [] });
    expect(lines).toEqual([expect.stringMatching(/^Created .*\.env\.local with random development secrets/)]);
    const written = readFileSync(file, 'utf8');
    const values = read();
    expect(Object.keys(values).sort()).toEqual([...DEVELOPMENT_SECRET_NAMES].sort());
    for (const name of DEVELOPMENT_SECRET_NAMES) {
      expect(first[name]).toBe(values[name]);
      expect(PUBLISHED_SECRETS).not.toContain(values[name]);
    }
    expect(statSync(file).mode & 0o077).toBe(0);
    // What the processes then accept.
    expect(parseEnvironment({ JWT_SECRET: secret('JWT_SECRET') }, first).JWT_SECRET).toBe(values.JWT_SECRET);

    const second: Record<string, string | undefined> = {};
    expect(loadLocalEnvironment({ file, env: second, log })).toEqual({ file, created: false, added: [] });
    expect(lines).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toBe(written);
    expect(second).toEqual(first);
  });

  it('leaves what the process environment sets (non-empty) above the file', () => {
    loadLocalEnvironment({ file, env: {}, log });
    const own = 'a'.repeat(16) + 'b'.repeat(16);
    const env: Record<string, string | undefined> = { JWT_SECRET: own, CONTEXT_SIGNING_SECRET: '' };
    loadLocalEnvironment({ file, env, log });
    expect(env.JWT_SECRET).toBe(own);
    expect(env.CONTEXT_SIGNING_SECRET).toBe(read().CONTEXT_SIGNING_SECRET);
    expect(read().JWT_SECRET).not.toBe(own);
  });

  it('appends what an older file lacks, keeping its values and anything else it holds', () => {
    const old = generateDevelopmentSecrets();
    writeFileSync(
      file,
      `# mine\nDATABASE_URL=postgres://me@127.0.0.1:5433/postgres\nJWT_SECRET=${old.JWT_SECRET}\nCONTEXT_SIGNING_SECRET=${old.CONTEXT_SIGNING_SECRET}`,
    );
    const env: Record<string, string | undefined> = {};
    expect(loadLocalEnvironment({ file, env, log })).toEqual({
      file,
      created: false,
      added: ['WEBHOOK_SECRET_KEY', 'GATEWAY_SIGNING_KEY', 'GATEWAY_VERIFY_KEY'],
    });
    expect(lines).toEqual([expect.stringMatching(/^Added WEBHOOK_SECRET_KEY, GATEWAY_SIGNING_KEY, GATEWAY_VERIFY_KEY to /)]);
    expect(readFileSync(file, 'utf8')).toMatch(/^# mine\nDATABASE_URL=.*\nJWT_SECRET=.*\nCONTEXT_SIGNING_SECRET=.*\nWEBHOOK_SECRET_KEY=/);
    expect(env).toMatchObject({
      DATABASE_URL: 'postgres://me@127.0.0.1:5433/postgres',
      JWT_SECRET: old.JWT_SECRET,
      CONTEXT_SIGNING_SECRET: old.CONTEXT_SIGNING_SECRET,
    });
    for (const name of DEVELOPMENT_SECRET_NAMES) expect(env[name]).toBe(read()[name]);
  });

  it('is neither written nor read with NODE_ENV=production, nor when the environment has every secret', () => {
    expect(loadLocalEnvironment({ file, env: { NODE_ENV: 'production' }, log })).toBeUndefined();
    expect(loadLocalEnvironment({ file, env: { ...generateDevelopmentSecrets() }, log })).toBeUndefined();
    expect(existsSync(file)).toBe(false);
    expect(lines).toEqual([]);
    // WASTE_LOCAL_ENV_FILE names the file when no option does.
    const env: Record<string, string | undefined> = { WASTE_LOCAL_ENV_FILE: file };
    expect(loadLocalEnvironment({ env, log })?.created).toBe(true);
    expect(env.JWT_SECRET).toBe(read().JWT_SECRET);
  });
});
