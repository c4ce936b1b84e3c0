import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventType, JobHandler, type EventEnvelope, type HouseholdGradesPublishedPayload, type JobProcessor } from '#libs/messaging';

/** Records the grade of every party member's household; idempotent, and a later correction wins. */
@Injectable()
@JobHandler(EventType.HouseholdGradesPublished)
export class MemberHouseholdGradeHandler implements JobProcessor<EventEnvelope<HouseholdGradesPublishedPayload>> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async handle(event: EventEnvelope<HouseholdGradesPublishedPayload>): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO member_household_grade AS m (party_member_id, month, household_id, status, grade, event_at)
       SELECT (r->>'partyMemberId')::uuid, ($1 || '-01')::date, (h->>'householdId')::uuid, h->>'status', h->>'grade', $3
         FROM jsonb_array_elements($2::jsonb) AS h, jsonb_array_elements(h->'residents') AS r
        WHERE r->>'partyMemberId' IS NOT NULL
       ON CONFLICT (party_member_id, month) DO UPDATE
          SET household_id = excluded.household_id, status = excluded.status, grade = excluded.grade, event_at = excluded.event_at
        WHERE m.event_at <= excluded.event_at`,
      [event.payload.month, JSON.stringify(event.payload.households), event.occurredAt],
    );
  }
}

/** Nothing to do yet when a month completes; the vanguard index (issue 5) will start from here. */
@Injectable()
@JobHandler(EventType.MonthlyEvaluationCompleted)
export class MonthlyEvaluationCompletedHandler implements JobProcessor {
  async handle(): Promise<void> {}
}
