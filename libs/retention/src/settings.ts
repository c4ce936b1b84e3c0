import { integer, parseEnvironment } from '#libs/config';

/** Three years: China's PIPL (art. 56) keeps records of personal-information processing at least that long. */
export const DEFAULT_PERSONAL_DATA_ACCESS_RETENTION_DAYS = 1_095;
/**
 * A week: a phone that lost its connection retries within that (a retry after it records again). Also the floor of
 * every period that deletes what an idempotent answer names (orphaned uploads), so a replay never answers a deleted id.
 */
export const DEFAULT_IDEMPOTENCY_RETENTION_DAYS = 7;

/** A whole number of days (or months) from the environment, `fallback` when unset or empty. */
export const retentionPeriod = integer;

/** The stores every service has (libs/privacy's audit; libs/idempotency's records where the service has them). */
export const sharedRetentionEnvironmentShape = {
  PERSONAL_DATA_ACCESS_RETENTION_DAYS: retentionPeriod(DEFAULT_PERSONAL_DATA_ACCESS_RETENTION_DAYS, 30, 3650),
  IDEMPOTENCY_RETENTION_DAYS: retentionPeriod(DEFAULT_IDEMPOTENCY_RETENTION_DAYS, 1, 365),
};

export interface SharedRetentionSettings {
  /** Days `personal_data_access` rows (who read which unmasked personal data) are kept. */
  personalDataAccessDays: number;
  /**
   * Days `idempotency_record` rows are kept: the replay window of a phone's retried mutation. Absent for a service
   * that keeps no idempotency records (notifications).
   */
  idempotencyDays?: number;
}

/** The shared settings out of an environment parsed with `sharedRetentionEnvironmentShape` (and a service's own). */
export function sharedRetentionSettings(parsed: {
  PERSONAL_DATA_ACCESS_RETENTION_DAYS: number;
  IDEMPOTENCY_RETENTION_DAYS: number;
}): SharedRetentionSettings {
  return { personalDataAccessDays: parsed.PERSONAL_DATA_ACCESS_RETENTION_DAYS, idempotencyDays: parsed.IDEMPOTENCY_RETENTION_DAYS };
}

/** The shared settings alone from `env` (a service with no store of its own to retain), or one EnvironmentError. */
export function parseSharedRetentionSettings(env: Record<string, string | undefined>): SharedRetentionSettings {
  return sharedRetentionSettings(parseEnvironment(sharedRetentionEnvironmentShape, env));
}

/** The injection token of a service's retention settings. */
export const RETENTION_SETTINGS = Symbol('RETENTION_SETTINGS');
