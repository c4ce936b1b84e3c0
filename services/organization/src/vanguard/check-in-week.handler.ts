import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryRows } from '#libs/database';
import { EventType, JobHandler, type EventEnvelope, type EventPayload, type JobProcessor } from '#libs/messaging';
import { recomputeComputedMonths } from './vanguard-sql.js';

/**
 * Keeps each party member's photo check-ins per week (member_check_in_week) from households' summaries: idempotent,
 * and a later event wins (households sends the last five weeks every Monday, so late reviews arrive). When a week of a
 * month whose vanguard index is already computed arrives, its members are recomputed for that month (which writes only
 the scores that change).
 */
@Injectable()
@JobHandler(EventType.PartyMemberCheckInsSummarised)
export class MemberCheckInWeekHandler implements JobProcessor<EventEnvelope<EventPayload<EventType.PartyMemberCheckInsSummarised>>> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async handle(event: EventEnvelope<EventPayload<EventType.PartyMemberCheckInsSummarised>>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const written = await queryRows<{ id: string }>(
        manager,
        `INSERT INTO member_check_in_week AS w (party_member_id, week, household_id, submitted, approved_by_both, quota, quota_met, event_at)
         SELECT (m->>'partyMemberId')::uuid, $1::date, (m->>'householdId')::uuid, (m->>'submitted')::int, (m->>'approvedByBoth')::int,
                (m->>'quota')::int, (m->>'quotaMetApproved')::boolean, $3
           FROM jsonb_array_elements($2::jsonb) AS m
         ON CONFLICT (party_member_id, week) DO UPDATE
            SET household_id = excluded.household_id, submitted = excluded.submitted, approved_by_both = excluded.approved_by_both,
                quota = excluded.quota, quota_met = excluded.quota_met, event_at = excluded.event_at
          WHERE w.event_at <= excluded.event_at
         RETURNING w.party_member_id AS id`,
        [event.payload.week, JSON.stringify(event.payload.members), event.occurredAt],
      );
      // A week counts for the month its Monday is in.
      await recomputeComputedMonths(
        manager,
        [`${event.payload.week.slice(0, 7)}-01`],
        written.map((row) => row.id),
      );
    });
  }
}
