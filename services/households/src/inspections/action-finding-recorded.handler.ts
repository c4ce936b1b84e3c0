import { Injectable, Logger } from '@nestjs/common';
import { queryRows } from '#libs/database';
import { EventType, Inbox, JobHandler, type EventEnvelope, type EventPayload, type JobProcessor } from '#libs/messaging';
import { InspectionIssue, InspectionKind, InspectionResult } from './inspection-enums.js';

/** The inspection issue each enforcement finding category stands for. */
const ISSUE_OF_CATEGORY: Record<string, InspectionIssue> = {
  MIXED_WASTE: InspectionIssue.RECYCLABLES_MIXED,
  BAG_DUMPED: InspectionIssue.BAG_DUMPED,
  ILLEGAL_DUMPING: InspectionIssue.BAG_DUMPED,
  OUTSIDE_DROP_OFF_HOURS: InspectionIssue.OUTSIDE_DROP_OFF_HOURS,
};

/**
 * A joint enforcement action found something at a household (`action-finding.recorded`): it is recorded as a failed
 * patrol inspection by `joint-action:<action id>`, once per event (inbox). Photos are kept when they are uploads
 * households holds; a household that does not exist (any more), or lies outside the action's target units, is skipped.
 */
@Injectable()
@JobHandler(EventType.ActionFindingRecorded)
export class ActionFindingRecordedHandler implements JobProcessor<EventEnvelope<EventPayload<EventType.ActionFindingRecorded>>> {
  private readonly logger = new Logger(ActionFindingRecordedHandler.name);

  constructor(private readonly inbox: Inbox) {}

  async handle(event: EventEnvelope<EventPayload<EventType.ActionFindingRecorded>>): Promise<void> {
    const finding = event.payload;
    await this.inbox.once('inspections:action-finding', event.id, async (manager) => {
      const inserted = await queryRows<{ id: string }>(
        manager,
        `INSERT INTO inspection (household_id, kind, result, issues, inspector_id, inspected_at, photo_ids, note)
         SELECT h.id, $2, $3, ARRAY[$4], $5, $6,
                ARRAY(SELECT u.id FROM upload u WHERE u.id = ANY($7::uuid[])), left($8, 500)
           FROM household h JOIN territory_unit t ON t.id = h.compound_id
          WHERE h.id = $1 AND t.path && $9::uuid[]
         RETURNING id`,
        [
          finding.householdId,
          InspectionKind.PATROL,
          InspectionResult.FAIL,
          ISSUE_OF_CATEGORY[finding.category] ?? InspectionIssue.OTHER,
          `joint-action:${finding.actionId}`,
          finding.recordedAt,
          finding.photoIds,
          `联合执法发现：${finding.description}`,
          finding.targetUnitIds,
        ],
      );
      if (inserted.length === 0)
        this.logger.warn(`Finding ${finding.findingId} names a household households does not hold inside the action's units; skipped`);
    });
  }
}
