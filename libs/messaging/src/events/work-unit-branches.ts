/**
 * organization → households: what households needs for dual supervision (双重监督): a check-in's work-branch review
 * is the secretary's of the member's own work-unit branch. No personal data: ids and dates only.
 *
 * `version` comes from one organization sequence taken inside the changing transaction, after the row lock, so a
 * later snapshot of the same member or branch always carries a higher version: copies apply a snapshot only when
 * newer, and redelivered or reordered events are harmless.
 */
export interface MemberWorkUnitSnapshot {
  partyMemberId: string;
  /** The work-unit branch of the member's open WORK_UNIT registration; null when they have none. */
  branchId: string | null;
  version: number;
}

/** A secretary post of a work-unit branch, with the account (`user_id`) its holder signs in with. */
export interface BranchSecretaryPostSnapshot {
  userId: string | null;
  startsOn: string;
  endsOn: string | null;
}

export interface WorkUnitBranchSnapshot {
  id: string;
  /** Every secretary post of the branch, past and future, so "current" is judged on the day of the review. */
  secretaries: BranchSecretaryPostSnapshot[];
  version: number;
}

export interface WorkUnitBranchesChangedPayload {
  members: MemberWorkUnitSnapshot[];
  branches: WorkUnitBranchSnapshot[];
}
