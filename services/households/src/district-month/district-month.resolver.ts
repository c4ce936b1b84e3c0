import { Args, Directive, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { parseMonth, shanghaiMonth } from '#libs/calendar';
import { DomainError } from '#libs/errors';
import { CurrentCaller } from '#libs/platform';
import { DistrictMonthBlocker, districtMonthOf } from '#libs/references';
import { EvaluationRunConnection } from '../evaluation/evaluation.models.js';
import { EvaluationService } from '../evaluation/evaluation.service.js';
import {
  DISTRICT_MONTH_REQUIRES,
  DistrictMonth,
  DistrictMonthArgs,
  DistrictMonthEvaluation,
  DistrictMonthRunsArgs,
  DistrictMonthStage,
  type DistrictMonthSource,
} from './district-month.models.js';
import { DistrictMonthService } from './district-month.service.js';

@Resolver(() => DistrictMonth)
export class DistrictMonthResolver {
  constructor(
    private readonly months: DistrictMonthService,
    private readonly evaluations: EvaluationService,
  ) {}

  @Query(() => DistrictMonth, {
    description:
      "The month's pipeline at a glance, across services: its stage, what blocks it (coded, with a sentence), then each service's part. For district-wide staff with EVALUATION_RUN (DISTRICT_ADMIN) and for platform operators (OPERATOR, MONTH_STATUS_READ: figures and ids only); a street admin is refused OUT_OF_SCOPE, as the notices, vanguard index and exports are the district's.",
  })
  districtMonth(@Args() args: DistrictMonthArgs): DistrictMonthSource {
    const month = parseMonth(args.month);
    if (month > shanghaiMonth()) throw DomainError.badInput(`${month} has not begun`, 'FUTURE_MONTH');
    return { month };
  }

  @ResolveReference()
  resolveReference(reference: DistrictMonthSource): DistrictMonthSource | null {
    return districtMonthOf(reference) ? reference : null;
  }

  @ResolveField(() => DistrictMonthEvaluation, { description: "households' part: runs, grades, publication, objection window." })
  evaluation(@Parent() month: DistrictMonthSource): Promise<DistrictMonthEvaluation> {
    return this.months.evaluation(month.month);
  }

  @ResolveField(() => EvaluationRunConnection, {
    description: "The month's evaluation runs, newest first, scheduled and on demand alike (the evaluationRuns list for one month).",
  })
  runs(
    @Parent() month: DistrictMonthSource,
    @CurrentCaller() caller: Caller,
    @Args() args: DistrictMonthRunsArgs,
  ): Promise<EvaluationRunConnection> {
    return this.evaluations.runs(caller, args, month.month);
  }

  @ResolveField(() => DistrictMonthStage, {
    description: 'The first step of the month not finished: read it first, then blockers.',
  })
  @Directive(`@requires(fields: "${DISTRICT_MONTH_REQUIRES}")`)
  stage(@Parent() month: DistrictMonthSource): Promise<DistrictMonthStage> {
    return this.months.stage(month);
  }

  @ResolveField(() => [DistrictMonthBlocker], {
    description:
      'Why the month does not move, each with a code and a sentence: empty when nothing is stuck. Every service reports its own; at most 10 of a kind are named one by one.',
  })
  @Directive(`@requires(fields: "${DISTRICT_MONTH_REQUIRES}")`)
  blockers(@Parent() month: DistrictMonthSource): Promise<DistrictMonthBlocker[]> {
    return this.months.blockers(month);
  }
}
