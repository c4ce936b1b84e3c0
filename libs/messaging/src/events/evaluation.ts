export type Grade = 'QUALIFIED' | 'BASICALLY_QUALIFIED' | 'UNQUALIFIED';

/** The words for grades, shared by the service that grades and the ones that write to people about grades. */
export const GRADE_LABEL_ZH: Record<Grade, string> = {
  QUALIFIED: '合格',
  BASICALLY_QUALIFIED: '基本合格',
  UNQUALIFIED: '不合格',
};

/** What an inspection can find wrong; grade events list a month's issues by these codes. */
export type InspectionIssueCode =
  | 'KITCHEN_WASTE_CONTAMINATED'
  | 'RECYCLABLES_MIXED'
  | 'HAZARDOUS_MISSORTED'
  | 'BAG_DUMPED'
  | 'BAG_NOT_BROKEN'
  | 'OUTSIDE_DROP_OFF_HOURS'
  | 'OTHER';

export const INSPECTION_ISSUE_LABEL_ZH: Record<InspectionIssueCode, string> = {
  KITCHEN_WASTE_CONTAMINATED: '厨余垃圾混入其他垃圾',
  RECYCLABLES_MIXED: '可回收物混投',
  HAZARDOUS_MISSORTED: '有害垃圾错投',
  BAG_DUMPED: '垃圾包乱丢',
  BAG_NOT_BROKEN: '厨余垃圾未破袋',
  OUTSIDE_DROP_OFF_HOURS: '不按时投放',
  OTHER: '其他问题',
};

export interface EvaluationRequestedPayload {
  runId: string;
}

/**
 * What consumers need of a resident to route a notice, disclose a grade or credit a party member: ids, never a name,
 * phone or birth date. Notifications asks households for the names a notice needs when it makes the notice.
 */
export interface GradedResident {
  residentId: string;
  occupation: 'EMPLOYED' | 'STUDENT' | 'RETIRED' | 'FREELANCE' | 'OTHER';
  /** Employer (EMPLOYED) or school (STUDENT). */
  institutionId: string | null;
  partyMemberId: string | null;
  /** Under 18 on the day of grading (privacy-protective for dates known only to the month or year). */
  minor: boolean;
  /** Only for adult retirees and freelancers, who may appear in a public disclosure: e.g. 张*明. */
  maskedName: string | null;
  /** The same residents' recorded ground for disclosure: NONE, CONSENT or REGULATION. */
  disclosureBasis: 'NONE' | 'CONSENT' | 'REGULATION' | null;
}

export interface PublishedGrade {
  householdId: string;
  compoundId: string;
  status: 'GRADED' | 'NO_EVIDENCE';
  grade: Grade | null;
  /** The household's grade of the month before, when it had one. */
  previousGrade: Grade | null;
  score: number | null;
  ruleVersion: number;
  /** The distinct problems inspections found in the month (InspectionIssue values), for notices in words. */
  issues: InspectionIssueCode[];
  residents: GradedResident[];
  /** True when this replaces a grade published earlier for the same month (late evidence, a re-run). */
  correction: boolean;
}

export interface HouseholdGradesPublishedPayload {
  month: string;
  districtId: string;
  runId: string;
  households: PublishedGrade[];
}

export interface MonthlyEvaluationCompletedPayload {
  month: string;
  districtId: string;
  runId: string;
  households: number;
  graded: number;
  noEvidence: number;
  grades: Record<Grade, number>;
}
