import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { JobHandler, JobName, PermanentJobError, type JobProcessor } from '#libs/messaging';
import { applyRetention } from '../retention-sql.js';
import { RETENTION_SETTINGS, type RetentionSettings } from '../retention-settings.js';

export interface RetentionJobData {
  /** When the schedule fired (ISO); the scheduler leaves it out and the job uses the time it runs. */
  firedAt?: string;
}

/**
 * Every day at 03:30 Asia/Shanghai (see JOB_SCHEDULES): deletes grade copies and webhook attempts past their retention
 * period and redacts old notices (retention-sql.ts). A redelivered or repeated job finds nothing more to do.
 */
@Injectable()
@JobHandler(JobName.RetentionDaily)
export class RetentionJob implements JobProcessor<RetentionJobData> {
  private readonly logger = new Logger(RetentionJob.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RETENTION_SETTINGS) private readonly settings: RetentionSettings,
  ) {}

  async handle(data: RetentionJobData, job: Job<RetentionJobData>): Promise<void> {
    const firedAt = data.firedAt ? new Date(data.firedAt) : new Date();
    if (Number.isNaN(firedAt.getTime())) throw new PermanentJobError(`firedAt ${JSON.stringify(data.firedAt)} is not a time`);
    const result = await applyRetention(this.dataSource, firedAt, this.settings);
    // Counts and cutoffs only: nothing here names anyone.
    this.logger.log(
      `Job ${job.id}: grade copies before ${result.gradeCopiesBefore}: ${result.gradedHouseholdsDeleted} households, ${result.gradedResidentsDeleted} residents, ${result.heldNoticesDeleted} held notices deleted; ` +
        `notices before ${result.noticesBefore}: ${result.noticesRedacted} redacted; ` +
        `webhook attempts before ${result.attemptsBefore.toISOString()}: ${result.webhookAttemptsDeleted} deleted`,
    );
  }
}
