import { ArgsType, Field, Float, ID, InputType } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { AppealOutcome, CaseState, CaseTargetKind } from './case-enums.js';

@InputType({ description: 'A new enforcement case: whom it is against, where, which article was violated, and the evidence.' })
export class OpenCaseInput {
  @Field(() => CaseTargetKind, { description: 'Who the case is against; decides which of householdId and institutionId is required.' })
  targetKind: CaseTargetKind;

  @Field(() => ID, {
    nullable: true,
    description:
      'Required for HOUSEHOLD, refused otherwise. A registered household (else NOT_FOUND) inside your territory (else FORBIDDEN OUT_OF_SCOPE); ' +
      'orgUnitId must be its compound or a unit containing it (else BAD_USER_INPUT LOCATION_NOT_HOUSEHOLDS).',
  })
  householdId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The property company or unit (an institution); required for PROPERTY_COMPANY and UNIT.',
  })
  institutionId?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'HOUSEHOLD only. Accepted for compatibility and ignored: the case keeps whether the household is floating population (流动人口) as ' +
      "enforcement's copy of the households registry has it when the case is opened (see Case.floatingPopulation); it decides whether an export goes to the points system.",
  })
  floatingPopulation?: boolean | null;

  @Field(() => ID, { description: 'Where the violation was found (a compound, community, …) inside your territory.' })
  orgUnitId: string;

  @Field({ description: 'Code of the regulation article violated (see regulationArticles); it must apply to the target kind.' })
  articleCode: string;

  @Field({ description: 'What was found, 1–2000 characters. No resident names: the household id identifies the household.' })
  evidenceDescription: string;

  @Field(() => [ID], { nullable: true, description: 'Photos: your own uploads (POST /uploads), each evidence of one record only.' })
  evidenceUploadIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Inspections (households service) in which the violation was found.' })
  evidenceInspectionIds?: string[] | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "A joint action's finding (recordActionFinding) this case follows up: its target must be the case's (the household, the property " +
      'company, or the unit where it was found); its photos join the evidence. A finding becomes at most one case (CONFLICT FINDING_ALREADY_OPENED).',
  })
  actionFindingId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "A citizen report (e.g. an observer's) this case is opened from: verified by a handler (else CONFLICT REPORT_NOT_VERIFIED), of your territory, " +
      "about a compound where orgUnitId is that compound or contains it and, for a household, the household's compound (else BAD_USER_INPUT " +
      'REPORT_LOCATION_MISMATCH); its photos join the evidence. A report becomes evidence once (CONFLICT REPORT_ALREADY_EVIDENCE). Not with actionFindingId.',
  })
  citizenReportId?: string | null;
}

@ArgsType()
export class CasesArgs extends PageArgs {
  @Field(() => CaseState, { nullable: true, description: 'Only cases in this state.' })
  state?: CaseState | null;

  @Field(() => CaseTargetKind, { nullable: true, description: 'Only cases against this kind of target.' })
  targetKind?: CaseTargetKind | null;

  @Field(() => ID, { nullable: true, description: 'Only cases found in this unit or below it.' })
  orgUnitId?: string | null;
}

@ArgsType()
export class IssueRectificationNoticeArgs {
  @Field(() => ID, { description: "The case's id; it must be OPENED." })
  caseId: string;

  @Field(() => LocalDateScalar, { description: 'Comply-by date (Asia/Shanghai), after today and at most a year ahead.' })
  complyBy: string;

  @Field({ description: 'Text of the notice, 1–2000 characters.' })
  notice: string;
}

@ArgsType()
export class RecordFollowUpArgs {
  @Field(() => ID, { description: "The case's id; it must be FOLLOW_UP_DUE." })
  caseId: string;

  @Field({ description: 'True when the follow-up found the violation rectified (the case closes); false makes it NOT_RECTIFIED.' })
  complied: boolean;

  @Field(() => String, { nullable: true, description: 'What the follow-up found, up to 2000 characters.' })
  note?: string | null;
}

@ArgsType()
export class PenaliseArgs {
  @Field(() => ID, { description: "The case's id; it must be NOT_RECTIFIED." })
  caseId: string;

  @Field(() => Float, { description: "CNY, within the article's range, at most two decimals." })
  amount: number;

  @Field({ description: 'Reasons of the decision, 1–2000 characters.' })
  decisionNote: string;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'Date of the penalty decision (Asia/Shanghai; default today; not in the future): the appeal window counts from it.',
  })
  decidedOn?: string | null;
}

@ArgsType()
export class AppealPenaltyArgs {
  @Field(() => ID, { description: "The case's id; it must be PENALISED and within its appeal window." })
  caseId: string;

  @Field({ description: '1–2000 characters.' })
  grounds: string;
}

@ArgsType()
export class DecideAppealArgs {
  @Field(() => ID, { description: "The case's id; it must be APPEALED." })
  caseId: string;

  @Field(() => AppealOutcome, { description: 'UPHELD keeps the penalty (it becomes final); OVERTURNED cancels it.' })
  outcome: AppealOutcome;

  @Field({ description: '1–2000 characters.' })
  hearingNote: string;
}

@ArgsType()
export class RevokePenaltyArgs {
  @Field(() => ID, { description: "The case's id; it must be PENALISED or UPHELD." })
  caseId: string;

  @Field({ description: 'Why the penalty is withdrawn (e.g. a reconsideration or court decision), 1–2000 characters.' })
  note: string;
}

@ArgsType()
export class AssessmentArgs extends PageArgs {
  @Field({ description: 'YYYY-MM (Asia/Shanghai).' })
  month: string;

  @Field(() => ID, { nullable: true, description: 'Only this street (of your territory).' })
  streetId?: string | null;
}
