import 'reflect-metadata';
import { runServiceMain } from '#libs/platform';
import { enforcementService } from './enforcement.service-definition.js';

await runServiceMain(enforcementService);
