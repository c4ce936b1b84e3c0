import { EnvironmentError, parseEnvironment } from '#libs/config';
import { retentionPeriod, sharedRetentionEnvironmentShape, type SharedRetentionSettings } from '#libs/retention';

export const DEFAULT_GRADE_COPY_RETENTION_MONTHS = 6;
export const DEFAULT_NOTICE_RETENTION_MONTHS = 24;
export const DEFAULT_WEBHOOK_ATTEMPT_RETENTION_DAYS = 90;

/**
 * How long notifications keeps personal data, from the environment (see retention-sql.ts for what each means; the
 * audit rows' period is libs/retention's, shared by every service; notifications keeps no idempotency records).
 */
export interface RetentionSettings extends SharedRetentionSettings {
  /** Months of grade copies kept before the current one; older months' graded_household/graded_resident rows go. */
  gradeCopyMonths: number;
  /** Months of notices kept whole before the current one; older notices keep their row with the name masked. */
  noticeMonths: number;
  /** Days webhook attempts are kept; the deliveries themselves stay. */
  webhookAttemptDays: number;
}

export const retentionEnvironmentShape = {
  PERSONAL_DATA_ACCESS_RETENTION_DAYS: sharedRetentionEnvironmentShape.PERSONAL_DATA_ACCESS_RETENTION_DAYS,
  GRADE_COPY_RETENTION_MONTHS: retentionPeriod(DEFAULT_GRADE_COPY_RETENTION_MONTHS, 1, 120),
  NOTICE_RETENTION_MONTHS: retentionPeriod(DEFAULT_NOTICE_RETENTION_MONTHS, 1, 120),
  WEBHOOK_ATTEMPT_RETENTION_DAYS: retentionPeriod(DEFAULT_WEBHOOK_ATTEMPT_RETENTION_DAYS, 1, 3650),
};

/** The retention settings from `env`, or one EnvironmentError listing every bad variable. */
export function parseRetentionSettings(env: Record<string, string | undefined>): RetentionSettings {
  const parsed = parseEnvironment(retentionEnvironmentShape, env);
  // A grade correction for a month whose copies are kept adds that month's notices (NoticeGenerator): were the
  // month's notices already redacted, the new ones would carry full names again into a month meant to have none.
  if (parsed.NOTICE_RETENTION_MONTHS < parsed.GRADE_COPY_RETENTION_MONTHS) {
    throw new EnvironmentError([
      `NOTICE_RETENTION_MONTHS: must be at least GRADE_COPY_RETENTION_MONTHS, so a grade correction never adds a named notice to a month already redacted`,
    ]);
  }
  return {
    personalDataAccessDays: parsed.PERSONAL_DATA_ACCESS_RETENTION_DAYS,
    gradeCopyMonths: parsed.GRADE_COPY_RETENTION_MONTHS,
    noticeMonths: parsed.NOTICE_RETENTION_MONTHS,
    webhookAttemptDays: parsed.WEBHOOK_ATTEMPT_RETENTION_DAYS,
  };
}

/** The injection token of the settings: libs/retention's, one for every service. */
export { RETENTION_SETTINGS } from '#libs/retention';
