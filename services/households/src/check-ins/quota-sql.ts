import type { Queryable } from '#libs/pagination';
import { CheckInReviewStatus } from './check-in-enums.js';
import { CHECK_IN_RULES, parseWeek } from './check-in-rules.js';

/**
 * Flags every party member whose counting check-ins (not rejected by either branch) in `week` are fewer than the
 * quota, members who posted nothing included: one statement for the whole district. A member flagged for the week
 * already keeps their flag (and the count it recorded), so running it again flags nobody twice. Returns the number
 * of new flags.
 */
export async function flagMembersUnderQuota(db: Queryable, week: string, flaggedBy: string): Promise<number> {
  const [{ count }] = await db.query(
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
