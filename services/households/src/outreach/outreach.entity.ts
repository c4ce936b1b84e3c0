import type { ClaimantType, ClaimStatus, OutreachTier, VisitOutcome } from './outreach-enums.js';

/*
 * Rows of the outreach tables as the services select them (columns camel-cased, months as `YYYY-MM-DD` dates).
 * The tables are read and written with SQL only, so these are not TypeORM entities.
 */

/** `outreach_plan`: what outreach a tier gets. One row per tier, edited in place with a version. */
export interface OutreachPlanRow {
  tier: OutreachTier;
  visitsPerMonth: number;
  actions: string[];
  description: string;
  version: number;
  updatedBy: string;
  updatedAt: Date;
}

/** `household_claim`: a party member or volunteer taking responsibility for a household of a lower tier. */
export interface HouseholdClaimRow {
  id: string;
  householdId: string;
  claimantId: string;
  claimantType: ClaimantType;
  /** The household's tier, from its grade for `month`, when it was claimed. */
  tier: OutreachTier;
  month: string;
  status: ClaimStatus;
  /** The claimant, or the community secretary who assigned the claim. */
  claimedBy: string;
  claimedAt: Date;
  /** The sort key of `claimedAt` at full (microsecond) precision, for cursors. */
  claimedAtKey: string;
  endedAt: Date | null;
  releasedBy: string | null;
  releaseReason: string | null;
  /** The month whose QUALIFIED grade ended the claim. */
  upgradedMonth: string | null;
}

/** `follow_up_visit`: one visit (入户回访) made under a claim. */
export interface FollowUpVisitRow {
  id: string;
  claimId: string;
  visitedAt: Date;
  visitedAtKey: string;
  outcome: VisitOutcome;
  note: string | null;
  recordedBy: string;
  createdAt: Date;
}

/** A household graded UNQUALIFIED one month and QUALIFIED the next, with the claim it had then, if any. */
export interface HouseholdUpgradeRow {
  householdId: string;
  compoundId: string;
  month: string;
  claimId: string | null;
  claimantType: ClaimantType | null;
}
