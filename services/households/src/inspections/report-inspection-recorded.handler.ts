import { Injectable, Logger } from '@nestjs/common';
import { queryRows } from '#libs/database';
import { EventType, Inbox, JobHandler, type EventEnvelope, type EventPayload, type JobProcessor } from '#libs/messaging';

/**
 * A handler made a verified citizen report evidence against a household (`report-inspection.recorded`): it is recorded
 * as the inspection the event names (its id chosen by enforcement, which shows it on the report), carrying the report
 * id, and the monthly evaluation counts it like any other. Once per event (inbox); the inspection id and the unique
 * report id make a second delivery of the same report's inspection write nothing either. Photos are kept when they are
 * uploads households holds; a household the registry no longer holds is skipped.
 */
@Injectable()
@JobHandler(EventType.ReportInspectionRecorded)
export class ReportInspectionRecordedHandler implements JobProcessor<EventEnvelope<EventPayload<EventType.ReportInspectionRecorded>>> {
  private readonly logger = new Logger(ReportInspectionRecordedHandler.name);

  constructor(private readonly inbox: Inbox) {}

  async handle(event: EventEnvelope<EventPayload<EventType.ReportInspectionRecorded>>): Promise<void> {
    const recorded = event.payload;
    await this.inbox.once('inspections:report-inspection', event.id, async (manager) => {
      const inserted = await queryRows<{ id: string }>(
        manager,
        `INSERT INTO inspection (id, household_id, kind, result, issues, inspector_id, inspected_at, photo_ids, note, citizen_report_id)
         SELECT $1, h.id, $3, $4, $5::text[], $6, $7, ARRAY(SELECT u.id FROM upload u WHERE u.id = ANY($8::uuid[])), left($9, 500), $10
           FROM household h WHERE h.id = $2
         ON CONFLICT DO NOTHING
         RETURNING id`,
        [
          recorded.inspectionId,
          recorded.householdId,
          recorded.kind,
          recorded.result,
          recorded.issues,
          recorded.recordedBy,
          recorded.inspectedAt,
          recorded.photoIds,
          recorded.note,
          recorded.citizenReportId,
        ],
      );
      if (inserted.length === 0) {
        this.logger.warn(`Inspection from report ${recorded.citizenReportId}: household not held, or already recorded; skipped`);
      }
    });
  }
}
