import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { monthStart, parseMonth } from '#libs/calendar';
import { queryRows } from '#libs/database';
import { EventType, JobHandler, PermanentJobError, type EventEnvelope, type EventPayload, type JobProcessor } from '#libs/messaging';
import { computeVanguardMonth, recomputeComputedMonths } from '../vanguard/vanguard-sql.js';

/**
 * Records the grade of every party member's household; idempotent, and a later correction wins. A grade that arrives
 * after the month's vanguard index was computed (a correction, or a batch processed after the month's completion)
 * recomputes those members' index of the month.
 */
@Injectable()
@JobHandler(EventType.HouseholdGradesPublished)
export class MemberHouseholdGradeHandler implements JobProcessor<EventEnvelope<EventPayload<EventType.HouseholdGradesPublished>>> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async handle(event: EventEnvelope<EventPayload<EventType.HouseholdGradesPublished>>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const written = await queryRows<{ id: string }>(
        manager,
        `INSERT INTO member_household_grade AS m (party_member_id, month, household_id, status, grade, event_at)
         SELECT (r->>'partyMemberId')::uuid, ($1 || '-01')::date, (h->>'householdId')::uuid, h->>'status', h->>'grade', $3
           FROM jsonb_array_elements($2::jsonb) AS h, jsonb_array_elements(h->'residents') AS r
          WHERE r->>'partyMemberId' IS NOT NULL
         ON CONFLICT (party_member_id, month) DO UPDATE
            SET household_id = excluded.household_id, status = excluded.status, grade = excluded.grade, event_at = excluded.event_at
          WHERE m.event_at <= excluded.event_at
         RETURNING m.party_member_id AS id`,
        [event.payload.month, JSON.stringify(event.payload.households), event.occurredAt],
      );
      await recomputeComputedMonths(
        manager,
        [monthStart(event.payload.month)],
        written.map((row) => row.id),
      );
    });
  }
}

/**
 * When households announces that a district's month is graded, computes every party member's vanguard index of that
 * month (锋领指数), one statement for the district. Redelivery recomputes the same numbers and writes nothing.
 */
@Injectable()
@JobHandler(EventType.MonthlyEvaluationCompleted)
export class MonthlyEvaluationCompletedHandler implements JobProcessor<EventEnvelope<EventPayload<EventType.MonthlyEvaluationCompleted>>> {
  private readonly logger = new Logger(MonthlyEvaluationCompletedHandler.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async handle(event: EventEnvelope<EventPayload<EventType.MonthlyEvaluationCompleted>>, job?: Job): Promise<void> {
    let month: string;
    try {
      month = parseMonth(event.payload.month);
    } catch {
      throw new PermanentJobError(`monthly-evaluation.completed ${event.id} has no month as YYYY-MM`);
    }
    const { members, changed } = await this.dataSource.transaction((manager) => computeVanguardMonth(manager, monthStart(month)));
    this.logger.log(`Job ${job?.id ?? event.id}: vanguard index of ${month} computed for ${members} party members (${changed} changed)`);
  }
}
