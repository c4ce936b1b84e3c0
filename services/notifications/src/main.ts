import { startTracing } from '#libs/telemetry';

// Tracing first: modules are instrumented as they load, so the service and its libraries are imported only after it.
await startTracing('notifications');
await import('reflect-metadata');
const { runServiceMain } = await import('#libs/platform');
const { notificationsService } = await import('./notifications.service-definition.js');
await runServiceMain(notificationsService);
