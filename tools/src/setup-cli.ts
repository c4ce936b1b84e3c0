import 'reflect-metadata';
import { parseServiceEnvironment } from '#libs/platform';
import { migrateAndSeed } from './seed.js';

/**
 * One-shot setup before the services start (docker compose's `setup`, a Kubernetes Job): migrates every database
 * and seeds the demo district into services that are empty. Idempotent; running it again changes nothing.
 */
const seedDemo = process.env.SEED_DEMO_DATA !== 'false';
await migrateAndSeed({
  reset: false,
  seedEmpty: seedDemo,
  env: (service) => parseServiceEnvironment(service.defaultPort),
});
