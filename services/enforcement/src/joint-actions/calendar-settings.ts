import { z } from 'zod';
import { EnvironmentError, NodeEnv, httpsInProductionProblems, parseEnvironment, unsetIfEmpty } from '#libs/config';

/** Where calendar apps reach the gateway from, to hand out whole feed addresses; checked at boot. */
export interface CalendarSettings {
  /** The gateway's public origin, without a trailing slash (https://waste.example.gov.cn). */
  publicGatewayUrl: string;
}

export const calendarEnvironmentShape = {
  NODE_ENV: NodeEnv.default('development'),
  PUBLIC_GATEWAY_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .url()
      .refine((url) => /^https?:\/\/[^/?#]+\/?$/.test(url), 'must be an http(s) origin, without a path, query or fragment')
      .optional(),
  ),
};

/** The gateway `npm start` runs, for development and tests. */
export const DEFAULT_PUBLIC_GATEWAY_URL = 'http://localhost:4000';

export function parseCalendarSettings(env: Record<string, string | undefined>, nodeEnv = env.NODE_ENV): CalendarSettings {
  const parsed = parseEnvironment(calendarEnvironmentShape, { ...env, NODE_ENV: nodeEnv });
  // A feed address is a secret: in production it is handed out for https only, and never for a guessed host.
  const problems = httpsInProductionProblems('PUBLIC_GATEWAY_URL', parsed.PUBLIC_GATEWAY_URL, parsed.NODE_ENV);
  if (problems.length > 0) throw new EnvironmentError(problems);
  return { publicGatewayUrl: (parsed.PUBLIC_GATEWAY_URL ?? DEFAULT_PUBLIC_GATEWAY_URL).replace(/\/$/, '') };
}

export const CALENDAR_SETTINGS = Symbol('CALENDAR_SETTINGS');
