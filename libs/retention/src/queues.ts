import type { Queue } from 'bullmq';
import { FINISHED_JOB_RETENTION } from '#libs/messaging';

export interface TrimmedJobs {
  completed: number;
  failed: number;
}

/**
 * Removes completed and failed jobs (and with them their payloads) older than FINISHED_JOB_RETENTION from `queues`.
 * BullMQ applies the same bounds whenever a job of the queue finishes; this catches queues where nothing has finished
 * since, so the bound holds however quiet a queue is.
 */
export async function trimFinishedJobs(queues: readonly Queue[]): Promise<TrimmedJobs> {
  let completed = 0;
  let failed = 0;
  for (const queue of queues) {
    // A limit of 0 removes every job past the grace period.
    completed += (await queue.clean(FINISHED_JOB_RETENTION.completed.ageSeconds * 1000, 0, 'completed')).length;
    failed += (await queue.clean(FINISHED_JOB_RETENTION.failed.ageSeconds * 1000, 0, 'failed')).length;
  }
  return { completed, failed };
}
