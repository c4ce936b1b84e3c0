// Owns the context a piece of work carries: the request id (and, for tracing, the W3C trace headers) that follows
// one request from the gateway through the subgraphs, the events they record and the jobs that handle those events.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { context, propagation } from '@opentelemetry/api';

/**
 * What is carried with an event from the outbox to the job that handles it. Ids and trace headers only: never
 * personal data, never the caller (the consumer acts as the system, not as the person who made the request).
 */
export interface CarriedContext {
  requestId: string;
  /** W3C trace context of the producing span; present once a tracing SDK with a propagator is registered. */
  traceparent?: string;
  tracestate?: string;
}

/** What the one line logged per request says beyond its id; filled in while the request runs. */
export interface RequestFacts {
  /** The GraphQL operation's name, where the request was one. */
  operation?: string;
  /** The caller's roles once authenticated: roles only, never the user, token, key or phone. */
  roles?: readonly string[];
  /** The first GraphQL error's `extensions.code`, when the operation failed. */
  errorCode?: string;
}

interface Store {
  requestId: string;
  facts?: RequestFacts;
}

const storage = new AsyncLocalStorage<Store>();

/**
 * A supplied id is kept when it is sane (a front end correlates its own logs; a service calling another passes on its
 * job's `job:<queue>:<id>`); anything else gets a new one.
 */
const ACCEPTED_REQUEST_ID = /^[\w.:-]{8,128}$/;

export function acceptedRequestId(given: unknown): string {
  return typeof given === 'string' && ACCEPTED_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Runs `work` with `requestId` as the current request id; every line logged inside it carries that id. */
export function runWithRequestId<T>(requestId: string, work: () => T, facts?: RequestFacts): T {
  return storage.run({ requestId, facts }, work);
}

/** Runs `work` outside any request (a background loop a request happened to wake must not log under its id). */
export function runOutsideRequest<T>(work: () => T): T {
  return storage.exit(work);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** The facts of the request being handled, for the code that learns them (authentication, the GraphQL plugin). */
export function currentRequestFacts(): RequestFacts | undefined {
  return storage.getStore()?.facts;
}

/**
 * Records who called, once verified: their roles for the request's line, and the id the verified caller carries (a
 * subgraph takes it from the gateway's signature rather than from the unsigned header it started with).
 */
export function noteCaller(caller: { requestId: string; roles: readonly string[] }): void {
  const store = storage.getStore();
  if (!store) return;
  if (caller.requestId) store.requestId = caller.requestId;
  if (store.facts) store.facts.roles = [...caller.roles];
}

/**
 * The context to carry with work recorded now (an outbox event): the request id, and the active trace context as
 * `propagation.inject` writes it (nothing until a tracing SDK is registered). Undefined outside any request or job.
 */
export function carriedContextNow(): CarriedContext | undefined {
  const requestId = currentRequestId();
  if (!requestId) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return {
    requestId,
    ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
  };
}

/** A carried context read back (from a job's data): its known string fields, or undefined when it has no request id. */
export function carriedContextOf(value: unknown): CarriedContext | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { requestId, traceparent, tracestate } = value as Record<string, unknown>;
  if (typeof requestId !== 'string' || requestId === '') return undefined;
  return {
    requestId,
    ...(typeof traceparent === 'string' ? { traceparent } : {}),
    ...(typeof tracestate === 'string' ? { tracestate } : {}),
  };
}
