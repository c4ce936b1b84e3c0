import type { CheckInReviewStatus, CheckInVerdict } from './check-in-enums.js';

/*
 * Rows of the check-in tables as the services select them (columns camel-cased, weeks as `YYYY-MM-DD` Mondays).
 * The tables are read and written with SQL only, so these are not TypeORM entities.
 */

/** `photo_check_in`: one photo a party member posted, with both branches' reviews in place. */
export interface PhotoCheckInRow {
  id: string;
  partyMemberId: string;
  householdId: string;
  photoId: string;
  takenAt: Date;
  /** The sort key of `takenAt` at full (microsecond) precision, for cursors. */
  takenAtKey: string;
  week: string;
  note: string | null;
  submittedAt: Date;
  workVerdict: CheckInVerdict | null;
  workNote: string | null;
  workReviewedBy: string | null;
  workReviewedAt: Date | null;
  communityVerdict: CheckInVerdict | null;
  communityNote: string | null;
  communityReviewedBy: string | null;
  communityReviewedAt: Date | null;
  reviewStatus: CheckInReviewStatus;
}

/** `check_in_quota_flag`: a member's week under quota, as the weekly job found it. */
export interface CheckInQuotaFlagRow {
  partyMemberId: string;
  week: string;
  householdId: string;
  checkIns: number;
  quota: number;
  flaggedBy: string;
  flaggedAt: Date;
}
