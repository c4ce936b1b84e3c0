import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

/** gateway/src, read from this file's place (gateway/src/__tests__/). */
const SOURCE = fileURLToPath(new URL('..', import.meta.url));
const MAX_LINES = 200;

describe('the gateway source, split by concern', () => {
  it(`keeps every file under ${MAX_LINES} lines`, () => {
    const files = readdirSync(SOURCE, { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.ts') && !file.split(/[\\/]/).includes('__tests__'),
    );
    expect(files.length).toBeGreaterThan(10);
    const tooLong = files
      .map((file) => ({ file, lines: readFileSync(join(SOURCE, file), 'utf8').trimEnd().split('\n').length }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(tooLong).toEqual([]);
  });

  it('has no catch-all gateway.ts again', () => {
    expect(existsSync(join(SOURCE, 'gateway.ts'))).toBe(false);
    expect(existsSync(join(SOURCE, 'create-gateway.ts'))).toBe(true);
  });
});

describe('the workspace layout', () => {
  /** The workspace root, read from this file's place (gateway/src/__tests__/). */
  const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
  const readJson = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, any>;

  it('keeps applications out of libs/: the commands and the test platform are the tools application', () => {
    expect(existsSync(join(ROOT, 'libs/tools'))).toBe(false);
    expect(existsSync(join(ROOT, 'libs/testing/src/platform.ts'))).toBe(false);
    expect(readJson('tools/project.json')).toMatchObject({ projectType: 'application', tags: ['type:app'] });
    for (const entry of ['start', 'seed-cli', 'migrate-cli', 'compose-cli', 'secrets-cli', 'token-cli', 'bench-monthly', 'test-platform']) {
      expect([entry, existsSync(join(ROOT, `tools/src/${entry}.ts`))]).toEqual([entry, true]);
    }
    for (const name of readdirSync(join(ROOT, 'libs'))) {
      expect([name, readJson(`libs/${name}/project.json`).projectType]).toEqual([name, 'library']);
    }
  });

  it('runs every npm script and compose command from a built file whose source exists', () => {
    const scripts = Object.values(readJson('package.json').scripts as Record<string, string>).join('\n');
    const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    const built = [...`${scripts}\n${compose}`.matchAll(/dist\/([\w./-]+)\.js/g)].map((match) => match[1]);
    expect(built).toEqual(expect.arrayContaining(['tools/src/start', 'tools/src/setup-cli']));
    expect(built.filter((path) => !existsSync(join(ROOT, `${path}.ts`)))).toEqual([]);
  });
});
