/**
 * enforcement → households: a household case's comply-by date has come (the daily job made it FOLLOW_UP_DUE), so the
 * community is asked for a follow-up inspection of the household on or after `dueOn`. Ids and the date only: no
 * names, no fine, no article or notice text (households needs none of them to send someone to look).
 */
export interface CaseFollowUpRequestedPayload {
  caseId: string;
  householdId: string;
  /** The comply-by date (Asia/Shanghai, YYYY-MM-DD): an inspection from this day on answers the request. */
  dueOn: string;
}

/**
 * households → enforcement: an inspection recorded on or after the due date answered a case's follow-up request. It
 * informs the officer; it decides nothing (the officer still records the follow-up with `recordFollowUp`).
 */
export interface CaseFollowUpInspectedPayload {
  caseId: string;
  inspectionId: string;
  result: 'PASS' | 'MINOR_ISSUE' | 'FAIL';
  inspectedAt: string;
}
