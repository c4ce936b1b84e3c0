import { PermanentJobError } from './job-handler.js';

/** What a scheduled job (JOB_SCHEDULES) carries: the time its schedule fired. */
export interface ScheduledJobData {
  /** When the schedule fired (ISO); the scheduler leaves it out and the job uses the time it runs. */
  firedAt?: string;
}

/**
 * The clock a scheduled job draws its lines from: its `firedAt`, else now. A `firedAt` that is not a time fails the
 * job for good (a retry would read the same value).
 */
export function firedAtOf(data: ScheduledJobData): Date {
  const firedAt = data.firedAt ? new Date(data.firedAt) : new Date();
  if (Number.isNaN(firedAt.getTime())) throw new PermanentJobError(`firedAt ${JSON.stringify(data.firedAt)} is not a time`);
  return firedAt;
}
