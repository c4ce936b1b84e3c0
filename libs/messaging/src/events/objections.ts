/** Where a resident's objection to a month's grade stands. */
export type GradeObjectionStatus = 'OPEN' | 'UPHELD' | 'CORRECTED';

/** One objection as notifications needs it: ids and the outcome, never the statement (it may name people). */
export interface ObjectionStanding {
  objectionId: string;
  householdId: string;
  status: GradeObjectionStatus;
  /**
   * For a correction that changed the grade: when (the decision's transaction time, to the millisecond, which is also
   * the `occurredAt` of the corrected grade's `household-grades.published`). Notifications sends the household's
   * notices only once it holds a grade at least this new, so a notice is never sent on the grade being corrected.
   */
  correctedAt: string | null;
}

/** `objection-window.closed`: once per district-month, when residents may no longer object to its grades. */
export interface ObjectionWindowClosedPayload {
  districtId: string;
  /** YYYY-MM */
  month: string;
  closedAt: string;
  /** Every objection of the month, where it stood at the close: an OPEN one holds its household's notices. */
  objections: ObjectionStanding[];
}

/** `grade-objection.decided`: a community secretary decided an objection (once per objection). */
export interface GradeObjectionDecidedPayload extends ObjectionStanding {
  districtId: string;
  /** YYYY-MM */
  month: string;
}
