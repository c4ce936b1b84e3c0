import { parseEnvironment } from '#libs/config';
import { retentionPeriod, sharedRetentionEnvironmentShape, sharedRetentionSettings, type SharedRetentionSettings } from '#libs/retention';

/** Three months: long enough for a reporter to reopen a resolved report and be called back, no longer. */
export const DEFAULT_REPORTER_CONTACT_RETENTION_DAYS = 90;

/** How long enforcement keeps personal data, from the environment (see retention-sql.ts for what each means). */
export interface RetentionSettings extends SharedRetentionSettings {
  /** Days after a report closes that its reporter's name, phone and own place description are kept. */
  reporterContactDays: number;
}

export const retentionEnvironmentShape = {
  ...sharedRetentionEnvironmentShape,
  REPORTER_CONTACT_RETENTION_DAYS: retentionPeriod(DEFAULT_REPORTER_CONTACT_RETENTION_DAYS, 1, 3650),
};

/** The retention settings from `env`, or one EnvironmentError listing every bad variable. */
export function parseRetentionSettings(env: Record<string, string | undefined>): RetentionSettings {
  const parsed = parseEnvironment(retentionEnvironmentShape, env);
  return { ...sharedRetentionSettings(parsed), reporterContactDays: parsed.REPORTER_CONTACT_RETENTION_DAYS };
}

/** The injection token of the settings: libs/retention's, one for every service. */
export { RETENTION_SETTINGS } from '#libs/retention';
