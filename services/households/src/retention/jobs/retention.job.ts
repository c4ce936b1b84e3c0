import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { JobHandler, JobName, QueueRegistry, ServiceName, queuesOwnedBy, type JobProcessor } from '#libs/messaging';
import { applySharedRetention, describeSharedRetention, retentionFiredAt, trimFinishedJobs, type RetentionJobData } from '#libs/retention';
import { PhotoStorage } from '../../uploads/photo-storage.js';
import { deleteOrphanedUploads } from '../retention-sql.js';
import { RETENTION_SETTINGS, type RetentionSettings } from '../retention-settings.js';

/**
 * Every day at 03:30 Asia/Shanghai (see JOB_SCHEDULES): deletes photos no record cites once past the period, row and
 * file (retention-sql.ts), old audit rows of unmasked reads and idempotency records, and trims finished jobs in
 * households' queues (libs/retention). A redelivered or repeated job finds nothing more to do.
 */
@Injectable()
@JobHandler(JobName.RetentionDaily)
export class RetentionJob implements JobProcessor<RetentionJobData> {
  private readonly logger = new Logger(RetentionJob.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RETENTION_SETTINGS) private readonly settings: RetentionSettings,
    private readonly storage: PhotoStorage,
    private readonly queues: QueueRegistry,
  ) {}

  async handle(data: RetentionJobData, job: Job<RetentionJobData>): Promise<void> {
    const firedAt = retentionFiredAt(data);
    const uploads = await deleteOrphanedUploads(this.dataSource, this.storage, firedAt, this.settings);
    const shared = await applySharedRetention(this.dataSource, firedAt, this.settings);
    const jobs = await trimFinishedJobs(queuesOwnedBy(ServiceName.Households).map((queue) => this.queues.get(queue)));
    // Counts and cutoffs only: nothing here names anyone.
    this.logger.log(
      `Job ${job.id}: uploads no record cites created before ${uploads.uploadsBefore.toISOString()}: ${uploads.uploadsDeleted} deleted; ` +
        `${describeSharedRetention(shared)}; finished jobs trimmed: ${jobs.completed} completed, ${jobs.failed} failed`,
    );
  }
}
