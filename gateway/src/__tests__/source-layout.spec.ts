import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

/** gateway/src, read from this file's place (gateway/src/__tests__/). */
const SOURCE = fileURLToPath(new URL('..', import.meta.url));
const MAX_LINES = 200;

describe('the gateway source, split by concern', () => {
  it(`keeps every file under ${MAX_LINES} lines`, () => {
    const files = readdirSync(SOURCE, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.split(/[\\/]/).includes('__tests__'));
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
