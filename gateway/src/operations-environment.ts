// Owns the settings of the operations routes (the queue dashboard and its staff sign-in).
import { z } from 'zod';
import { unsetIfEmpty } from '#libs/config';

const whole = (fallback: number, min: number, max: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().int().min(min).max(max).default(fallback));

export const operationsEnvironmentShape = {
  /** Prefix of the services' BullMQ keys, exactly as the services have it (their QUEUE_PREFIX): the dashboard reads those. */
  QUEUE_PREFIX: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^[a-zA-Z0-9_:-]+$/, 'letters, digits, _, : and - only')
      .default('waste'),
  ),
  /**
   * The client id the identity provider registered for the dashboard's browser sign-in (authorization code with
   * PKCE, redirect URI `<OPERATIONS_PUBLIC_URL>/operations/callback`). Unset: no browser sign-in; a bearer token still works.
   */
  OPERATIONS_CLIENT_ID: z.preprocess(unsetIfEmpty, z.string().optional()),
  /** The client's secret, for a provider that registers the dashboard as a confidential client; unset for a public one. */
  OPERATIONS_CLIENT_SECRET: z.preprocess(unsetIfEmpty, z.string().optional()),
  /**
   * The gateway's public origin as browsers reach it (`https://ops.example.gov.cn`): the sign-in's redirect URI and
   * the only Origin a state-changing dashboard call may come from. Unset: the origin of the request itself.
   */
  OPERATIONS_PUBLIC_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), 'must be an http(s) URL')
      .transform((value) => new URL(value).origin)
      .optional(),
  ),
  /** Seconds a dashboard sign-in lasts at most (never longer than the access token it holds). */
  OPERATIONS_SESSION_SECONDS: whole(1800, 60, 28_800),
};

/** What the field-by-field validation cannot see: a browser sign-in needs the provider, and production a public https URL. */
export function operationsEnvironmentProblems(env: Record<string, string | undefined>): string[] {
  const given = (name: string) => (typeof env[name] === 'string' && env[name].trim() !== '' ? env[name].trim() : undefined);
  if (!given('OPERATIONS_CLIENT_ID')) return [];
  const problems: string[] = [];
  if (!given('OIDC_ISSUER')) problems.push('OPERATIONS_CLIENT_ID: needs OIDC_ISSUER (the provider staff sign in with)');
  if ((env.NODE_ENV ?? 'development') === 'production' && !given('OPERATIONS_PUBLIC_URL')?.startsWith('https://')) {
    problems.push('OPERATIONS_PUBLIC_URL: required, and https://, when OPERATIONS_CLIENT_ID is set and NODE_ENV=production');
  }
  return problems;
}
