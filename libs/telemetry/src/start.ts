import { register } from 'node:module';
import { tracingSettings } from './settings.js';

/** The modules sdk.ts instruments, as the processes import them. */
const INSTRUMENTED_MODULES = ['http', 'https', 'express', 'graphql', 'pg', 'ioredis'];

/** How long a closing process waits for its last spans to be exported. */
const FLUSH_TIMEOUT_MS = 5000;

/**
 * What a process's `main.ts` calls before it imports anything else: with an OTLP endpoint set, registers
 * OpenTelemetry's module hooks and SDK, so the pg, ioredis, express, graphql and http modules the process loads
 * afterwards are instrumented (ESM modules are hooked as they load, never after), and flushes its spans when it
 * closes. Without one it does nothing at all.
 */
export async function startTracing(defaultServiceName: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const settings = tracingSettings(defaultServiceName, env);
  if (!settings) return false;
  // Only the instrumented modules go through the hook: wrapping every ESM module would cost start-up time and risk
  // breaking modules the hook cannot wrap, for no span.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: INSTRUMENTED_MODULES } });
  // Loaded only when on: a process without tracing never loads the SDK.
  const { registerTracing } = await import('./sdk.js');
  const provider = registerTracing(settings);
  flushOnClose(() => provider.shutdown());
  return true;
}

/**
 * Exports the spans still queued when the process ends. A service, on SIGTERM/SIGINT, drains, closes and then raises
 * the signal again to end itself (libs/platform's bootstrap); that second signal is caught here, the spans of the close
 * are exported, and the signal is raised once more with no listener left, so the process still ends by it. The gateway
 * closes its server and ends when nothing is left to do, which is `beforeExit`. Registered before the process's own
 * listeners, so this one runs first.
 */
function flushOnClose(shutdown: () => Promise<void>): void {
  let flushed: Promise<void> | undefined;
  const flush = () =>
    (flushed ??= Promise.race([
      shutdown().catch(() => undefined),
      new Promise<void>((resolve) => setTimeout(resolve, FLUSH_TIMEOUT_MS).unref()),
    ]));
  process.once('beforeExit', () => void flush());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const flushThenEnd = () => void flush().finally(() => process.kill(process.pid, signal));
    process.once(signal, () => {
      // Nobody else listens (still starting up): the signal ends the process now, as it would without tracing.
      if (process.listenerCount(signal) === 0) flushThenEnd();
      else process.once(signal, flushThenEnd);
    });
  }
}
