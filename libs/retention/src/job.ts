import { PermanentJobError } from '#libs/messaging';

/** What every service's `retention.daily` job carries. */
export interface RetentionJobData {
  /** When the schedule fired (ISO); the scheduler leaves it out and the job uses the time it runs. */
  firedAt?: string;
}

/** The time a retention run draws its lines from: the job's `firedAt`, else now. */
export function retentionFiredAt(data: RetentionJobData): Date {
  const firedAt = data.firedAt ? new Date(data.firedAt) : new Date();
  if (Number.isNaN(firedAt.getTime())) throw new PermanentJobError(`firedAt ${JSON.stringify(data.firedAt)} is not a time`);
  return firedAt;
}
