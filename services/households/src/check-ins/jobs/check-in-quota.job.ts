import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler, JobName, firedAtOf, type JobProcessor } from '#libs/messaging';
import { CheckInQuotaService } from '../check-in-quota.service.js';
import { weekJustEnded } from '../check-in-rules.js';

export interface CheckInQuotaJobData {
  /** When the schedule fired (ISO); the scheduler leaves it out and the job uses the time it runs. */
  firedAt?: string;
}

/**
 * Mondays at 01:00 Asia/Shanghai (see JOB_SCHEDULES): flags every party member under the photo check-in quota in the
 * week that just ended, and tells organization every member's check-ins of that week and the four before it
 * (`party-member-check-ins.summarised`). A redelivered or repeated job flags nobody twice (one flag per member and
 * week); the summaries it sends again replace the same counts.
 */
@Injectable()
@JobHandler(JobName.CheckInQuotaWeekly)
export class CheckInQuotaJob implements JobProcessor<CheckInQuotaJobData> {
  private readonly logger = new Logger(CheckInQuotaJob.name);

  constructor(private readonly quota: CheckInQuotaService) {}

  async handle(data: CheckInQuotaJobData, job: Job<CheckInQuotaJobData>): Promise<void> {
    const firedAt = firedAtOf(data);
    const week = weekJustEnded(firedAt);
    const flagged = await this.quota.flagWeek(week, `job:${job.id}`);
    const events = await this.quota.summarise(week);
    this.logger.log(
      `Job ${job.id}: flagged ${flagged} party members under the photo check-in quota in the week of ${week}; ${events} summary events`,
    );
  }
}
