import 'reflect-metadata';
import { runServiceMain } from '#libs/platform';
import { householdsService } from './households.service-definition.js';

await runServiceMain(householdsService);
