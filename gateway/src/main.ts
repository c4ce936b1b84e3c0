import { startTracing } from '#libs/telemetry';

// Tracing first: modules are instrumented as they load, so the gateway itself (serve.ts) is imported only after it.
await startTracing('gateway');
await import('./serve.js');
