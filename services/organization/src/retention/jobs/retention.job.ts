import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { JobHandler, JobName, QueueRegistry, ServiceName, queuesOwnedBy, type JobProcessor } from '#libs/messaging';
import { applySharedRetention, describeSharedRetention, retentionFiredAt, trimFinishedJobs, type RetentionJobData } from '#libs/retention';
import { RETENTION_SETTINGS, type RetentionSettings } from '../retention-settings.js';
import { maskContestEntrants } from '../retention-sql.js';

/**
 * Every day at 03:30 Asia/Shanghai (see JOB_SCHEDULES): deletes organization's audit rows of unmasked reads and
 * idempotency records past their periods, masks contest entrants' names CONTEST_ENTRANT_RETENTION_DAYS after the
 * contest's deadline (retention-sql.ts) and trims finished jobs in its queues (libs/retention). Party members,
 * volunteers and leaders are kept while their record is live: organization deletes them when they leave.
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
    const shared = await applySharedRetention(this.dataSource, firedAt, this.settings);
    const entrants = await maskContestEntrants(this.dataSource, firedAt, this.settings);
    const jobs = await trimFinishedJobs(queuesOwnedBy(ServiceName.Organization).map((queue) => this.queues.get(queue)));
    this.logger.log(`Job ${job.id}: ${describeSharedRetention(shared)}; contest entrants' names masked: ${entrants.entrantNamesMasked} ` +
      `(contests closed before ${entrants.contestsClosedBefore.toISOString()}); finished jobs trimmed: ${jobs.completed} completed, ${jobs.failed} failed`);
  }
}
