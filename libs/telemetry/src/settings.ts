import { EnvironmentError, parseEnvironment, tracingEnvironment, type TracesSampler } from '#libs/config';

export interface TracingSettings {
  serviceName: string;
  sampler: TracesSampler;
  /** OTEL_TRACES_SAMPLER_ARG: the share of new traces kept by the `traceidratio` samplers. */
  ratio: number;
  /** OTEL_BSP_SCHEDULE_DELAY: milliseconds between two exports of finished spans. */
  scheduledDelayMillis: number;
}

/**
 * What tracing a process does, from OpenTelemetry's standard variables: null (off) unless an OTLP endpoint is set.
 * Variables that do not parse also mean off here: the process's own environment check, which includes them, then
 * stops it with every problem listed, as for any other setting.
 */
export function tracingSettings(defaultServiceName: string, env: NodeJS.ProcessEnv = process.env): TracingSettings | null {
  let parsed;
  try {
    parsed = parseEnvironment(tracingEnvironment, env);
  } catch (error) {
    if (error instanceof EnvironmentError) return null;
    throw error;
  }
  if (!parsed.OTEL_EXPORTER_OTLP_ENDPOINT && !parsed.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return null;
  return {
    serviceName: parsed.OTEL_SERVICE_NAME ?? defaultServiceName,
    sampler: parsed.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on',
    ratio: parsed.OTEL_TRACES_SAMPLER_ARG ?? 1,
    scheduledDelayMillis: parsed.OTEL_BSP_SCHEDULE_DELAY ?? 5000,
  };
}
