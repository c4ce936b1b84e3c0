import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { API_SCHEMA_PATH, printApiSchema } from './api-schema.js';
import { composeSupergraph } from './compose.js';
import { repoRoot } from './repo-root.js';

/**
 * `npm run compose`: rewrites gateway/supergraph.graphql from the services' code, and gateway/api-schema.graphql
 * (what clients see, for codegen and review) from it. Commit both.
 */
const supergraph = await composeSupergraph();
for (const [path, content] of [
  ['gateway/supergraph.graphql', supergraph],
  [API_SCHEMA_PATH, printApiSchema(supergraph)],
] as const) {
  const target = join(repoRoot(), path);
  await writeFile(target, content);
  console.log(`Wrote ${target}`);
}
