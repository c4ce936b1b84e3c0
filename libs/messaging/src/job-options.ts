import type { JobsOptions } from 'bullmq';

/**
 * Defaults for every job: retried with exponential backoff (2 s, 4 s, … about 4 minutes in all), completed jobs
 * trimmed after a week, failed jobs kept for 30 days so they can be inspected and retried by hand.
 * Validation failures are not retried at all (see WorkerHost).
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};
