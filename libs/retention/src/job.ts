import type { ScheduledJobData } from '#libs/messaging';

/** What every service's `retention.daily` job carries: the time its schedule fired (libs/messaging's scheduled jobs). */
export type RetentionJobData = ScheduledJobData;
