import { parseEnvironment } from '#libs/config';
import { retentionPeriod, sharedRetentionEnvironmentShape, sharedRetentionSettings, type SharedRetentionSettings } from '#libs/retention';

/** A year: results of a school-year's contest are shown through the next one, no longer with the children's names. */
export const DEFAULT_CONTEST_ENTRANT_RETENTION_DAYS = 365;

/** How long organization keeps personal data, from the environment (see retention-sql.ts for what each means). */
export interface RetentionSettings extends SharedRetentionSettings {
  idempotencyDays: number;
  /** Days after a contest's deadline that its entrants' names (usually minors') are kept in clear. */
  contestEntrantDays: number;
}

export const retentionEnvironmentShape = {
  ...sharedRetentionEnvironmentShape,
  CONTEST_ENTRANT_RETENTION_DAYS: retentionPeriod(DEFAULT_CONTEST_ENTRANT_RETENTION_DAYS, 1, 3650),
};

/** The retention settings from `env`, or one EnvironmentError listing every bad variable. */
export function parseRetentionSettings(env: Record<string, string | undefined>): RetentionSettings {
  const parsed = parseEnvironment(retentionEnvironmentShape, env);
  return {
    ...sharedRetentionSettings(parsed),
    idempotencyDays: parsed.IDEMPOTENCY_RETENTION_DAYS,
    contestEntrantDays: parsed.CONTEST_ENTRANT_RETENTION_DAYS,
  };
}

/** The injection token of the settings: libs/retention's, one for every service. */
export { RETENTION_SETTINGS } from '#libs/retention';
