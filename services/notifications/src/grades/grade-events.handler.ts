import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  EventType, JobHandler, type EventEnvelope, type HouseholdGradesPublishedPayload, type JobProcessor, type MonthlyEvaluationCompletedPayload,
} from '#libs/messaging';

/**
 * Keeps the month's grades per resident. Set-based and idempotent: a redelivered event rewrites the same rows, and an
 * older event never overwrites a newer one (a correction published later wins).
 */
@Injectable()
@JobHandler(EventType.HouseholdGradesPublished)
export class HouseholdGradesPublishedHandler implements JobProcessor<EventEnvelope<HouseholdGradesPublishedPayload>> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async handle(event: EventEnvelope<HouseholdGradesPublishedPayload>): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO graded_resident AS g (month, resident_id, household_id, compound_id, occupation, institution_id, minor, status, grade,
                                         previous_grade, issues, rule_version, event_id, event_at)
       SELECT ($1 || '-01')::date, (r->>'residentId')::uuid, (h->>'householdId')::uuid, (h->>'compoundId')::uuid, r->>'occupation',
              (r->>'institutionId')::uuid, (r->>'minor')::boolean, h->>'status', h->>'grade', h->>'previousGrade', ARRAY(SELECT jsonb_array_elements_text(h->'issues')),
              (h->>'ruleVersion')::int, $3, $4
         FROM jsonb_array_elements($2::jsonb) AS h, jsonb_array_elements(h->'residents') AS r
       ON CONFLICT (month, resident_id) DO UPDATE
          SET household_id = excluded.household_id, compound_id = excluded.compound_id, occupation = excluded.occupation,
              institution_id = excluded.institution_id, minor = excluded.minor, status = excluded.status, grade = excluded.grade,
              previous_grade = excluded.previous_grade, issues = excluded.issues, rule_version = excluded.rule_version,
              event_id = excluded.event_id, event_at = excluded.event_at
        WHERE g.event_at <= excluded.event_at`,
      [event.payload.month, JSON.stringify(event.payload.households), event.id, event.occurredAt],
    );
  }
}

/** Notes that a district's month is complete: notices for it can be generated (issue 4). */
@Injectable()
@JobHandler(EventType.MonthlyEvaluationCompleted)
export class MonthlyEvaluationCompletedHandler implements JobProcessor<EventEnvelope<MonthlyEvaluationCompletedPayload>> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async handle(event: EventEnvelope<MonthlyEvaluationCompletedPayload>): Promise<void> {
    const { districtId, month, households, graded } = event.payload;
    await this.dataSource.query(
      `INSERT INTO evaluated_month (district_id, month, households, graded, completed_at) VALUES ($1, ($2 || '-01')::date, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [districtId, month, households, graded, event.occurredAt],
    );
  }
}
