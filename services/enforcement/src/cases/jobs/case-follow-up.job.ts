import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { shanghaiDate } from '#libs/calendar';
import { queryRows, type SqlExecutor } from '#libs/database';
import { EventType, JobHandler, JobName, outboxInsertFrom, type JobProcessor, firedAtOf } from '#libs/messaging';

export interface CaseFollowUpJobData {
  /** When the schedule fired (ISO); the scheduler leaves it out and the job uses the time it runs. */
  firedAt?: string;
}

/**
 * Every day at 00:45 Asia/Shanghai (see JOB_SCHEDULES): every case whose rectification notice's comply-by date has
 * come (on or before the Shanghai date of `firedAt`) becomes FOLLOW_UP_DUE, with a follow-up task for the officers
 * and a history entry, in one set-based statement. The state condition makes a rerun or a redelivery a no-op.
 *
 * The same statement announces `case-follow-up.requested` for each HOUSEHOLD case it moved (caseId, householdId,
 * dueOn: ids and a date, nothing personal), so households asks the community for the follow-up inspection. Being part
 * of the update, an event exists exactly when a case moved: a rerun moves nothing and announces nothing. Property
 * companies and units are followed up by the officers themselves (`cases(state: FOLLOW_UP_DUE)`).
 */
@Injectable()
@JobHandler(JobName.CaseFollowUpDaily)
export class CaseFollowUpJob implements JobProcessor<CaseFollowUpJobData> {
  private readonly logger = new Logger(CaseFollowUpJob.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async handle(data: CaseFollowUpJobData, job: Job<CaseFollowUpJobData>): Promise<void> {
    const firedAt = firedAtOf(data);
    const due = await markFollowUpsDue(this.dataSource, shanghaiDate(firedAt), `job:${job.id}`);
    this.logger.log(`Job ${job.id}: ${due} cases due for their follow-up inspection`);
  }
}

export async function markFollowUpsDue(db: SqlExecutor, today: string, actor: string): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    db,
    `WITH due AS (
       UPDATE enforcement_case c SET state = 'FOLLOW_UP_DUE', updated_at = now()
        WHERE c.state = 'RECTIFICATION_NOTICE_ISSUED' AND c.comply_by <= $1::date
        RETURNING c.id, c.comply_by, c.target_kind, c.household_id
     ), history AS (
       INSERT INTO case_history (case_id, from_state, to_state, actor, note)
       SELECT id, 'RECTIFICATION_NOTICE_ISSUED', 'FOLLOW_UP_DUE', $2, '整改期限已到，待复查' FROM due
     ), tasks AS (
       INSERT INTO case_follow_up_task (case_id, due_on, created_by) SELECT id, comply_by, $2 FROM due
       ON CONFLICT (case_id) DO NOTHING
     ), announced AS (
       ${outboxInsertFrom(
         '$3',
         `SELECT json_build_object('caseId', id, 'householdId', household_id, 'dueOn', comply_by::text)
                                   FROM due WHERE target_kind = 'HOUSEHOLD'`,
       )}
     )
     SELECT id FROM due`,
    [today, actor, EventType.CaseFollowUpRequested],
  );
  return rows.length;
}
