import { z } from 'zod';
import { EnvironmentError, NodeEnv, httpsInProductionProblems, integer, parseEnvironment, retrySchedule, unsetIfEmpty } from '#libs/config';

/** Seconds to wait after the 1st, 2nd, … failed attempt (about four days in all); after the last, the export is FAILED. */
export const DEFAULT_RETRY_SCHEDULE_SECONDS = [60, 300, 1800, 7200, 21600, 43200, 86400, 86400, 86400];
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Where credit/points exports go and how, from the environment (checked at boot: a bad variable stops the service). */
export interface CreditExportSettings {
  /** The receiving endpoint; null leaves exports queued (development without a receiver). */
  url: string | null;
  /** HMAC-SHA256 key the requests are signed with. */
  secret: string | null;
  retrySchedule: readonly number[];
  timeoutMs: number;
}

export const creditExportEnvironmentShape = {
  NODE_ENV: NodeEnv.default('development'),
  CREDIT_EXPORT_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
      .optional(),
  ),
  CREDIT_EXPORT_SECRET: z.preprocess(unsetIfEmpty, z.string().min(32, 'must be at least 32 characters').optional()),
  CREDIT_EXPORT_RETRY_SCHEDULE_SECONDS: retrySchedule(DEFAULT_RETRY_SCHEDULE_SECONDS),
  CREDIT_EXPORT_TIMEOUT_MS: integer(DEFAULT_TIMEOUT_MS, 100, 120_000),
};

export function parseCreditExportSettings(env: Record<string, string | undefined>, nodeEnv = env.NODE_ENV): CreditExportSettings {
  const parsed = parseEnvironment(creditExportEnvironmentShape, { ...env, NODE_ENV: nodeEnv });
  const problems: string[] = [];
  if (parsed.CREDIT_EXPORT_URL && !parsed.CREDIT_EXPORT_SECRET)
    problems.push('CREDIT_EXPORT_SECRET: required when CREDIT_EXPORT_URL is set');
  problems.push(...httpsInProductionProblems('CREDIT_EXPORT_URL', parsed.CREDIT_EXPORT_URL, parsed.NODE_ENV));
  if (problems.length > 0) throw new EnvironmentError(problems);
  return {
    url: parsed.CREDIT_EXPORT_URL ?? null,
    secret: parsed.CREDIT_EXPORT_SECRET ?? null,
    retrySchedule: parsed.CREDIT_EXPORT_RETRY_SCHEDULE_SECONDS,
    timeoutMs: parsed.CREDIT_EXPORT_TIMEOUT_MS,
  };
}

export const CREDIT_EXPORT_SETTINGS = Symbol('CREDIT_EXPORT_SETTINGS');
