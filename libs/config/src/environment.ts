import { z } from 'zod';

/** Thrown once at boot with every bad variable listed, so an operator fixes them all in one go. */
export class EnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
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
 * Development-only secrets. They let `npm start` work on a fresh clone; in production they are refused,
 * so a deployment that forgot to set a secret fails at boot instead of running with a public one.
 */
export const DEVELOPMENT_SECRETS = {
  JWT_SECRET: 'development-only-jwt-secret-change-me-0123456789',
  CONTEXT_SIGNING_SECRET: 'development-only-context-signing-secret-0123456789',
  /** Encrypts webhook signing secrets at rest (notifications). */
  WEBHOOK_SECRET_KEY: 'development-only-webhook-secret-key-0123456789',
} as const;

/**
 * Empty (or blank) strings count as unset: `PORT=` in a .env file, or `${CREDIT_EXPORT_URL:-}` in docker compose,
 * means "use the default", not port 0 or an empty URL. For `z.preprocess` in every service's settings.
 */
export const unsetIfEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

export const port = (fallback: number) => z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(65535).default(fallback));

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
    z.string().default(fallback).refine((value) => /^https?:\/\//.test(value) && URL.canParse(value), 'must be an http(s):// URL'),
  );

/** A secret of at least 32 characters; falls back to a development value outside production. */
export const secret = (name: keyof typeof DEVELOPMENT_SECRETS) =>
  z.preprocess(unsetIfEmpty, z.string().min(32, 'must be at least 32 characters').optional()).describe(name);

/** Fields every process reads. */
export const baseEnvironment = {
  NODE_ENV: NodeEnv.default('development'),
  LOG_LEVEL: LogLevel.default('log'),
  CONTEXT_SIGNING_SECRET: secret('CONTEXT_SIGNING_SECRET'),
};

type SecretName = keyof typeof DEVELOPMENT_SECRETS;

/**
 * Validates `env` against `shape` and returns the typed result. Every problem is collected before failing.
 * Secrets left unset get their development value unless NODE_ENV is production, where they are required.
 */
export function parseEnvironment<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: Record<string, string | undefined> = process.env,
): Resolved<z.infer<z.ZodObject<Shape>>> {
  const problems: string[] = [];
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  // Secrets are judged on what was given, so another variable's problem never makes a good secret look missing.
  const production = (env.NODE_ENV ?? 'development') === 'production';
  const secrets = (Object.keys(DEVELOPMENT_SECRETS) as SecretName[]).filter((name) => name in shape);
  for (const name of secrets) {
    const given = env[name];
    if (production && (given === undefined || given === '')) problems.push(`${name}: required when NODE_ENV=production`);
    if (production && given === DEVELOPMENT_SECRETS[name]) {
      problems.push(`${name}: the development value is not allowed when NODE_ENV=production`);
    }
  }
  if (problems.length > 0 || !result.success) throw new EnvironmentError(problems);
  const data = result.data as Record<string, unknown>;
  for (const name of secrets) data[name] ??= DEVELOPMENT_SECRETS[name];
  return data as Resolved<z.infer<z.ZodObject<Shape>>>;
}

/** After parsing, secrets are always present. */
type Resolved<T> = { [K in keyof T]-?: K extends SecretName ? string : T[K] };
