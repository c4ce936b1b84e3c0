import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { tracedFetch } from '../traced-fetch.js';

/** A real HTTP server that remembers the headers of each request, and an SDK that keeps spans in memory. */
describe('tracedFetch', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    received.push(request.headers);
    response.writeHead(204).end();
  });
  let base: string;

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('within a span: a CLIENT span of the call, its context in traceparent, the target by its origin only', async () => {
    const parent = trace.getTracer('test').startSpan('request');
    const response = await context.with(trace.setSpan(context.active(), parent), () =>
      tracedFetch(`${base}/calendars/secret-token.ics?api_key=wsk_secret`, { method: 'post', headers: { 'x-kept': 'yes' } }),
    );
    parent.end();
    expect(response.status).toBe(204);
    const [client] = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT);
    expect(client.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(client.name).toBe('POST');
    expect(client.attributes).toMatchObject({ 'http.request.method': 'POST', 'url.full': base, 'http.response.status_code': 204 });
    expect(JSON.stringify(client.attributes)).not.toMatch(/secret/);
    const { traceId, spanId } = client.spanContext();
    expect(received.at(-1)).toMatchObject({ 'x-kept': 'yes', traceparent: `00-${traceId}-${spanId}-01` });
  });

  it('outside any span: a plain call, no span and no traceparent', async () => {
    exporter.reset();
    expect((await tracedFetch(`${base}/internal`)).status).toBe(204);
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(received.at(-1)?.traceparent).toBeUndefined();
  });
});
