import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { parseMonth } from '#libs/calendar';
import { PageArgs } from '#libs/pagination';
import { CurrentCaller, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { Household } from '../households/household.model.js';
import { EvaluationTrigger } from './evaluation-enums.js';
import {
  CreateGradingRuleSetInput,
  EvaluationRun,
  EvaluationRunConnection,
  EvaluationRunsArgs,
  GradingRuleSet,
  GradingRuleSetConnection,
  HouseholdGradesArgs,
  MonthlyGrade,
  MonthlyGradeConnection,
  SortingStats,
} from './evaluation.models.js';
import { EvaluationService } from './evaluation.service.js';
import { RuleSetService } from './rule-set.service.js';
import { StatsService } from './stats.service.js';

@Resolver()
export class EvaluationResolver {
  constructor(
    private readonly evaluation: EvaluationService,
    private readonly ruleSets: RuleSetService,
    private readonly stats: StatsService,
  ) {}

  @Mutation(() => EvaluationRun, {
    description: 'Grades a month (YYYY-MM) for a unit of your territory now. Safe to repeat: only wrong grades change.',
  })
  runMonthlyEvaluation(
    @CurrentCaller() caller: Caller,
    @Args('month', { description: 'The month to grade, YYYY-MM (Asia/Shanghai); not in the future.' }) month: string,
    @Args(
      'orgUnitId',
      { type: () => ID, description: 'A unit of your territory: its households and those below it are graded.' },
      ParseUuidPipe,
    )
    orgUnitId: string,
  ): Promise<EvaluationRun> {
    return this.evaluation.requestRun(caller, month, orgUnitId, EvaluationTrigger.MANUAL);
  }

  @Query(() => EvaluationRun, { description: 'Status and progress of an evaluation run.' })
  evaluationRun(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The run's id, as runMonthlyEvaluation returned it." }, ParseUuidPipe) id: string,
  ): Promise<EvaluationRun> {
    return this.evaluation.run(caller, id);
  }

  @Query(() => EvaluationRunConnection, {
    description:
      "Evaluation runs of your territory, newest first: the monthly schedule's and those started on demand, with their progress, times and failure reason. A run is of your territory when the unit it grades lies inside it (a street admin does not see the district-wide scheduled run).",
  })
  evaluationRuns(@CurrentCaller() caller: Caller, @Args() args: EvaluationRunsArgs): Promise<EvaluationRunConnection> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.evaluation.runs(caller, args);
  }

  @Query(() => MonthlyGrade, {
    nullable: true,
    description: "A household's grade of a month, with its reasons; null when not evaluated yet. Residents may read their own.",
  })
  householdGrade(
    @CurrentCaller() caller: Caller,
    @Args('householdId', { type: () => ID, description: 'The household (residents: their own).' }, ParseUuidPipe) householdId: string,
    @Args('month', { description: 'YYYY-MM (Asia/Shanghai).' }) month: string,
  ): Promise<MonthlyGrade | null> {
    return this.evaluation.grade(caller, householdId, month);
  }

  @Query(() => MonthlyGradeConnection, { description: "A household's grades, newest month first." })
  householdGrades(@CurrentCaller() caller: Caller, @Args() args: HouseholdGradesArgs): Promise<MonthlyGradeConnection> {
    args.householdId = requireUuid(args.householdId, 'householdId');
    return this.evaluation.history(caller, args);
  }

  @Query(() => SortingStats, {
    description: 'Households, grades, pass rate, coverage and upgrades of a unit for a month, with the units below it.',
  })
  sortingStats(
    @CurrentCaller() caller: Caller,
    @Args('orgUnitId', { type: () => ID, description: 'A unit of your territory.' }, ParseUuidPipe) orgUnitId: string,
    @Args('month', { description: 'YYYY-MM (Asia/Shanghai).' }) month: string,
  ): Promise<SortingStats> {
    return this.stats.sortingStats(caller, orgUnitId, month);
  }

  @Query(() => GradingRuleSetConnection, { description: 'Versions of the grading rules, newest first.' })
  gradingRuleSets(@Args() args: PageArgs): Promise<GradingRuleSetConnection> {
    return this.ruleSets.list(args);
  }

  @Mutation(() => GradingRuleSet, { description: 'Publishes a new version of the grading rules for a district, from a month on.' })
  createGradingRuleSet(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'The district, the first month, the penalties and thresholds, and why.' })
    input: CreateGradingRuleSetInput,
  ): Promise<GradingRuleSet> {
    input.districtId = requireUuid(input.districtId, 'districtId');
    return this.ruleSets.create(caller, input);
  }
}

@Resolver(() => Household)
export class HouseholdGradeResolver {
  constructor(private readonly evaluation: EvaluationService) {}

  @ResolveField(() => MonthlyGrade, { nullable: true, description: 'The grade of a month (YYYY-MM); batched over a page of households.' })
  grade(
    @Parent() household: Household,
    @Args('month', { description: 'YYYY-MM (Asia/Shanghai).' }) month: string,
    @Context() context: RequestContext,
  ): Promise<MonthlyGrade | null> {
    const valid = parseMonth(month);
    const loader = requestLoader<MonthlyGrade>(context, `GradeOfMonth:${valid}`, (ids) => this.evaluation.gradesFor(ids, valid));
    return loader.load(household.id);
  }
}
