import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { systemCaller } from '#libs/auth';
import { previousMonth, shanghaiMonth } from '#libs/calendar';
import { queryRows } from '#libs/database';
import { JobHandler, JobName, firedAtOf, type JobProcessor } from '#libs/messaging';
import { EvaluationTrigger } from '../evaluation-enums.js';
import { EvaluationService } from '../evaluation.service.js';

export interface MonthlyEvaluationJobData {
  /** When the schedule fired (ISO); the scheduler leaves it out and the job uses the time it runs. */
  firedAt?: string;
}

/**
 * The 1st of each month at 02:00 Asia/Shanghai (see JOB_SCHEDULES): evaluates the month that just ended, one run per
 * district. A redelivered job starts no second run (a scheduled run exists once per month and district).
 */
@Injectable()
@JobHandler(JobName.MonthlyEvaluation)
export class MonthlyEvaluationJob implements JobProcessor<MonthlyEvaluationJobData> {
  private readonly logger = new Logger(MonthlyEvaluationJob.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly evaluation: EvaluationService,
  ) {}

  async handle(data: MonthlyEvaluationJobData, job: Job<MonthlyEvaluationJobData>): Promise<void> {
    const firedAt = firedAtOf(data);
    const month = previousMonth(shanghaiMonth(firedAt));
    const districts = await queryRows<{ id: string }>(this.dataSource, `SELECT id FROM territory_unit WHERE kind = 'DISTRICT'`);
    for (const { id } of districts) {
      const run = await this.evaluation.requestRun(
        systemCaller('monthly-evaluation', String(job.id)),
        month,
        id,
        EvaluationTrigger.SCHEDULE,
        firedAt,
      );
      this.logger.log(`Job ${job.id}: evaluating ${month} for district ${id} in run ${run.id}`);
    }
  }
}
