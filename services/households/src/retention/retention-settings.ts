import { EnvironmentError, parseEnvironment } from '#libs/config';
import { retentionPeriod, sharedRetentionEnvironmentShape, sharedRetentionSettings, type SharedRetentionSettings } from '#libs/retention';

/** A month: a photo is cited within minutes of its upload, or within days by a phone that was offline. */
export const DEFAULT_ORPHANED_UPLOAD_RETENTION_DAYS = 30;

/** How long households keeps personal data, from the environment (see retention-sql.ts for what each means). */
export interface RetentionSettings extends SharedRetentionSettings {
  idempotencyDays: number;
  /** Days an uploaded photo no record cites is kept before its row and file are deleted. */
  orphanedUploadDays: number;
}

export const retentionEnvironmentShape = {
  ...sharedRetentionEnvironmentShape,
  ORPHANED_UPLOAD_RETENTION_DAYS: retentionPeriod(DEFAULT_ORPHANED_UPLOAD_RETENTION_DAYS, 1, 3650),
};

/** The retention settings from `env`, or one EnvironmentError listing every bad variable. */
export function parseRetentionSettings(env: Record<string, string | undefined>): RetentionSettings {
  const parsed = parseEnvironment(retentionEnvironmentShape, env);
  // A retried upload with its idempotency key answers the id it stored the first time: that photo must still exist.
  if (parsed.ORPHANED_UPLOAD_RETENTION_DAYS < parsed.IDEMPOTENCY_RETENTION_DAYS) {
    throw new EnvironmentError([
      `ORPHANED_UPLOAD_RETENTION_DAYS: must be at least IDEMPOTENCY_RETENTION_DAYS, so a retried upload never answers the id of a deleted photo`,
    ]);
  }
  return {
    ...sharedRetentionSettings(parsed),
    idempotencyDays: parsed.IDEMPOTENCY_RETENTION_DAYS,
    orphanedUploadDays: parsed.ORPHANED_UPLOAD_RETENTION_DAYS,
  };
}

/** The injection token of the settings: libs/retention's, one for every service. */
export { RETENTION_SETTINGS } from '#libs/retention';
