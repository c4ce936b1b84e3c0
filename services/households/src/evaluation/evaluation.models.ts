import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import { OrgUnitRef } from '#libs/references';
import { INSPECTION_ISSUE_LABEL_ZH, InspectionIssue } from '../inspections/inspection-enums.js';
import { EvaluationRunStatus, EvaluationStatus, EvaluationTrigger, GRADE_LABEL_ZH, Grade } from './evaluation-enums.js';
import { describeReason, type GradingRules, type ReasonInspection, type ReasonRecord } from './grading-rules.js';

@ObjectType({ description: 'One reason of a grade: an inspection that cost points, or a rule that applied.' })
export class GradeReason {
  @Field({ description: 'INSPECTION_PENALTY, FAIL_COUNT, ISSUE_CAP, SCORE or NO_EVIDENCE.' })
  rule: string;

  @Field(() => Float, { nullable: true, description: 'Points this reason cost (negative), for inspection penalties.' })
  points: number | null;

  @Field(() => ID, { nullable: true, description: 'The inspection behind it, for INSPECTION_PENALTY.' })
  inspectionId: string | null;

  @Field({ description: 'The reason in words, as the household reads it.' })
  descriptionZh: string;
}

export interface MonthlyGradeRow {
  month: string;
  householdId: string;
  status: EvaluationStatus;
  grade: Grade | null;
  score: string | null;
  inspectionCount: number;
  issues: InspectionIssue[];
  reasons: ReasonRecord[];
  ruleSetId: string;
  ruleVersion: number;
  previousGrade: Grade | null;
  computedAt: Date;
}

@ObjectType('MonthlyGrade', { description: "A household's evaluation for one month (一月一评), with why." })
export class MonthlyGrade {
  @Field({ description: 'YYYY-MM' })
  month: string;

  @Field(() => ID, { description: 'The household graded.' })
  householdId: string;

  @Field(() => EvaluationStatus, { description: 'NO_EVIDENCE when the month had no inspection: then there is no grade.' })
  status: EvaluationStatus;

  @Field(() => Grade, {
    nullable: true,
    description: 'QUALIFIED, BASICALLY_QUALIFIED or UNQUALIFIED; null when the month had no evidence (status NO_EVIDENCE).',
  })
  grade: Grade | null;

  @Field(() => String, { nullable: true, description: 'e.g. 基本合格' })
  gradeLabelZh: string | null;

  @Field(() => Float, {
    nullable: true,
    description: "The month's score under the rules (starts at scoreStart, inspections and issues deduct); null without evidence.",
  })
  score: number | null;

  @Field(() => Int, { description: 'Inspections of the household that counted in the month.' })
  inspectionCount: number;

  @Field(() => [InspectionIssue], { description: 'The problems inspections found in the month.' })
  issues: InspectionIssue[];

  @Field(() => [String], { description: 'The Chinese names of issues, in the same order.' })
  issuesLabelZh: string[];

  @Field(() => [GradeReason], { description: 'Why the grade is what it is: each rule that applied, with the points it cost.' })
  reasons: GradeReason[];

  @Field(() => Int, { description: 'Version of the grading rules that made this grade.' })
  ruleVersion: number;

  @Field(() => ID, { description: 'The grading rule set (version) that made this grade.' })
  ruleSetId: string;

  @Field(() => Grade, { nullable: true, description: 'The grade of the month before.' })
  previousGrade: Grade | null;

  @Field({ description: 'When the grade was computed (ISO 8601 timestamp); a later run may recompute it.' })
  computedAt: Date;

  @Field(() => Date, {
    nullable: true,
    description:
      "Until when the household may object to this grade (fileGradeObjection); null while the district's month is not published.",
  })
  objectionWindowClosesAt: Date | null;

  @Field({ description: 'Whether an objection may be filed now.' })
  objectionWindowOpen: boolean;

  /**
   * `inspections` holds the inspections the reasons cite, by id, and `rules` the rule set that made the grade, so
   * every reason can be told in words; the stored reasons end with the score line (or "no evidence"), added here.
   */
  static from(
    row: MonthlyGradeRow,
    inspections: ReadonlyMap<string, ReasonInspection>,
    rules: GradingRules,
    window?: { closesAt: Date; open: boolean },
  ): MonthlyGrade {
    const closing: ReasonRecord =
      row.status === EvaluationStatus.NO_EVIDENCE
        ? { rule: 'NO_EVIDENCE' }
        : {
            rule: 'SCORE',
            score: Number(row.score),
            inspections: row.inspectionCount,
            qualifiedFrom: rules.thresholds.QUALIFIED,
            basicallyQualifiedFrom: rules.thresholds.BASICALLY_QUALIFIED,
          };
    return Object.assign(new MonthlyGrade(), {
      month: String(row.month).slice(0, 7),
      householdId: row.householdId,
      status: row.status,
      grade: row.grade,
      gradeLabelZh: row.grade ? GRADE_LABEL_ZH[row.grade] : null,
      score: row.score === null ? null : Number(row.score),
      inspectionCount: row.inspectionCount,
      issues: row.issues,
      issuesLabelZh: row.issues.map((issue) => INSPECTION_ISSUE_LABEL_ZH[issue]),
      reasons: [...row.reasons, closing].map((reason) => ({
        rule: reason.rule,
        points: reason.points ?? null,
        inspectionId: reason.inspectionId ?? null,
        descriptionZh: describeReason(reason, row.grade, reason.inspectionId ? inspections.get(reason.inspectionId) : undefined),
      })),
      ruleVersion: row.ruleVersion,
      ruleSetId: row.ruleSetId,
      previousGrade: row.previousGrade,
      computedAt: row.computedAt,
      objectionWindowClosesAt: window?.closesAt ?? null,
      objectionWindowOpen: window?.open ?? false,
    });
  }
}

@ObjectType({
  description:
    'A page of MonthlyGrade items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class MonthlyGradeConnection extends Connection(MonthlyGrade, 'MonthlyGrade') {}

@ArgsType()
export class HouseholdGradesArgs extends PageArgs {
  @Field(() => ID, { description: 'The household (residents: their own).' })
  householdId: string;
}

export interface EvaluationRunRow {
  id: string;
  month: string;
  orgUnitId: string;
  trigger: EvaluationTrigger;
  requestedBy: string;
  status: EvaluationRunStatus;
  totalChunks: number;
  completedChunks: number;
  householdsEvaluated: number;
  householdsTotal: number | null;
  gradesChanged: number;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

@ObjectType('EvaluationRun', { description: 'One run of the monthly evaluation over part of the territory.' })
export class EvaluationRun {
  @Field(() => ID, { description: 'Stable id of the run.' })
  id: string;

  @Field({ description: 'YYYY-MM' })
  month: string;

  @Field(() => OrgUnitRef, { description: 'The unit whose households are graded (with everything below it).' })
  orgUnit: OrgUnitRef;

  @Field(() => EvaluationTrigger, { description: 'Whether the monthly schedule or a person started it.' })
  trigger: EvaluationTrigger;

  @Field({ description: 'User id of whoever started it, or the scheduler.' })
  requestedBy: string;

  @Field(() => EvaluationRunStatus, { description: 'Where the run is.' })
  status: EvaluationRunStatus;

  @Field(() => Int, { description: 'Communities (chunks) to grade.' })
  totalChunks: number;

  @Field(() => Int, { description: 'Batches of households graded so far: progress for a progress bar.' })
  completedChunks: number;

  @Field(() => Float, { description: '0 to 1.' })
  progress: number;

  @Field(() => Int, { description: 'Households graded so far.' })
  householdsEvaluated: number;

  @Field(() => Int, {
    nullable: true,
    description:
      'Households registered under the unit when the run was requested: progress reads householdsEvaluated of this. Null for runs from before it was recorded.',
  })
  householdsTotal: number | null;

  @Field(() => Int, { description: 'Grades this run created or changed; 0 when a re-run found everything already right.' })
  gradesChanged: number;

  @Field(() => String, { nullable: true, description: 'Why the run failed (FAILED only).' })
  error: string | null;

  @Field({ description: 'When the run was requested (ISO 8601 timestamp).' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When a worker started it.' })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it completed or failed.' })
  finishedAt: Date | null;

  static from(row: EvaluationRunRow): EvaluationRun {
    return Object.assign(new EvaluationRun(), {
      ...row,
      month: String(row.month).slice(0, 7),
      orgUnit: OrgUnitRef.of(row.orgUnitId),
      progress: row.totalChunks === 0 ? 1 : row.completedChunks / row.totalChunks,
    });
  }
}

@ObjectType({
  description:
    'A page of EvaluationRun items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class EvaluationRunConnection extends Connection(EvaluationRun, 'EvaluationRun') {}

@ArgsType()
export class EvaluationRunFilterArgs extends PageArgs {
  @Field(() => EvaluationTrigger, { nullable: true, description: 'Only runs the schedule started, or only those a person started.' })
  trigger?: EvaluationTrigger | null;

  @Field(() => EvaluationRunStatus, { nullable: true, description: 'Only runs in this state (e.g. FAILED).' })
  status?: EvaluationRunStatus | null;
}

@ArgsType()
export class EvaluationRunsArgs extends EvaluationRunFilterArgs {
  @Field(() => String, { nullable: true, description: 'Only runs grading this month (YYYY-MM).' })
  month?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Only runs over this unit of your territory or a unit below it; default: every run of your territory.',
  })
  orgUnitId?: string | null;
}

@ObjectType({ description: "Points an inspection issue deducts from a household's monthly score." })
export class IssuePenalty {
  @Field(() => InspectionIssue, { description: 'The inspection issue.' })
  issue: InspectionIssue;

  @Field(() => Float, { description: 'Points deducted per inspection with this issue (positive number).' })
  points: number;
}

@ObjectType('GradingRuleSet', {
  description: 'A version of the grading rules (data, not code); every grade names the version that made it.',
})
export class GradingRuleSet {
  @Field(() => ID, { description: 'Stable id of this version of the rules.' })
  id: string;

  @Field(() => ID, { nullable: true, description: 'The district these rules are for; null for the default every district uses.' })
  districtId: string | null;

  @Field(() => Int, { description: 'Version number, growing by one per district with every new version.' })
  version: number;

  @Field({ description: 'First month (YYYY-MM) graded with these rules.' })
  effectiveFrom: string;

  @Field({ description: 'What changed and why, as its author recorded.' })
  description: string;

  @Field(() => Float, { description: 'The score a household starts each month with, before deductions.' })
  scoreStart: number;

  @Field(() => Float, { description: 'Points a PASS inspection deducts (usually 0).' })
  passPenalty: number;

  @Field(() => Float, { description: 'Points a MINOR_ISSUE inspection deducts.' })
  minorIssuePenalty: number;

  @Field(() => Float, { description: 'Points a FAIL inspection deducts.' })
  failPenalty: number;

  @Field(() => [IssuePenalty], { description: 'Extra points deducted per issue an inspection notes.' })
  issuePenalties: IssuePenalty[];

  @Field(() => Float, { description: 'Score from which a month is QUALIFIED (inclusive).' })
  qualifiedFrom: number;

  @Field(() => Float, { description: 'Score from which a month is BASICALLY_QUALIFIED (inclusive).' })
  basicallyQualifiedFrom: number;

  @Field(() => Int, { description: 'This many FAIL inspections in a month make it UNQUALIFIED whatever the score.' })
  unqualifiedAtFails: number;

  @Field(() => [InspectionIssue], { description: 'Any of these in a month caps the grade at BASICALLY_QUALIFIED.' })
  capIssues: InspectionIssue[];

  @Field({ description: 'User id of whoever published the version.' })
  createdBy: string;

  @Field({ description: 'When the version was published (ISO 8601 timestamp).' })
  createdAt: Date;

  static from(row: {
    id: string;
    districtId: string | null;
    version: number;
    effectiveFrom: string;
    description: string;
    rules: GradingRules;
    createdBy: string;
    createdAt: Date;
  }): GradingRuleSet {
    const { rules } = row;
    return Object.assign(new GradingRuleSet(), {
      id: row.id,
      districtId: row.districtId,
      version: row.version,
      effectiveFrom: String(row.effectiveFrom).slice(0, 7),
      description: row.description,
      scoreStart: rules.scoreStart,
      passPenalty: rules.resultPenalty.PASS,
      minorIssuePenalty: rules.resultPenalty.MINOR_ISSUE,
      failPenalty: rules.resultPenalty.FAIL,
      issuePenalties: Object.entries(rules.issuePenalty).map(([issue, points]) => ({ issue, points })),
      qualifiedFrom: rules.thresholds.QUALIFIED,
      basicallyQualifiedFrom: rules.thresholds.BASICALLY_QUALIFIED,
      unqualifiedAtFails: rules.unqualifiedAtFails,
      capIssues: rules.capIssues,
      createdBy: row.createdBy,
      createdAt: row.createdAt,
    });
  }
}

@ObjectType({
  description:
    'A page of GradingRuleSet items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class GradingRuleSetConnection extends Connection(GradingRuleSet, 'GradingRuleSet') {}

@InputType({ description: 'Points an inspection issue deducts.' })
export class IssuePenaltyInput {
  @Field(() => InspectionIssue, { description: 'The inspection issue, each at most once per rule set.' })
  issue: InspectionIssue;

  @Field(() => Float, { description: 'Points deducted per inspection with this issue, 0 or more.' })
  points: number;
}

@InputType({ description: 'A new version of the grading rules for a district, from a month on.' })
export class CreateGradingRuleSetInput {
  @Field(() => ID, { description: 'A DISTRICT in your territory.' })
  districtId: string;

  @Field({ description: 'First month (YYYY-MM) to grade with these rules: this month or later.' })
  effectiveFrom: string;

  @Field({ description: 'What changed and why, for the record.' })
  description: string;

  @Field(() => Float, { description: 'The score a household starts each month with (e.g. 100).' })
  scoreStart: number;

  @Field(() => Float, { description: 'Points a PASS inspection deducts, 0 or more.' })
  passPenalty: number;

  @Field(() => Float, { description: 'Points a MINOR_ISSUE inspection deducts, 0 or more.' })
  minorIssuePenalty: number;

  @Field(() => Float, { description: 'Points a FAIL inspection deducts, 0 or more.' })
  failPenalty: number;

  @Field(() => [IssuePenaltyInput], { description: 'Extra points per issue; issues not listed deduct nothing extra.' })
  issuePenalties: IssuePenaltyInput[];

  @Field(() => Float, { description: 'Score from which a month is QUALIFIED (inclusive); above basicallyQualifiedFrom.' })
  qualifiedFrom: number;

  @Field(() => Float, { description: 'Score from which a month is BASICALLY_QUALIFIED (inclusive).' })
  basicallyQualifiedFrom: number;

  @Field(() => Int, { description: 'This many FAIL inspections in a month make it UNQUALIFIED whatever the score (1 or more).' })
  unqualifiedAtFails: number;

  @Field(() => [InspectionIssue], { description: "Issues that cap a month's grade at BASICALLY_QUALIFIED." })
  capIssues: InspectionIssue[];
}

@ObjectType('SortingStats', { description: 'Monthly sorting figures of a unit, rolled up over everything below it.' })
export class SortingStats {
  @Field(() => OrgUnitRef, { description: 'The unit the figures are for.' })
  orgUnit: OrgUnitRef;

  @Field({ description: 'YYYY-MM' })
  month: string;

  @Field(() => Int, { description: 'Households registered in the unit and below it.' })
  households: number;

  @Field(() => Int, { description: 'Households graded (had evidence).' })
  evaluated: number;

  @Field(() => Int, { description: 'Households with no inspection in the month (not graded).' })
  noEvidence: number;

  @Field(() => Int, { description: 'Households graded QUALIFIED.' })
  qualified: number;

  @Field(() => Int, { description: 'Households graded BASICALLY_QUALIFIED.' })
  basicallyQualified: number;

  @Field(() => Int, { description: 'Households graded UNQUALIFIED.' })
  unqualified: number;

  @Field(() => Float, { nullable: true, description: 'qualified / evaluated; null when nothing was evaluated.' })
  qualifiedRate: number | null;

  @Field(() => Float, { nullable: true, description: 'basicallyQualified / evaluated.' })
  basicallyQualifiedRate: number | null;

  @Field(() => Float, { nullable: true, description: 'unqualified / evaluated.' })
  unqualifiedRate: number | null;

  @Field(() => Float, { nullable: true, description: 'Pass rate (分类质量合格率): (qualified + basicallyQualified) / evaluated.' })
  passRate: number | null;

  @Field(() => Float, { nullable: true, description: 'Coverage: households with evidence / all households.' })
  coverage: number | null;

  @Field(() => Int, { description: 'Households UNQUALIFIED the month before and QUALIFIED this month.' })
  upgrades: number;

  @Field(() => [SortingStats], { description: 'The same figures for each unit directly below (empty for a compound).' })
  children: SortingStats[];
}
