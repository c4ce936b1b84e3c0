import { startTracing } from '#libs/telemetry';

// Tracing first: modules are instrumented as they load, so the service and its libraries are imported only after it.
await startTracing('enforcement');
await import('reflect-metadata');
const { runServiceMain } = await import('#libs/platform');
const { enforcementService } = await import('./enforcement.service-definition.js');
await runServiceMain(enforcementService);
