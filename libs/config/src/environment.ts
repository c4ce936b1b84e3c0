import { z } from 'zod';
import { isPublishedSecret } from './secrets.js';

/** Thrown once at boot with every bad variable listed, so an operator fixes them all in one go. */
export class EnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid environment (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'EnvironmentError';
  }
}

export const NodeEnv = z.enum(['development', 'test', 'production']);
export type NodeEnv = z.infer<typeof NodeEnv>;

export const LogLevel = z.enum(['error', 'warn', 'log', 'debug', 'verbose']);
export type LogLevel = z.infer<typeof LogLevel>;

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * Empty (or blank) strings count as unset: `PORT=` in a .env file, or `${CREDIT_EXPORT_URL:-}` in docker compose,
 * means "use the default", not port 0 or an empty URL. For `z.preprocess` in every service's settings.
 */
export const unsetIfEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** A whole number from `min` to `max`, `fallback` when unset or empty. */
export const integer = (fallback: number, min: number, max: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().int().min(min).max(max).default(fallback));

export const port = (fallback: number) => integer(fallback, 0, 65535);

/**
 * Seconds to wait after the 1st, 2nd, … failed attempt of a delivery, comma-separated (`fallback` when unset or
 * empty): up to 30, each above 0 and at most 7 days. After the last, delivery gives up.
 */
export const retrySchedule = (fallback: readonly number[]) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .default(fallback.join(','))
      .transform((value, context) => {
        const seconds = value.split(',').map((part) => Number(part.trim()));
        if (seconds.length > 30 || seconds.some((s) => !Number.isFinite(s) || s <= 0 || s > 7 * 86400)) {
          context.addIssue({
            code: 'custom',
            message: 'must be up to 30 comma-separated numbers of seconds, each above 0 and at most 7 days',
          });
        }
        return seconds;
      }),
  );

/**
 * The problems of a URL a production deployment must set, over https (what it points to receives personal data or
 * hands out secrets): none outside production.
 */
export function httpsInProductionProblems(name: string, url: string | undefined, nodeEnv: NodeEnv): string[] {
  if (nodeEnv !== 'production') return [];
  if (!url) return [`${name}: required in production`];
  if (!url.startsWith('https://')) return [`${name}: must be https in production`];
  return [];
}

export const postgresUrl = z
  .string()
  .default(DEFAULT_DATABASE_URL)
  .refine((value) => /^postgres(ql)?:\/\//.test(value) && URL.canParse(value), 'must be a postgres:// URL');

export const redisUrl = z
  .string()
  .default(DEFAULT_REDIS_URL)
  .refine((value) => /^rediss?:\/\//.test(value) && URL.canParse(value), 'must be a redis:// URL');

/** Where households answers other services' internal routes (notifications asks it for notice addressees). */
export const DEFAULT_HOUSEHOLDS_INTERNAL_URL = 'http://127.0.0.1:4002';

/** An http(s) base URL of another service, reached inside the deployment (never through the gateway). */
export const internalServiceUrl = (fallback: string) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .default(fallback)
      .refine((value) => /^https?:\/\//.test(value) && URL.canParse(value), 'must be an http(s):// URL'),
  );

/** Schemas made by `secret()`: parseEnvironment checks these fields for a missing or published value. */
const secretFields = new WeakSet<z.ZodType>();

/**
 * A secret of at least 32 characters, with no default in any NODE_ENV: `npm start` and the other development
 * commands generate one into the git-ignored `.env.local`; a deployment sets its own.
 */
export const secret = (name: string) => {
  const schema = z.preprocess(unsetIfEmpty, z.string().min(32, 'must be at least 32 characters')).describe(name);
  secretFields.add(schema);
  return schema;
};

export const MISSING_SECRET_HINT =
  'set it to at least 32 random characters (`npm start` and `npm run secrets` generate development values into .env.local)';

export const TracesSampler = z.enum([
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
]);
export type TracesSampler = z.infer<typeof TracesSampler>;

const otlpUrl = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .refine((value) => /^https?:\/\//.test(value) && URL.canParse(value), 'must be an http(s):// URL')
    .optional(),
);

/**
 * OpenTelemetry's own variables for traces, all optional and without defaults here (libs/telemetry applies
 * OpenTelemetry's): with neither endpoint set no process traces. Checked with the rest at boot so a typo in a sampler
 * or an endpoint is reported like any other bad setting. Only OTLP over HTTP with JSON is exported.
 */
export const tracingEnvironment = {
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlpUrl,
  OTEL_EXPORTER_OTLP_PROTOCOL: z.preprocess(unsetIfEmpty, z.literal('http/json').optional()),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.preprocess(unsetIfEmpty, z.literal('http/json').optional()),
  OTEL_SERVICE_NAME: z.preprocess(unsetIfEmpty, z.string().max(100).optional()),
  OTEL_TRACES_SAMPLER: z.preprocess(unsetIfEmpty, TracesSampler.optional()),
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(unsetIfEmpty, z.coerce.number().min(0).max(1).optional()),
  OTEL_BSP_SCHEDULE_DELAY: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).max(600_000).optional()),
};

/** Fields every process reads. */
export const baseEnvironment = {
  NODE_ENV: NodeEnv.default('development'),
  LOG_LEVEL: LogLevel.default('log'),
  CONTEXT_SIGNING_SECRET: secret('CONTEXT_SIGNING_SECRET'),
  ...tracingEnvironment,
};

/**
 * Validates `env` against `shape` and returns the typed result. Every problem is collected before failing.
 * A secret (`secret()`) that is unset, or set to a value published in the repository, is refused in every NODE_ENV,
 * with a problem naming the variable.
 */
export function parseEnvironment<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<Shape>> {
  const secrets = Object.keys(shape).filter((name) => secretFields.has(shape[name] as z.ZodType));
  const missing = new Set(secrets.filter((name) => unsetIfEmpty(env[name]) === undefined));
  const problems: string[] = [];
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    for (const issue of result.error.issues) {
      // A missing secret gets its own problem below, saying how to make one.
      if (missing.has(String(issue.path[0]))) continue;
      problems.push(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
  }
  // Secrets are judged on what was given, so another variable's problem never makes a good secret look missing.
  for (const name of secrets) {
    if (missing.has(name)) problems.push(`${name}: required (no default in any NODE_ENV): ${MISSING_SECRET_HINT}`);
    else if (isPublishedSecret(env[name]!)) {
      problems.push(`${name}: this value is published in the repository, so anybody could sign with it; set a random one`);
    }
  }
  if (problems.length > 0 || !result.success) throw new EnvironmentError(problems);
  return result.data;
}
