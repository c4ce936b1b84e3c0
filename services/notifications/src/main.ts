import 'reflect-metadata';
import { runServiceMain } from '#libs/platform';
import { notificationsService } from './notifications.service-definition.js';

await runServiceMain(notificationsService);
