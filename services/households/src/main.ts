import { startTracing } from '#libs/telemetry';

// Tracing first: modules are instrumented as they load, so the service and its libraries are imported only after it.
await startTracing('households');
await import('reflect-metadata');
const { runServiceMain } = await import('#libs/platform');
const { householdsService } = await import('./households.service-definition.js');
await runServiceMain(householdsService);
