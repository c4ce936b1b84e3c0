import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { addDays, shanghaiDate } from '#libs/calendar';
import { queryRows, type SqlExecutor } from '#libs/database';
import { JobHandler, JobName, type JobProcessor, firedAtOf } from '#libs/messaging';
import { closePreviousQuarter, quarterOf } from '../quarter-coverage.js';

export interface QuarterlyActionDraftJobData {
  /** When the schedule fired (ISO); the scheduler leaves it out and the job uses the time it runs. */
  firedAt?: string;
}

/** How long before a quarter starts its campaigns are drafted. */
export const DRAFT_LEAD_DAYS = 14;

export interface Quarter {
  year: number;
  number: number;
  startsOn: string;
  endsOn: string;
}

/** The quarter after the one `date` (YYYY-MM-DD) lies in. */
export function nextQuarter(date: string): Quarter {
  const next = quarterOf(addDays(quarterOf(date).endsOn, 1));
  return { year: Number(next.key.slice(0, 4)), number: Number(next.key.slice(6)), startsOn: next.startsOn, endsOn: next.endsOn };
}

/**
 * Every day at 03:00 Asia/Shanghai (see JOB_SCHEDULES). From two weeks before a quarter starts, drafts that quarter's
 * QUARTERLY_JOINT_ACTION campaign for every street that has none: one campaign per street and quarter under the
 * unique `draft_key`, so repeated, redelivered or concurrent runs add nothing, and a day the job missed is made up
 * the next day. Participating bureaus are those whose remit covers the street; the lead is chosen when scheduling.
 * It also closes the quarter that has ended against the quarterly rule (see quarter-coverage.ts), once per street.
 */
@Injectable()
@JobHandler(JobName.QuarterlyActionDraft)
export class QuarterlyActionDraftJob implements JobProcessor<QuarterlyActionDraftJobData> {
  private readonly logger = new Logger(QuarterlyActionDraftJob.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async handle(data: QuarterlyActionDraftJobData, job: Job<QuarterlyActionDraftJobData>): Promise<void> {
    const firedAt = firedAtOf(data);
    const today = shanghaiDate(firedAt);
    const drafted = await draftQuarter(this.dataSource, today, `job:${job.id}`);
    if (drafted)
      this.logger.log(
        `Job ${job.id}: drafted ${drafted.count} joint-action campaigns for ${drafted.quarter.year} Q${drafted.quarter.number}`,
      );
    const closed = await closePreviousQuarter(this.dataSource, today);
    if (closed.closed > 0)
      this.logger.log(`Job ${job.id}: closed ${closed.quarter} for ${closed.closed} streets, ${closed.missed} escalated`);
  }
}

/** Drafts next quarter's campaigns when `today` is within the lead time; null when it is too early. */
export async function draftQuarter(db: SqlExecutor, today: string, createdBy: string): Promise<{ quarter: Quarter; count: number } | null> {
  const quarter = nextQuarter(today);
  if (today < addDays(quarter.startsOn, -DRAFT_LEAD_DAYS)) return null;
  const rows = await queryRows<{ id: string }>(
    db,
    `INSERT INTO campaign (kind, name, state, starts_on, ends_on, target_unit_ids, bureau_ids, lead_bureau_id, created_by, draft_key)
     SELECT 'QUARTERLY_JOINT_ACTION', s.name || $3, 'DRAFT', $1::date, $2::date, ARRAY[s.id],
            ARRAY(SELECT DISTINCT r.bureau_id FROM bureau_remit r JOIN institution_copy i ON i.id = r.bureau_id AND i.kind = 'DEPARTMENT'
                   WHERE r.org_unit_id = ANY(s.path) ORDER BY r.bureau_id),
            NULL, $4, 'QUARTERLY_JOINT_ACTION:' || s.id || ':' || $5
       FROM territory_unit s
      WHERE s.kind = 'STREET'
        AND NOT EXISTS (SELECT 1 FROM campaign c WHERE c.kind = 'QUARTERLY_JOINT_ACTION' AND c.starts_on = $1::date AND c.target_unit_ids = ARRAY[s.id])
     ON CONFLICT (draft_key) DO NOTHING
     RETURNING id`,
    [
      quarter.startsOn,
      quarter.endsOn,
      `${quarter.year}年第${quarter.number}季度管执联动行动`,
      createdBy,
      `${quarter.year}-Q${quarter.number}`,
    ],
  );
  return { quarter, count: rows.length };
}
