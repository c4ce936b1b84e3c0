import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { generateDevelopmentSecrets } from '#libs/config';

/** The env file `docker compose --env-file .env.compose up` reads its secrets and passwords from. */
export const COMPOSE_ENV_FILE = '.env.compose';

/**
 * Every variable docker-compose.yml requires (`${NAME:?…}`): the platform's secrets, the gateway's signing key pair,
 * and the PostgreSQL and Redis passwords (hex, so they sit in DATABASE_URL / REDIS_URL without escaping).
 */
export function generateComposeSecrets(): Record<string, string> {
  return {
    ...generateDevelopmentSecrets(),
    POSTGRES_PASSWORD: randomBytes(24).toString('hex'),
    REDIS_PASSWORD: randomBytes(24).toString('hex'),
  };
}

/**
 * Writes a new compose env file; never overwrites one, since PostgreSQL keeps the password of its first start in its
 * volume and webhook signing secrets stay encrypted with the old WEBHOOK_SECRET_KEY.
 */
export function writeComposeEnvFile(file: string): void {
  const text =
    `# docker compose secrets: docker compose --env-file ${COMPOSE_ENV_FILE} up. Git-ignored; keep it, and back it up with\n` +
    `# the volumes (PostgreSQL keeps the password of its first start; webhook secrets are encrypted with WEBHOOK_SECRET_KEY).\n` +
    Object.entries(generateComposeSecrets())
      .map(([name, value]) => `${name}=${value}\n`)
      .join('');
  writeFileSync(file, text, { flag: 'wx', mode: 0o600 });
}
