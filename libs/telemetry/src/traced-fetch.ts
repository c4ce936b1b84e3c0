import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('waste-platform');

/**
 * `fetch` (undici, which the http instrumentation does not see) as a CLIENT span, with the W3C trace context in the
 * request's headers so the receiving service continues the trace. With tracing off it is plain `fetch`. The span names
 * the method and records the target's origin only: paths and queries may carry secrets.
 */
export function tracedFetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
  // A call outside any traced request or job (as for pg and ioredis) would only start a trace of its own.
  if (!trace.getActiveSpan()) return fetch(url, init);
  const target = new URL(url);
  const method = (init.method ?? 'GET').toUpperCase();
  return tracer.startActiveSpan(
    method,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': method,
        'server.address': target.hostname,
        'server.port': Number(target.port) || (target.protocol === 'https:' ? 443 : 80),
        'url.full': target.origin,
      },
    },
    async (span) => {
      const headers = new Headers(init.headers);
      propagation.inject(context.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
      try {
        const response = await fetch(target, { ...init, headers });
        span.setAttribute('http.response.status_code', response.status);
        if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        return response;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'fetch failed' });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
