import 'reflect-metadata';
import { generateDevelopmentSecrets } from '#libs/config';
import { printServiceSchema } from '#libs/platform';
import { loadService } from './services.js';

/**
 * Prints one service's federation SDL. Composition runs this once per service in its own process: NestJS keeps
 * GraphQL type metadata per process, so two services loaded together would see each other's types.
 */
// Modules that read their settings from process.env (webhooks) get throwaway secrets: this process serves nothing.
for (const [name, value] of Object.entries(generateDevelopmentSecrets())) process.env[name] = value;
process.stdout.write(await printServiceSchema(await loadService(process.argv[2])));
