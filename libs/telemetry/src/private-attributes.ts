import { SpanKind, type Attributes } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/**
 * Attributes that may carry a secret or personal data and are never exported: a URL's path and query (a bureau's
 * calendar token is a path, an Open311 `api_key` a query parameter; the route pattern, `http.route`, stays), the
 * caller's address and user agent, any recorded header, and pg's query parameters (off in its configuration too).
 */
const DROPPED = new Set(['url.path', 'url.query', 'client.address', 'user_agent.original', 'db.postgresql.values']);
const DROPPED_PREFIXES = ['http.request.header.', 'http.response.header.'];

export function privateAttributesRemoved(attributes: Attributes, kind: SpanKind): Attributes {
  const kept: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (DROPPED.has(key) || DROPPED_PREFIXES.some((prefix) => key.startsWith(prefix))) continue;
    // A server span's peer is the caller, whose address is personal data; a client span's peer is our own service.
    if (kind === SpanKind.SERVER && key.startsWith('network.peer.')) continue;
    // Only the origin of a full URL: scheme, host and port say where a call went without its path or query.
    if (key === 'url.full' && typeof value === 'string') {
      kept[key] = URL.canParse(value) ? new URL(value).origin : undefined;
      continue;
    }
    kept[key] = value;
  }
  return kept;
}

/**
 * Hands the exporter each span with its private attributes removed. Spans are read-only once ended, so each is
 * passed as a view of the original with other attributes; everything else is read from the span itself.
 */
export class PrivateAttributesRemovingExporter implements SpanExporter {
  constructor(private readonly exporter: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const views = spans.map(
      (span) => Object.create(span, { attributes: { value: privateAttributesRemoved(span.attributes, span.kind) } }) as ReadableSpan,
    );
    this.exporter.export(views, resultCallback);
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush?.() ?? Promise.resolve();
  }
}
