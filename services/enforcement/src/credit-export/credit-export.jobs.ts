import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { shanghaiDate } from '#libs/calendar';
import { JobHandler, JobName, firedAtOf, type JobProcessor, type ScheduledJobData } from '#libs/messaging';
import { createDueRecords } from './credit-export-sql.js';
import { CreditExportDispatcher } from './credit-export.dispatcher.js';

/** When the schedule fired: the job's clock (libs/messaging's scheduled-job data). */
export type CreditExportJobData = ScheduledJobData;

/**
 * Every day at 01:15 Asia/Shanghai (see JOB_SCHEDULES): penalties that became final by `firedAt` (appeal window over
 * with no appeal, or upheld on appeal) get their one RECORD in the outbox. Nothing before the window has ended.
 */
@Injectable()
@JobHandler(JobName.CreditExportScan)
export class CreditExportScanJob implements JobProcessor<CreditExportJobData> {
  private readonly logger = new Logger(CreditExportScanJob.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async handle(data: CreditExportJobData, job: Job<CreditExportJobData>): Promise<void> {
    const firedAt = firedAtOf(data);
    const created = await this.dataSource.transaction((manager) => createDueRecords(manager, firedAt, shanghaiDate(firedAt)));
    this.logger.log(`Job ${job.id}: ${created} credit/points records queued for export`);
  }
}

/** Every five minutes (see JOB_SCHEDULES): delivers the exports due at `firedAt` (see CreditExportDispatcher). */
@Injectable()
@JobHandler(JobName.CreditExportDispatch)
export class CreditExportDispatchJob implements JobProcessor<CreditExportJobData> {
  private readonly logger = new Logger(CreditExportDispatchJob.name);

  constructor(private readonly dispatcher: CreditExportDispatcher) {}

  async handle(data: CreditExportJobData, job: Job<CreditExportJobData>): Promise<void> {
    const summary = await this.dispatcher.dispatch(firedAtOf(data));
    if (summary.delivered + summary.retrying + summary.failed > 0) this.logger.log(`Job ${job.id}: ${JSON.stringify(summary)}`);
  }
}
