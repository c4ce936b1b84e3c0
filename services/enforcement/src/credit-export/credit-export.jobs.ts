import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { shanghaiDate } from '#libs/calendar';
import { JobHandler, JobName, PermanentJobError, type JobProcessor } from '#libs/messaging';
import { createDueRecords } from './credit-export-sql.js';
import { CreditExportDispatcher } from './credit-export.dispatcher.js';

export interface CreditExportJobData {
  /** When the schedule fired (ISO): the job's clock. The scheduler leaves it out and the job uses the time it runs. */
  firedAt?: string;
}

function clockOf(data: CreditExportJobData): Date {
  const firedAt = data.firedAt ? new Date(data.firedAt) : new Date();
  if (Number.isNaN(firedAt.getTime())) throw new PermanentJobError(`firedAt ${JSON.stringify(data.firedAt)} is not a time`);
  return firedAt;
}

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
    const firedAt = clockOf(data);
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
    const summary = await this.dispatcher.dispatch(clockOf(data));
    if (summary.delivered + summary.retrying + summary.failed > 0) this.logger.log(`Job ${job.id}: ${JSON.stringify(summary)}`);
  }
}
