import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROOT_CONTEXT, TraceFlags, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { carriedContextNow, carriedContextOf, noteCaller, runOutsideRequest, runWithRequestId } from '../index.js';

// What a tracing SDK registers (its context manager and the W3C propagator), without the SDK: the carried context
// takes whatever trace context is active, and nothing when none is.
describe('the carried context', () => {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });

  afterAll(() => {
    propagation.disable();
    context.disable();
  });

  const span = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };

  it('is nothing outside a request or job, and the request id with the active trace context inside one', async () => {
    expect(carriedContextNow()).toBeUndefined();
    const carried = await context.with(trace.setSpanContext(ROOT_CONTEXT, span), () =>
      runWithRequestId('req-0123456789', async () => {
        await Promise.resolve();
        return carriedContextNow();
      }),
    );
    expect(carried).toEqual({ requestId: 'req-0123456789', traceparent: `00-${span.traceId}-${span.spanId}-01` });
    // Read back from a job, it gives the consumer its parent span.
    const parent = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, carriedContextOf(carried)!));
    expect(parent).toMatchObject({ traceId: span.traceId, spanId: span.spanId, isRemote: true });
  });

  it('takes the verified caller’s id, never an empty one, and leaves nothing to work run outside the request', () => {
    runWithRequestId('from-the-header', () => {
      noteCaller({ requestId: '', roles: [] });
      expect(carriedContextNow()?.requestId).toBe('from-the-header');
      noteCaller({ requestId: 'from-the-signature', roles: ['INSPECTOR'] });
      expect(carriedContextNow()?.requestId).toBe('from-the-signature');
      expect(runOutsideRequest(() => carriedContextNow())).toBeUndefined();
    });
  });

  it('reads back only a context with a request id, and only its known fields', () => {
    expect(carriedContextOf(null)).toBeUndefined();
    expect(carriedContextOf({ traceparent: 'x' })).toBeUndefined();
    expect(carriedContextOf({ requestId: 'r', name: '张三', traceparent: 't' })).toEqual({ requestId: 'r', traceparent: 't' });
  });
});
