import { Injectable, Logger } from '@nestjs/common';
import { execute } from '#libs/database';
import { EventType, Inbox, JobHandler, type EventEnvelope, type EventPayload, type JobProcessor } from '#libs/messaging';

/**
 * households reports the inspection that answered a case's follow-up request (`case-follow-up.inspected`): it is kept on
 * the case's follow-up task and shown as `Case.followUpInspection`. It only informs: the case's state does not change
 * and no history is written, because due process wants a person to decide (the officer's `recordFollowUp`), who may
 * weigh more than one inspection. Once per event (inbox), and the first report per case wins.
 */
@Injectable()
@JobHandler(EventType.CaseFollowUpInspected)
export class CaseFollowUpInspectedHandler implements JobProcessor<EventEnvelope<EventPayload<EventType.CaseFollowUpInspected>>> {
  private readonly logger = new Logger(CaseFollowUpInspectedHandler.name);

  constructor(private readonly inbox: Inbox) {}

  async handle(event: EventEnvelope<EventPayload<EventType.CaseFollowUpInspected>>): Promise<void> {
    const report = event.payload;
    await this.inbox.once('cases:follow-up-inspected', event.id, async (manager) => {
      const updated = await execute(
        manager,
        `UPDATE case_follow_up_task
            SET inspection_id = $2, inspection_result = $3, inspected_at = $4, inspection_reported_at = now()
          WHERE case_id = $1 AND inspection_id IS NULL`,
        [report.caseId, report.inspectionId, report.result, report.inspectedAt],
      );
      if (updated === 0) this.logger.warn(`Case ${report.caseId} has no follow-up task awaiting an inspection; report ${event.id} ignored`);
    });
  }
}
