import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { COMPOSE_ENV_FILE, writeComposeEnvFile } from './compose-env.js';
import { LOCAL_ENV_FILE, loadLocalEnvironment } from './local-env.js';
import { repoRoot } from './repo-root.js';

/**
 * `npm run secrets`: makes sure `.env.local` holds this clone's development secrets (what `npm start` does first).
 * `npm run secrets -- --compose`: writes `.env.compose`, the secrets and passwords for `docker compose --env-file
 * .env.compose up`; refuses to replace an existing one.
 */
const { values } = parseArgs({ options: { compose: { type: 'boolean', default: false } } });
if (values.compose) {
  const file = join(repoRoot(), COMPOSE_ENV_FILE);
  try {
    writeComposeEnvFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    console.error(
      `${COMPOSE_ENV_FILE} exists; it is kept (the database volume was initialised with its password). Delete it first to make new secrets.`,
    );
    process.exit(1);
  }
  console.log(`Created ${COMPOSE_ENV_FILE} with random secrets. Start with: docker compose --env-file ${COMPOSE_ENV_FILE} up`);
} else {
  if (process.env.NODE_ENV === 'production') {
    console.error('npm run secrets makes development secrets and refuses to run with NODE_ENV=production.');
    process.exit(2);
  }
  // Only the file matters here: whatever this shell exports, the file gets every variable.
  const result = loadLocalEnvironment({ env: { WASTE_LOCAL_ENV_FILE: process.env.WASTE_LOCAL_ENV_FILE } })!;
  if (!result.created && result.added.length === 0)
    console.log(
      `${result.file === join(repoRoot(), LOCAL_ENV_FILE) ? LOCAL_ENV_FILE : result.file} already holds every development secret.`,
    );
}
