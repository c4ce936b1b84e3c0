/**
 * One party member's photo check-ins (党员晒图打卡) of one ISO week, as households counts them: what organization needs
 * for the vanguard index (锋领指数) without reading households' tables.
 */
export interface MemberCheckInWeek {
  partyMemberId: string;
  householdId: string;
  /** Every check-in the member posted for the week. */
  submitted: number;
  /** Check-ins both branches approved (review status APPROVED, 双方支部审核通过). */
  approvedByBoth: number;
  /** Check-ins that count towards the weekly quota: those no branch rejected. */
  counting: number;
  quota: number;
  /** approvedByBoth ≥ quota: the week's quota was met with check-ins reviewed by both branches. */
  quotaMetApproved: boolean;
}

/**
 * households → organization: a week's check-in counts of up to 500 party members (all members, zeros included).
 * Sent by the weekly quota job for the week that just ended and again for the four weeks before it, so late reviews
 * reach organization; a later event for a member and week replaces an earlier one.
 */
export interface PartyMemberCheckInsSummarisedPayload {
  /** The Monday (YYYY-MM-DD, Asia/Shanghai) the week starts on. */
  week: string;
  members: MemberCheckInWeek[];
}
