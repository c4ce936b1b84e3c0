import { ArgsType, Directive, Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DISTRICT_MONTH_DESCRIPTION, DistrictMonthBlocker } from '#libs/references';
import { EvaluationRunFilterArgs } from '../evaluation/evaluation.models.js';

/** Where a district's month is, read from households' own steps and what the other services report (@requires). */
export enum DistrictMonthStage {
  NOT_STARTED = 'NOT_STARTED',
  EVALUATING = 'EVALUATING',
  OBJECTIONS_OPEN = 'OBJECTIONS_OPEN',
  FOLLOWING_UP = 'FOLLOWING_UP',
  DONE = 'DONE',
}

registerEnumType(DistrictMonthStage, {
  name: 'DistrictMonthStage',
  description: "The first step of a district's month that is not finished; blockers say why it does not move.",
  valuesMap: {
    NOT_STARTED: { description: 'No evaluation run of the month yet (the schedule starts one on the 1st at 02:00).' },
    EVALUATING: { description: 'Runs grade the month; its grades are not published yet.' },
    OBJECTIONS_OPEN: { description: 'Grades published; households may object until the window closes (notices wait for it).' },
    FOLLOWING_UP: { description: 'The window closed: notices are made and delivered, the vanguard index is computed.' },
    DONE: { description: 'Notices made and none pending or waiting, the vanguard index computed.' },
  },
});

@ObjectType({ description: "households' part of a district's month: its runs, its grades, their publication and objection window." })
export class DistrictMonthEvaluation {
  @Field(() => Int, { description: 'Households registered now.' })
  households: number;

  @Field(() => Int, { description: 'Households with a grade of the month (had evidence).' })
  graded: number;

  @Field(() => Int, { description: 'Households evaluated without evidence (no grade).' })
  noEvidence: number;

  @Field({ description: "Whether a run over the district completed the month and published its grades (the month's announcement)." })
  published: boolean;

  @Field(() => Date, { nullable: true, description: 'When the grades were published, which is when the objection window opened.' })
  publishedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the objection window closes (or closed); null before publication.' })
  objectionWindowClosesAt: Date | null;

  @Field({ description: 'Whether households may object to their grade of the month now.' })
  objectionWindowOpen: boolean;

  @Field(() => Int, { description: 'Objections to grades of the month not decided yet.' })
  openObjections: number;

  @Field(() => Int, { description: 'Runs of the month (any unit, any trigger).' })
  runCount: number;

  @Field(() => Int, { description: 'Runs of the month queued or running now.' })
  runsInProgress: number;

  @Field(() => Int, { description: 'Runs of the month that failed.' })
  runsFailed: number;
}

@ArgsType()
export class DistrictMonthArgs {
  @Field({ description: 'The month, YYYY-MM (Asia/Shanghai); not in the future.' })
  month: string;
}

@ArgsType()
export class DistrictMonthRunsArgs extends EvaluationRunFilterArgs {}

// ── what households requires of the other services (their fields, @external here) ─────────────────────────────────

@ObjectType('DistrictMonthNotices', { description: "notifications' part of a district's month: notices made, waiting, delivered." })
export class DistrictMonthNoticesRequired {
  @Field({ description: 'Whether notifications has recorded the month as evaluated (households announced it).' })
  @Directive('@external')
  monthReceived: boolean;

  @Field({ description: "Whether the month's notices have been made (for every district that announced it)." })
  @Directive('@external')
  generated: boolean;

  @Field(() => Int, { description: 'Notices not sent yet: waiting for the objection window, an API fetch or a webhook attempt.' })
  @Directive('@external')
  pending: number;

  @Field(() => Int, { description: 'Residents whose notices wait for an institution (see waiting).' })
  @Directive('@external')
  residentsWaiting: number;

  @Field(() => [DistrictMonthBlocker], {
    description: 'What holds the notices up, coded; at most 10 institutions of a kind named one by one, the rest counted in one more.',
  })
  @Directive('@external')
  blockers: DistrictMonthBlocker[];
}

@ObjectType('DistrictMonthVanguard', {
  description: "organization's part of a district's month: the vanguard index (先锋指数) of its party members.",
})
export class DistrictMonthVanguardRequired {
  @Field({ description: "Whether the month's vanguard index is computed (true too when there is no party member to score)." })
  @Directive('@external')
  scored: boolean;
}

@ObjectType('DistrictMonthCreditExports', {
  description: "enforcement's part of a district's month: the credit/points exports recorded in the month (Asia/Shanghai).",
})
export class DistrictMonthCreditExportsRequired {
  @Field(() => Int, { description: 'Exports that failed for good (FAILED); see creditExports(state: FAILED).' })
  @Directive('@external')
  failed: number;
}

export const DISTRICT_MONTH_REQUIRES =
  'notices { monthReceived generated pending residentsWaiting blockers { code message subjectId count } } vanguard { scored } creditExports { failed }';

/** A DistrictMonth as households holds it: the key, and (when the gateway asks for the summary) the required fields. */
export interface DistrictMonthSource {
  month: string;
  notices?: DistrictMonthNoticesRequired;
  vanguard?: DistrictMonthVanguardRequired;
  creditExports?: DistrictMonthCreditExportsRequired;
}

@ObjectType('DistrictMonth', { description: DISTRICT_MONTH_DESCRIPTION })
@Directive('@key(fields: "month")')
export class DistrictMonth {
  @Field({ description: 'YYYY-MM (Asia/Shanghai).' })
  month: string;

  @Field(() => DistrictMonthNoticesRequired, {
    description: "notifications' part: notices made, delivered, failed, and those waiting for an institution, with why.",
  })
  @Directive('@external')
  notices: DistrictMonthNoticesRequired;

  @Field(() => DistrictMonthVanguardRequired, { description: "organization's part: whether the month's vanguard index is computed." })
  @Directive('@external')
  vanguard: DistrictMonthVanguardRequired;

  @Field(() => DistrictMonthCreditExportsRequired, {
    description: "enforcement's part: the month's credit/points exports due, sent and failed.",
  })
  @Directive('@external')
  creditExports: DistrictMonthCreditExportsRequired;
}
