import { Injectable, Logger } from '@nestjs/common';
import { queryRows } from '#libs/database';
import { EventType, Inbox, JobHandler, type EventEnvelope, type EventPayload, type JobProcessor } from '#libs/messaging';
import { fulfilFollowUpRequests } from './case-follow-up-sql.js';

/**
 * enforcement asks for a case's follow-up inspection (`case-follow-up.requested`): households keeps the request for
 * the community (`caseFollowUpRequests`), once per event (inbox) and once per case (its key). A request for a household
 * the registry no longer holds is skipped. If the community already inspected the household on or after the due date
 * (the event arrived late), that inspection answers the request at once.
 */
@Injectable()
@JobHandler(EventType.CaseFollowUpRequested)
export class CaseFollowUpRequestedHandler implements JobProcessor<EventEnvelope<EventPayload<EventType.CaseFollowUpRequested>>> {
  private readonly logger = new Logger(CaseFollowUpRequestedHandler.name);

  constructor(private readonly inbox: Inbox) {}

  async handle(event: EventEnvelope<EventPayload<EventType.CaseFollowUpRequested>>): Promise<void> {
    const request = event.payload;
    await this.inbox.once('inspections:case-follow-up-requested', event.id, async (manager) => {
      const inserted = await queryRows<{ case_id: string }>(
        manager,
        `INSERT INTO case_follow_up_request (case_id, household_id, due_on)
         SELECT $1, h.id, $3::date FROM household h WHERE h.id = $2
         ON CONFLICT (case_id) DO NOTHING
         RETURNING case_id`,
        [request.caseId, request.householdId, request.dueOn],
      );
      if (inserted.length === 0) {
        this.logger.warn(`Follow-up request of case ${request.caseId}: household not held, or the case already asked; skipped`);
        return;
      }
      await fulfilFollowUpRequests(manager, request.householdId, null);
    });
  }
}
