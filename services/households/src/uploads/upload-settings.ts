import { EnvironmentError, integer } from '#libs/config';

/** Photos one caller may upload in a (Shanghai) day when `UPLOAD_DAILY_QUOTA` is unset. */
export const DEFAULT_UPLOAD_DAILY_QUOTA = 200;

export interface UploadSettings {
  /** Photos one caller (one user id) may store per day; the next one is refused with 429. */
  dailyQuota: number;
}

/** The Nest injection token of the upload settings. */
export const UPLOAD_SETTINGS = Symbol('UPLOAD_SETTINGS');

const dailyQuota = integer(DEFAULT_UPLOAD_DAILY_QUOTA, 1, 100_000);

/**
 * `UPLOAD_DAILY_QUOTA`: an inspector photographs a few dozen households a day, so the default leaves room for a busy
 * day while a leaked token or a looping app cannot fill the disk. A bad value stops the service at boot.
 */
export function parseUploadSettings(env: Record<string, string | undefined> = process.env): UploadSettings {
  const result = dailyQuota.safeParse(env.UPLOAD_DAILY_QUOTA);
  if (!result.success) throw new EnvironmentError(result.error.issues.map((issue) => `UPLOAD_DAILY_QUOTA: ${issue.message}`));
  return { dailyQuota: result.data };
}
