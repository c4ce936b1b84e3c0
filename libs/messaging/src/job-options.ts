import type { JobsOptions } from 'bullmq';

/**
 * How long finished jobs stay in Redis. A job's data is its payload (event payloads carry residents' data until they
 * are ids only), so finished jobs are kept only as long as someone may look at them: completed jobs a day (enough to
 * see what ran overnight), failed jobs a week (to inspect and retry by hand), each at most 1,000 per queue. BullMQ
 * applies both bounds whenever a job finishes; each service's daily retention job also removes what aged past them
 * in a queue where nothing has finished since (libs/retention `trimFinishedJobs`).
 */
export const FINISHED_JOB_RETENTION = {
  completed: { ageSeconds: 24 * 3600, count: 1_000 },
  failed: { ageSeconds: 7 * 24 * 3600, count: 1_000 },
} as const;

/**
 * Defaults for every job: retried with exponential backoff (2 s, 4 s, … about 4 minutes in all), finished jobs kept
 * as FINISHED_JOB_RETENTION says. Validation failures are not retried at all (see WorkerHost).
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: FINISHED_JOB_RETENTION.completed.ageSeconds, count: FINISHED_JOB_RETENTION.completed.count },
  removeOnFail: { age: FINISHED_JOB_RETENTION.failed.ageSeconds, count: FINISHED_JOB_RETENTION.failed.count },
};
