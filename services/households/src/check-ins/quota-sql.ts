import type { EntityManager } from 'typeorm';
import { queryOne, type SqlExecutor } from '#libs/database';
import { EventType, outboxInsertFrom } from '#libs/messaging';
import { CheckInReviewStatus } from './check-in-enums.js';
import { CHECK_IN_RULES, parseWeek } from './check-in-rules.js';

/**
 * Flags every party member whose counting check-ins (not rejected by either branch) in `week` are fewer than the
 * quota, members who posted nothing included: one statement for the whole district. A member flagged for the week
 * already keeps their flag (and the count it recorded), so running it again flags nobody twice. Returns the number
 * of new flags.
 */
export async function flagMembersUnderQuota(db: SqlExecutor, week: string, flaggedBy: string): Promise<number> {
  const { count } = await queryOne<{ count: number }>(
    db,
    `WITH flagged AS (
       INSERT INTO check_in_quota_flag (party_member_id, week, household_id, check_ins, quota, flagged_by)
       SELECT r.party_member_id, $1::date, r.household_id, count(c.id)::int, $2::int, $3
         FROM resident r
         LEFT JOIN photo_check_in c ON c.party_member_id = r.party_member_id AND c.week = $1::date AND c.review_status <> $4
        WHERE r.party_member_id IS NOT NULL
        GROUP BY r.party_member_id, r.household_id
       HAVING count(c.id) < $2::int
       ON CONFLICT (party_member_id, week) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS count FROM flagged`,
    [parseWeek(week), CHECK_IN_RULES.weeklyQuota, flaggedBy, CheckInReviewStatus.REJECTED],
  );
  return count;
}

/** Members per `party-member-check-ins.summarised` event. */
export const MEMBERS_PER_SUMMARY_EVENT = 500;

/**
 * Records `party-member-check-ins.summarised` events for `weeks` inside the caller's transaction: for each week every
 * party member (zeros too) with what they submitted, what both branches approved, what counts (not rejected) and
 * whether the quota was met with approved check-ins, at most MEMBERS_PER_SUMMARY_EVENT members an event. One
 * statement for the whole district. Returns the number of events recorded.
 */
export async function recordCheckInSummaries(manager: EntityManager, weeks: readonly string[]): Promise<number> {
  const { events } = await queryOne<{ events: number }>(
    manager,
    `WITH weeks AS (SELECT DISTINCT unnest($1::date[]) AS week),
     members AS (
       SELECT DISTINCT ON (party_member_id) party_member_id, household_id
         FROM resident WHERE party_member_id IS NOT NULL ORDER BY party_member_id, household_id),
     counted AS (
       SELECT w.week, m.party_member_id, m.household_id, count(c.id)::int AS submitted,
              count(c.id) FILTER (WHERE c.review_status = $3)::int AS approved,
              count(c.id) FILTER (WHERE c.review_status <> $4)::int AS counting
         FROM weeks w CROSS JOIN members m
         LEFT JOIN photo_check_in c ON c.week = w.week AND c.party_member_id = m.party_member_id
        GROUP BY w.week, m.party_member_id, m.household_id),
     items AS (
       SELECT week, (row_number() OVER (PARTITION BY week ORDER BY party_member_id) - 1) / ${MEMBERS_PER_SUMMARY_EVENT} AS batch,
              party_member_id,
              json_build_object('partyMemberId', party_member_id, 'householdId', household_id, 'submitted', submitted,
                                'approvedByBoth', approved, 'counting', counting, 'quota', $2::int,
                                'quotaMetApproved', approved >= $2::int) AS item
         FROM counted),
     recorded AS (
       ${outboxInsertFrom(
         '$5',
         `SELECT json_build_object('week', to_char(week, 'YYYY-MM-DD'), 'members', json_agg(item ORDER BY party_member_id))
            FROM items GROUP BY week, batch`,
       )})
     SELECT count(*)::int AS events FROM recorded`,
    [
      weeks.map((week) => parseWeek(week)),
      CHECK_IN_RULES.weeklyQuota,
      CheckInReviewStatus.APPROVED,
      CheckInReviewStatus.REJECTED,
      EventType.PartyMemberCheckInsSummarised,
    ],
  );
  return events;
}
