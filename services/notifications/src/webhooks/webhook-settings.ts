import { isIP } from 'node:net';
import { z } from 'zod';
import { EnvironmentError, NodeEnv, integer, parseEnvironment, retrySchedule, secret, unsetIfEmpty } from '#libs/config';

/**
 * Retries after a failed attempt, in seconds: about three days in all (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h,
 * 20 h, 20 h), each jittered by ±20% so endpoints that failed together are not retried together.
 */
export const DEFAULT_RETRY_SCHEDULE_SECONDS = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 72000];
export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_LEASE_SECONDS = 60;
/** Active endpoints one institution may have: each notice is POSTed to every one, so more would multiply the traffic. */
export const DEFAULT_MAX_ENDPOINTS_PER_INSTITUTION = 5;

/** What webhook delivery needs to know, from the environment. */
export interface WebhookSettings {
  production: boolean;
  /** Hostnames and IP addresses (canonical form) that may be delivered to although internal, for local testing. */
  allowedHosts: ReadonlySet<string>;
  /** Active endpoints one institution may have at once. */
  maxEndpointsPerInstitution: number;
  /** Requests in flight at once, per process. */
  concurrency: number;
  /** Seconds to wait after the 1st, 2nd, … failed attempt; after the last, delivery gives up. */
  retrySchedule: readonly number[];
  timeoutMs: number;
  /** How long a claimed delivery is ours; a process that dies leaves it to another after this. */
  leaseSeconds: number;
  /** Key material that webhook signing secrets are encrypted with at rest. */
  secretKey: string;
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

const hostList = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .default('')
    .transform((value, context) => {
      const hosts = value
        .split(',')
        .map((host) =>
          host
            .trim()
            .toLowerCase()
            .replace(/^\[(.*)\]$/, '$1'),
        )
        .filter(Boolean);
      for (const host of hosts) {
        if (!isIP(host) && !HOSTNAME.test(host))
          context.addIssue({ code: 'custom', message: `"${host}" is neither a hostname nor an IP address` });
      }
      return hosts;
    }),
);

export const webhookEnvironmentShape = {
  NODE_ENV: NodeEnv.default('development'),
  WEBHOOK_SECRET_KEY: secret('WEBHOOK_SECRET_KEY'),
  WEBHOOK_ALLOWED_HOSTS: hostList,
  WEBHOOK_CONCURRENCY: integer(DEFAULT_CONCURRENCY, 1, 512),
  WEBHOOK_RETRY_SCHEDULE_SECONDS: retrySchedule(DEFAULT_RETRY_SCHEDULE_SECONDS),
  WEBHOOK_TIMEOUT_MS: integer(DEFAULT_TIMEOUT_MS, 100, 120_000),
  WEBHOOK_LEASE_SECONDS: integer(DEFAULT_LEASE_SECONDS, 5, 3600),
  WEBHOOK_MAX_ENDPOINTS_PER_INSTITUTION: integer(DEFAULT_MAX_ENDPOINTS_PER_INSTITUTION, 1, 100),
};

/**
 * The webhook settings from `env`, or one EnvironmentError listing every bad variable. `nodeEnv` is the one the
 * service runs under (the schema build runs as development whatever the shell says).
 */
export function parseWebhookSettings(env: Record<string, string | undefined>, nodeEnv = env.NODE_ENV): WebhookSettings {
  // The allowlist opens the internal network to outsiders' URLs: for a developer's or a test's local receiver only.
  const allowlistInProduction = nodeEnv === 'production' && (unsetIfEmpty(env.WEBHOOK_ALLOWED_HOSTS) ?? '') !== '';
  const allowlistProblem =
    'WEBHOOK_ALLOWED_HOSTS: not allowed when NODE_ENV=production (it lets webhooks reach internal addresses; for local testing only)';
  let parsed: ReturnType<typeof parseEnvironment<typeof webhookEnvironmentShape>>;
  try {
    parsed = parseEnvironment(webhookEnvironmentShape, { ...env, NODE_ENV: nodeEnv });
  } catch (error) {
    if (allowlistInProduction && error instanceof EnvironmentError) throw new EnvironmentError([...error.problems, allowlistProblem]);
    throw error;
  }
  if (allowlistInProduction) throw new EnvironmentError([allowlistProblem]);
  // The dispatcher holds up to three rounds of requests claimed (webhook.dispatcher.ts): the last of them must still
  // be inside its lease if every request before it runs into the timeout.
  if (parsed.WEBHOOK_LEASE_SECONDS * 1000 < 3 * parsed.WEBHOOK_TIMEOUT_MS + 5000) {
    throw new EnvironmentError([
      `WEBHOOK_LEASE_SECONDS: must be at least three times WEBHOOK_TIMEOUT_MS plus 5 seconds, so a claimed delivery is sent inside its lease`,
    ]);
  }
  return {
    production: parsed.NODE_ENV === 'production',
    allowedHosts: new Set(parsed.WEBHOOK_ALLOWED_HOSTS),
    maxEndpointsPerInstitution: parsed.WEBHOOK_MAX_ENDPOINTS_PER_INSTITUTION,
    concurrency: parsed.WEBHOOK_CONCURRENCY,
    retrySchedule: parsed.WEBHOOK_RETRY_SCHEDULE_SECONDS,
    timeoutMs: parsed.WEBHOOK_TIMEOUT_MS,
    leaseSeconds: parsed.WEBHOOK_LEASE_SECONDS,
    secretKey: parsed.WEBHOOK_SECRET_KEY,
  };
}

export const WEBHOOK_SETTINGS = Symbol('WEBHOOK_SETTINGS');
