import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { DEFAULT_PORTS } from '#libs/messaging';
import { repoRoot } from './repo-root.js';

const run = promisify(execFile);

/**
 * Composes the supergraph from the built services (run `npm run build` first), with routing URLs for the default
 * local ports. Throws with every composition error listed when the subgraphs do not fit together.
 */
export async function composeSupergraph(): Promise<string> {
  const printSchema = join(repoRoot(), 'dist/tools/src/print-schema-cli.js');
  const subgraphs = await Promise.all(
    Object.entries(DEFAULT_PORTS).map(async ([name, port]) => {
      const { stdout } = await run(process.execPath, [printSchema, name], { maxBuffer: 16 * 1024 * 1024 });
      return { name, url: `http://localhost:${port}/graphql`, typeDefs: parse(stdout) };
    }),
  );
  const result = composeServices(subgraphs);
  if (result.errors) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return `${result.supergraphSdl.trimEnd()}\n`;
}
