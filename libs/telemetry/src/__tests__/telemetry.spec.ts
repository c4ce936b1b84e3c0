import { describe, expect, it } from '@jest/globals';
import { SpanKind } from '@opentelemetry/api';
import { privateAttributesRemoved } from '../private-attributes.js';
import { tracingSettings } from '../settings.js';

describe('tracingSettings', () => {
  it('is off without an OTLP endpoint, whatever else is set', () => {
    expect(tracingSettings('households', {})).toBeNull();
    expect(
      tracingSettings('households', { OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_ENDPOINT: ' ' }),
    ).toBeNull();
  });

  it("is on with either endpoint, named after the process unless OTEL_SERVICE_NAME says otherwise, with OpenTelemetry's defaults", () => {
    expect(tracingSettings('households', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({
      serviceName: 'households',
      sampler: 'parentbased_always_on',
      ratio: 1,
      scheduledDelayMillis: 5000,
    });
    expect(
      tracingSettings('gateway', {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector/v1/traces',
        OTEL_SERVICE_NAME: 'gateway-eu',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
        OTEL_BSP_SCHEDULE_DELAY: '1000',
      }),
    ).toEqual({ serviceName: 'gateway-eu', sampler: 'parentbased_traceidratio', ratio: 0.1, scheduledDelayMillis: 1000 });
  });

  it("is off when a tracing variable is bad (the process's own environment check then reports it)", () => {
    for (const bad of [
      { OTEL_TRACES_SAMPLER: 'sometimes' },
      { OTEL_TRACES_SAMPLER_ARG: '2' },
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
    ]) {
      expect(tracingSettings('households', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces', ...bad })).toBeNull();
    }
  });
});

describe('privateAttributesRemoved', () => {
  it('drops paths, queries, headers, the caller and query values, and keeps a full URL to its origin only', () => {
    const attributes = {
      'http.request.method': 'GET',
      'http.route': '/calendars/:file',
      'url.path': '/calendars/3f9c2a.ics',
      'url.query': 'api_key=wsk_secret',
      'url.full': 'http://households:4002/uploads/1?token=secret',
      'client.address': '203.0.113.9',
      'user_agent.original': 'Mozilla/5.0',
      'http.request.header.authorization': ['Bearer x'],
      'db.postgresql.values': ['张三'],
      'network.peer.address': '203.0.113.9',
      'db.query.text': 'SELECT 1 WHERE id = $1',
    };
    expect(privateAttributesRemoved(attributes, SpanKind.SERVER)).toEqual({
      'http.request.method': 'GET',
      'http.route': '/calendars/:file',
      'url.full': 'http://households:4002',
      'db.query.text': 'SELECT 1 WHERE id = $1',
    });
    // A client span's peer is one of our own services, not a caller.
    expect(privateAttributesRemoved({ 'network.peer.address': '10.0.0.4' }, SpanKind.CLIENT)).toEqual({
      'network.peer.address': '10.0.0.4',
    });
  });
});
