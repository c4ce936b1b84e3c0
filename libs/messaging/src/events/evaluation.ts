export type Grade = 'QUALIFIED' | 'BASICALLY_QUALIFIED' | 'UNQUALIFIED';

export interface EvaluationRequestedPayload {
  runId: string;
}

/** What consumers need of a resident to route a notice or credit a party member; never a name or phone. */
export interface GradedResident {
  residentId: string;
  occupation: 'EMPLOYED' | 'STUDENT' | 'RETIRED' | 'FREELANCE' | 'OTHER';
  /** Employer (EMPLOYED) or school (STUDENT). */
  institutionId: string | null;
  partyMemberId: string | null;
  minor: boolean;
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
  issues: string[];
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
