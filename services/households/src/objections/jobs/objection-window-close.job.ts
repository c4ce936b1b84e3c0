import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler, JobName, firedAtOf, type JobProcessor } from '#libs/messaging';
import { ObjectionService } from '../objection.service.js';

export interface ObjectionWindowCloseJobData {
  /** When the schedule fired (ISO); the scheduler leaves it out and the job uses the time it runs. */
  firedAt?: string;
}

/**
 * Every 15 minutes (see JOB_SCHEDULES): closes the objection window of every announced month whose window has passed
 * by `firedAt`, announcing each close once (`objection-window.closed`). A repeated or redelivered job closes nothing twice.
 */
@Injectable()
@JobHandler(JobName.ObjectionWindowClose)
export class ObjectionWindowCloseJob implements JobProcessor<ObjectionWindowCloseJobData> {
  private readonly logger = new Logger(ObjectionWindowCloseJob.name);

  constructor(private readonly objections: ObjectionService) {}

  async handle(data: ObjectionWindowCloseJobData, job: Job<ObjectionWindowCloseJobData>): Promise<void> {
    const firedAt = firedAtOf(data);
    const closed = await this.objections.closeDueWindows(firedAt);
    if (closed > 0) this.logger.log(`Job ${job.id}: closed ${closed} objection windows due by ${firedAt.toISOString()}`);
  }
}
