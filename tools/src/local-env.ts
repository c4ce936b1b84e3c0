import { existsSync, readFileSync, appendFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseEnv } from 'node:util';
import { DEVELOPMENT_SECRET_NAMES, generateDevelopmentSecrets, unsetIfEmpty, type DevelopmentSecretName } from '#libs/config';
import { repoRoot } from './repo-root.js';

/** The git-ignored file at the repository root that holds this clone's development secrets. */
export const LOCAL_ENV_FILE = '.env.local';

export interface LocalEnvironmentOptions {
  /** Default: `WASTE_LOCAL_ENV_FILE`, else `.env.local` at the repository root. */
  file?: string;
  /** The environment to complete (default `process.env`); values already set in it win over the file's. */
  env?: Record<string, string | undefined>;
  /** Where the one line about a created or completed file goes (default stderr: `$(npm run token)` reads stdout). */
  log?: (line: string) => void;
}

export interface LocalEnvironment {
  file: string;
  created: boolean;
  /** Variables appended to an existing file that lacked them (a clone older than the variable). */
  added: DevelopmentSecretName[];
}

const HEADER = `# Development secrets of this clone, generated once by \`npm start\` (or npm run token/seed/migrate/secrets/bench:*).
# Git-ignored; never used with NODE_ENV=production. Delete this file to get new ones. Variables set in the
# environment win over these. GATEWAY_SIGNING_KEY / GATEWAY_VERIFY_KEY: base64 of a PKCS8 / SPKI PEM (Ed25519).
`;

/**
 * What the development commands do first: make sure the local env file holds every development secret (creating it
 * with random values on a fresh clone, appending what an older file lacks), then load it into `env` without
 * overriding what is already set. Nothing is read or written with NODE_ENV=production, or when `env` already has
 * every secret (CI, tests): then a process without a secret refuses to boot, naming it.
 */
export function loadLocalEnvironment(options: LocalEnvironmentOptions = {}): LocalEnvironment | undefined {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(line));
  if (env.NODE_ENV === 'production') return undefined;
  const file = options.file ?? (unsetIfEmpty(env.WASTE_LOCAL_ENV_FILE) as string | undefined) ?? join(repoRoot(), LOCAL_ENV_FILE);
  const isSet = (value: string | undefined) => unsetIfEmpty(value) !== undefined;
  if (!existsSync(file) && DEVELOPMENT_SECRET_NAMES.every((name) => isSet(env[name]))) return undefined;

  const shown = displayPath(file);
  let created = false;
  let added: DevelopmentSecretName[] = [];
  if (!existsSync(file)) {
    const fresh = generateDevelopmentSecrets();
    try {
      // `wx`: when two commands start at once on a fresh clone, one writes and the other reads what it wrote.
      writeFileSync(file, HEADER + lines(fresh), { flag: 'wx', mode: 0o600 });
      created = true;
      log(`Created ${shown} with random development secrets (git-ignored; delete it to make new ones).`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  let values = parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  if (!created) {
    added = DEVELOPMENT_SECRET_NAMES.filter((name) => !isSet(values[name]));
    if (added.length > 0) {
      const fresh = generateDevelopmentSecrets();
      const text = readFileSync(file, 'utf8');
      appendFileSync(
        file,
        (text.endsWith('\n') || text === '' ? '' : '\n') + lines(Object.fromEntries(added.map((name) => [name, fresh[name]]))),
      );
      log(`Added ${added.join(', ')} to ${shown} (random development values).`);
      values = parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
    }
  }
  for (const [name, value] of Object.entries(values)) {
    if (!isSet(env[name])) env[name] = value;
  }
  return { file, created, added };
}

function lines(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}=${value}\n`)
    .join('');
}

function displayPath(file: string): string {
  try {
    const path = relative(process.cwd(), file);
    return path && !path.startsWith('..') ? path : file;
  } catch {
    return file;
  }
}
