/**
 * What an inspection found, as households records it and enforcement names it when a verified report becomes an
 * inspection (`report-inspection.recorded`). One definition for both: each service registers them as GraphQL enums of
 * the same name, which the supergraph merges, so their values must never drift apart.
 */
export enum InspectionResult {
  PASS = 'PASS',
  MINOR_ISSUE = 'MINOR_ISSUE',
  FAIL = 'FAIL',
}

/** The codes of what an inspection can find wrong (InspectionIssueCode; their words are INSPECTION_ISSUE_LABEL_ZH). */
export enum InspectionIssue {
  KITCHEN_WASTE_CONTAMINATED = 'KITCHEN_WASTE_CONTAMINATED',
  RECYCLABLES_MIXED = 'RECYCLABLES_MIXED',
  HAZARDOUS_MISSORTED = 'HAZARDOUS_MISSORTED',
  BAG_DUMPED = 'BAG_DUMPED',
  BAG_NOT_BROKEN = 'BAG_NOT_BROKEN',
  OUTSIDE_DROP_OFF_HOURS = 'OUTSIDE_DROP_OFF_HOURS',
  OTHER = 'OTHER',
}

export const INSPECTION_RESULT_LABEL_ZH: Record<InspectionResult, string> = {
  [InspectionResult.PASS]: '合格',
  [InspectionResult.MINOR_ISSUE]: '有小问题',
  [InspectionResult.FAIL]: '不合格',
};
