import 'reflect-metadata';
import { printServiceSchema } from '#libs/platform';
import { loadService } from './services.js';

/**
 * Prints one service's federation SDL. Composition runs this once per service in its own process: NestJS keeps
 * GraphQL type metadata per process, so two services loaded together would see each other's types.
 */
process.stdout.write(await printServiceSchema(await loadService(process.argv[2])));
