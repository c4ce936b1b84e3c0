import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { shanghaiDate } from '#libs/calendar';
import { JobHandler, JobName, firedAtOf, type JobProcessor } from '#libs/messaging';
import { closeDutyDay, dayJustEnded } from '../duty-check-sql.js';

export interface DutyCheckJobData {
  /** When the schedule fired (ISO); the scheduler leaves it out and the job uses the time it runs. */
  firedAt?: string;
}

/**
 * Every day at 00:30 Asia/Shanghai (see JOB_SCHEDULES): closes the day that just ended (every daily patrol) and, on
 * the 1st, the month that just ended (door-to-door explanation, sector supervision, the district secretary's on-site
 * supervision) and, on the 1st of a quarter, the quarter (leaders' liaison visits); escalates every miss to the next
 * level up. A redelivered or repeated job writes nothing twice.
 */
@Injectable()
@JobHandler(JobName.DutyCheckDaily)
export class DutyCheckJob implements JobProcessor<DutyCheckJobData> {
  private readonly logger = new Logger(DutyCheckJob.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async handle(data: DutyCheckJobData, job: Job<DutyCheckJobData>): Promise<void> {
    const firedAt = firedAtOf(data);
    const result = await closeDutyDay(this.dataSource, dayJustEnded(shanghaiDate(firedAt)), firedAt);
    this.logger.log(
      `Job ${job.id}: closed ${result.day}${result.month ? ` and ${result.month}` : ''}${result.quarter ? ` and the quarter from ${result.quarter}` : ''}: ${result.periods} duty periods, ${result.escalations} escalations`,
    );
  }
}
