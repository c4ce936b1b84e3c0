import { SetMetadata } from '@nestjs/common';
import type { Job } from 'bullmq';

export const JOB_HANDLER_METADATA = 'waste:job-handler';

/** Marks a provider as the handler of one job name (an event type or a scheduled job). */
export const JobHandler = (jobName: string) => SetMetadata(JOB_HANDLER_METADATA, jobName);

/**
 * A job's work. Delivery is at least once, so `handle` must be idempotent: running it twice for the same job
 * leaves the same result as running it once.
 */
export interface JobProcessor<Data = unknown> {
  handle(data: Data, job: Job<Data>): Promise<void>;
  /** Called once when the job has failed for good (attempts used up, or a permanent error). */
  failed?(data: Data, error: Error): Promise<void>;
}

/** Thrown for input that can never succeed: the job fails at once instead of being retried. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}
