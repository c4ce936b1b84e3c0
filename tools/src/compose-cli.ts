import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { composeSupergraph } from './compose.js';
import { repoRoot } from './repo-root.js';

/** `npm run compose`: rewrites gateway/supergraph.graphql from the services' code. Commit the result. */
const target = join(repoRoot(), 'gateway/supergraph.graphql');
await writeFile(target, await composeSupergraph());
console.log(`Wrote ${target}`);
