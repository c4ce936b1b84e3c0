import 'reflect-metadata';
import { runServiceMain } from '#libs/platform';
import { organizationService } from './organization.service-definition.js';

await runServiceMain(organizationService);
