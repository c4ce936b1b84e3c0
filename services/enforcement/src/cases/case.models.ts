import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { InstitutionRef, OrgUnitRef } from '#libs/references';
import {
  APPEAL_OUTCOME_LABEL_ZH,
  AppealOutcome,
  CASE_STATE_LABEL_ZH,
  CASE_TARGET_KIND_LABEL_ZH,
  CaseState,
  CaseTargetKind,
} from './case-enums.js';
import { PropertyAssessmentWeights } from './property-assessment-rules.models.js';

/** A case as read from SQL (see CASE_COLUMNS). */
export interface CaseRow {
  id: string;
  targetKind: CaseTargetKind;
  householdId: string | null;
  institutionId: string | null;
  floatingPopulation: boolean;
  orgUnitId: string;
  articleCode: string;
  articleTitleZh: string;
  minFine: string;
  maxFine: string;
  appealWindowDays: number;
  evidenceDescription: string;
  evidenceUploadIds: string[];
  evidenceInspectionIds: string[];
  actionFindingId: string | null;
  citizenReportId: string | null;
  state: CaseState;
  openedAt: Date;
  openedBy: string;
  complyBy: string | null;
  noticeText: string | null;
  complied: boolean | null;
  followUpNote: string | null;
  fineAmount: string | null;
  penaltyDecidedOn: string | null;
  penaltyNote: string | null;
  appealDeadline: string | null;
  appealGrounds: string | null;
  appealedAt: Date | null;
  appealOutcome: AppealOutcome | null;
  hearingNote: string | null;
  appealDecidedAt: Date | null;
  /** A credit/points record exists for the case (the scan judged its penalty final). */
  exported: boolean;
  /** The inspection households reported for the follow-up, if any (case_follow_up_task). */
  followUpInspectionId: string | null;
  followUpInspectionResult: FollowUpInspectionResult | null;
  followUpInspectedAt: Date | null;
}

export enum FollowUpInspectionResult {
  PASS = 'PASS',
  MINOR_ISSUE = 'MINOR_ISSUE',
  FAIL = 'FAIL',
}
registerEnumType(FollowUpInspectionResult, {
  name: 'FollowUpInspectionResult',
  description: "An inspection's result as households reports it for a case's follow-up (合格 / 轻微问题 / 不合格).",
  valuesMap: {
    PASS: { description: '合格: the household sorted correctly.' },
    MINOR_ISSUE: { description: '轻微问题: small sorting mistakes.' },
    FAIL: { description: '不合格: the household did not sort.' },
  },
});

@ObjectType({
  description:
    "The community's inspection of a household on or after its case's comply-by date, as households reported it. Information for the officer: the case is decided by recordFollowUp, never by this.",
})
export class FollowUpInspection {
  @Field(() => ID, { description: 'The inspection (households service).' })
  inspectionId: string;

  @Field(() => FollowUpInspectionResult, { description: 'What the inspection found.' })
  result: FollowUpInspectionResult;

  @Field({ description: 'When the household was inspected (ISO 8601 timestamp).' })
  inspectedAt: Date;
}

@ObjectType({ description: 'An article of the regulations a case cites, with the range of fines it allows.' })
export class RegulationArticle {
  @Field({ description: 'Stable code of the article, as cases cite it (articleCode).' })
  code: string;

  @Field({ description: "The article's Chinese title, as the regulation words it." })
  titleZh: string;

  @Field(() => [CaseTargetKind], { description: 'The kinds of target a case citing this article may be against.' })
  targetKinds: CaseTargetKind[];

  @Field(() => Float, { description: 'Smallest fine, CNY.' })
  minFine: number;

  @Field(() => Float, { description: 'Largest fine, CNY.' })
  maxFine: number;

  @Field(() => Int, { description: 'Days after the penalty decision in which an appeal is accepted (the decision day is day 0).' })
  appealWindowDays: number;
}

@ObjectType({ description: 'What was found when the case was opened: a description, photos and inspections.' })
export class CaseEvidence {
  @Field({ description: 'What was found, in the words of whoever opened the case (no resident names).' })
  description: string;

  @Field(() => [ID], { description: 'Photo uploads (households service).' })
  uploadIds: string[];

  @Field(() => [ID], { description: 'Inspections (households service) the violation was found in.' })
  inspectionIds: string[];
}

@ObjectType({ description: 'One transition of a case: who made it, when, and why.' })
export class CaseHistoryEntry {
  @Field(() => ID, { description: 'Stable id of the history entry.' })
  id: string;

  @Field(() => CaseState, { nullable: true, description: 'Null for the opening.' })
  fromState: CaseState | null;

  @Field(() => CaseState, { description: 'The state the case moved to.' })
  toState: CaseState;

  @Field({ description: 'The Chinese name of toState.' })
  toStateLabelZh: string;

  @Field({ description: 'When the transition happened (ISO 8601 timestamp).' })
  at: Date;

  @Field({ description: 'User id of the caller, or job:<id> for the scheduled follow-up.' })
  actor: string;

  @Field(() => String, {
    nullable: true,
    description: 'The note given with the transition (notice text, follow-up note, decision reasons, …), if any.',
  })
  note: string | null;
}

@ObjectType('Case', {
  description:
    'A violation against a household, a property company or a unit, and its due process. Household cases carry the household id only: no resident names.',
})
export class Case {
  @Field(() => ID, { description: 'Stable id of the case.' })
  id: string;

  @Field(() => CaseTargetKind, { description: 'Who the case is against.' })
  targetKind: CaseTargetKind;

  @Field({ description: 'The Chinese name of targetKind.' })
  targetKindLabelZh: string;

  @Field(() => ID, { nullable: true, description: 'For HOUSEHOLD cases.' })
  householdId: string | null;

  @Field(() => InstitutionRef, { nullable: true, description: 'For PROPERTY_COMPANY and UNIT cases.' })
  institution: InstitutionRef | null;

  @Field({
    description:
      'The household is floating population (流动人口), as the households registry had it when the case was opened: exports go to the points system.',
  })
  floatingPopulation: boolean;

  @Field(() => OrgUnitRef, { description: 'Where the violation was found (decides who may see and manage the case).' })
  orgUnit: OrgUnitRef;

  @Field(() => RegulationArticle, { description: 'The regulation article violated, with its fine range and appeal window.' })
  article: RegulationArticle;

  @Field(() => CaseEvidence, { description: 'What was found when the case was opened.' })
  evidence: CaseEvidence;

  @Field(() => ID, { nullable: true, description: "The joint action's finding (管执联动发现) this case follows up, if any." })
  actionFindingId: string | null;

  @Field(() => ID, { nullable: true, description: 'The verified citizen report this case was opened from, if any (see citizenReport).' })
  citizenReportId: string | null;

  @Field(() => CaseState, { description: 'Where the case is in its procedure.' })
  state: CaseState;

  @Field({ description: 'The Chinese name of state.' })
  stateLabelZh: string;

  @Field({ description: 'When the case was opened (ISO 8601 timestamp).' })
  openedAt: Date;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Comply-by date of the rectification notice (Asia/Shanghai).' })
  complyBy: string | null;

  @Field(() => String, { nullable: true, description: 'Text of the rectification notice, once issued.' })
  notice: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Outcome of the follow-up inspection.' })
  complied: boolean | null;

  @Field(() => String, { nullable: true, description: 'What the follow-up found, once recorded.' })
  followUpNote: string | null;

  @Field(() => FollowUpInspection, {
    nullable: true,
    description:
      "The community's follow-up inspection of a HOUSEHOLD case's household, once households reports one (on or after complyBy). Informs the officer; recordFollowUp decides.",
  })
  followUpInspection: FollowUpInspection | null;

  @Field(() => Float, { nullable: true, description: 'Fine, CNY.' })
  fineAmount: number | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'Date of the penalty decision (Asia/Shanghai); the appeal window counts from it.',
  })
  penaltyDecidedOn: string | null;

  @Field(() => String, { nullable: true, description: 'Reasons of the penalty decision.' })
  penaltyNote: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day an appeal is accepted (Asia/Shanghai).' })
  appealDeadline: string | null;

  @Field(() => String, { nullable: true, description: 'The grounds of the appeal, once appealed.' })
  appealGrounds: string | null;

  @Field(() => Date, { nullable: true, description: 'When the penalty was appealed (ISO 8601 timestamp).' })
  appealedAt: Date | null;

  @Field(() => AppealOutcome, { nullable: true, description: 'The decision on the appeal, once decided.' })
  appealOutcome: AppealOutcome | null;

  @Field(() => String, { nullable: true, description: 'The Chinese name of appealOutcome.' })
  appealOutcomeLabelZh: string | null;

  @Field(() => String, { nullable: true, description: "The hearing's note behind the appeal decision." })
  hearingNote: string | null;

  @Field(() => Date, { nullable: true, description: 'When the appeal was decided (ISO 8601 timestamp).' })
  appealDecidedAt: Date | null;

  static from(row: CaseRow): Case {
    return Object.assign(new Case(), {
      id: row.id,
      targetKind: row.targetKind,
      targetKindLabelZh: CASE_TARGET_KIND_LABEL_ZH[row.targetKind],
      householdId: row.householdId,
      institution: row.institutionId ? InstitutionRef.of(row.institutionId) : null,
      floatingPopulation: row.floatingPopulation,
      orgUnit: OrgUnitRef.of(row.orgUnitId),
      article: Object.assign(new RegulationArticle(), {
        code: row.articleCode,
        titleZh: row.articleTitleZh,
        minFine: Number(row.minFine),
        maxFine: Number(row.maxFine),
        appealWindowDays: row.appealWindowDays,
        targetKinds: [],
      }),
      evidence: Object.assign(new CaseEvidence(), {
        description: row.evidenceDescription,
        uploadIds: row.evidenceUploadIds,
        inspectionIds: row.evidenceInspectionIds,
      }),
      actionFindingId: row.actionFindingId,
      citizenReportId: row.citizenReportId,
      state: row.state,
      stateLabelZh: CASE_STATE_LABEL_ZH[row.state],
      openedAt: row.openedAt,
      complyBy: row.complyBy,
      notice: row.noticeText,
      complied: row.complied,
      followUpNote: row.followUpNote,
      followUpInspection: row.followUpInspectionId
        ? Object.assign(new FollowUpInspection(), {
            inspectionId: row.followUpInspectionId,
            result: row.followUpInspectionResult,
            inspectedAt: row.followUpInspectedAt,
          })
        : null,
      fineAmount: row.fineAmount === null ? null : Number(row.fineAmount),
      penaltyDecidedOn: row.penaltyDecidedOn,
      penaltyNote: row.penaltyNote,
      appealDeadline: row.appealDeadline,
      appealGrounds: row.appealGrounds,
      appealedAt: row.appealedAt,
      appealOutcome: row.appealOutcome,
      appealOutcomeLabelZh: row.appealOutcome ? APPEAL_OUTCOME_LABEL_ZH[row.appealOutcome] : null,
      hearingNote: row.hearingNote,
      appealDecidedAt: row.appealDecidedAt,
    });
  }
}

@ObjectType({
  description: 'A page of Case items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class CaseConnection extends Connection(Case, 'Case') {}

@ObjectType('PropertyAssessmentParts', { description: 'Each part of a property company’s score, 0–100 (see PropertyAssessmentWeights).' })
export class PropertyAssessmentParts {
  @Field(() => Float, { description: '100 − 2 × opened − 5 × not rectified − 10 × penalised, at least 0.' })
  cases: number;

  @Field(() => Float, { description: 'Share of the month’s follow-ups that found the violation rectified; 100 without follow-ups.' })
  rectification: number;

  @Field(() => Float, { description: 'Share of its households graded QUALIFIED or BASICALLY_QUALIFIED; 100 before the month is graded.' })
  compoundPassRate: number;

  @Field(() => Float, { description: '100 − 5 × citizen reports about its compounds, at least 0.' })
  citizenReports: number;
}

@ObjectType({
  description:
    "A property company's monthly assessment in one street (物业管理考核), under the street's rules in force for the month: the " +
    'weighted sum of its parts (cases, rectification, compound pass rate, citizen reports), rounded.',
})
export class PropertyCompanyAssessment {
  @Field(() => ID, { description: 'Id of the property company (an institution).' })
  institutionId: string;

  @Field(() => InstitutionRef, { description: 'The property company assessed.' })
  institution: InstitutionRef;

  @Field({ description: 'YYYY-MM (Asia/Shanghai).' })
  month: string;

  @Field(() => OrgUnitRef, {
    nullable: true,
    description: 'The street whose cases, compounds and rules these are; null when the company had nothing in the month.',
  })
  street: OrgUnitRef | null;

  @Field(() => Int, { description: "The monthly score, 0–100: the parts weighted by the street's rules and rounded." })
  score: number;

  @Field(() => Int, { description: "The version of the street's assessment rules used." })
  ruleSetVersion: number;

  @Field(() => PropertyAssessmentWeights, { description: 'The weights of the parts in the score, from the rules used.' })
  weights: PropertyAssessmentWeights;

  @Field(() => PropertyAssessmentParts, { description: 'The four parts of the score, each 0–100.' })
  parts: PropertyAssessmentParts;

  @Field(() => Int, { description: 'Cases opened in the month.' })
  casesOpened: number;

  @Field(() => Int, { description: 'Cases whose follow-up in the month found the violation not rectified.' })
  casesNotRectified: number;

  @Field(() => Int, { description: 'Cases whose follow-up in the month found the violation rectified (closed).' })
  casesRectified: number;

  @Field(() => Int, { description: 'Penalties decided in the month and not since overturned or revoked.' })
  casesPenalised: number;

  @Field(() => Int, { description: 'Households of its compounds graded in the month (with evidence).' })
  householdsGraded: number;

  @Field(() => Int, { description: 'Of them, QUALIFIED or BASICALLY_QUALIFIED.' })
  householdsPassed: number;

  @Field(() => Int, { description: 'Citizen reports about its compounds submitted in the month (rejected and duplicates left out).' })
  citizenReports: number;

  @Field(() => [Case], { description: 'The cases counted (each once, however many parts it counts in).' })
  cases: Case[];
}

@ObjectType({
  description:
    'A page of PropertyCompanyAssessment items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class PropertyCompanyAssessmentConnection extends Connection(PropertyCompanyAssessment, 'PropertyCompanyAssessment') {}
