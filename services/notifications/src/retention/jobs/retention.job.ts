import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { JobHandler, JobName, QueueRegistry, ServiceName, queuesOwnedBy, type JobProcessor } from '#libs/messaging';
import { applySharedRetention, describeSharedRetention, retentionFiredAt, trimFinishedJobs, type RetentionJobData } from '#libs/retention';
import { applyRetention } from '../retention-sql.js';
import { RETENTION_SETTINGS, type RetentionSettings } from '../retention-settings.js';

export type { RetentionJobData } from '#libs/retention';

/**
 * Every day at 03:30 Asia/Shanghai (see JOB_SCHEDULES): deletes grade copies and webhook attempts past their retention
 * period and redacts old notices (retention-sql.ts), deletes old audit rows of unmasked reads and trims finished jobs
 * in notifications' queues (libs/retention). A redelivered or repeated job finds nothing more to do.
 */
@Injectable()
@JobHandler(JobName.RetentionDaily)
export class RetentionJob implements JobProcessor<RetentionJobData> {
  private readonly logger = new Logger(RetentionJob.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RETENTION_SETTINGS) private readonly settings: RetentionSettings,
    private readonly queues: QueueRegistry,
  ) {}

  async handle(data: RetentionJobData, job: Job<RetentionJobData>): Promise<void> {
    const firedAt = retentionFiredAt(data);
    const result = await applyRetention(this.dataSource, firedAt, this.settings);
    const shared = await applySharedRetention(this.dataSource, firedAt, this.settings);
    const jobs = await trimFinishedJobs(queuesOwnedBy(ServiceName.Notifications).map((queue) => this.queues.get(queue)));
    // Counts and cutoffs only: nothing here names anyone.
    this.logger.log(
      `Job ${job.id}: grade copies before ${result.gradeCopiesBefore}: ${result.gradedHouseholdsDeleted} households, ${result.gradedResidentsDeleted} residents, ${result.heldNoticesDeleted} held notices deleted; ` +
        `notices before ${result.noticesBefore}: ${result.noticesRedacted} redacted; ` +
        `webhook attempts before ${result.attemptsBefore.toISOString()}: ${result.webhookAttemptsDeleted} deleted; ` +
        `contacts of ${result.enrolmentContactsErased} expired enrolments erased; ${result.apiKeyAuditEventsDeleted} API-key audit rows deleted; ` +
        `${describeSharedRetention(shared)}; finished jobs trimmed: ${jobs.completed} completed, ${jobs.failed} failed`,
    );
  }
}
