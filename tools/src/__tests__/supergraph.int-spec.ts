import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { composeSupergraph } from '../compose.js';
import { repoRoot } from '../repo-root.js';

describe('the committed supergraph', () => {
  it('is what composing the current services gives (run `npm run compose` and commit when this fails)', async () => {
    const committed = await readFile(join(repoRoot(), 'gateway/supergraph.graphql'), 'utf8');
    expect(await composeSupergraph()).toBe(committed);
  });
});
