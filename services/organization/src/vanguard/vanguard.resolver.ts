import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Caller } from '#libs/auth';
import type { ConnectionShape } from '#libs/pagination';
import { CurrentCaller, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { CreateVanguardFormulaInput, UnitAnnualAssessmentArgs, UnitMembersArgs, VanguardRankingArgs } from './vanguard.inputs.js';
import {
  UnitAnnualAssessment,
  UnitAnnualAssessmentConnection,
  VanguardComputation,
  VanguardFormula,
  VanguardIndex,
  VanguardIndexConnection,
  VanguardIndexYear,
  VanguardIndexYearConnection,
} from './vanguard.models.js';
import { VanguardService } from './vanguard.service.js';

@Resolver(() => VanguardIndex)
export class VanguardIndexResolver {
  constructor(private readonly vanguard: VanguardService) {}

  @Query(() => VanguardIndex, { nullable: true, description: "锋领指数: a member's index of a month with its parts; null until computed." })
  vanguardIndex(
    @CurrentCaller() caller: Caller,
    @Args('memberId', { type: () => ID, description: 'The party member.' }, ParseUuidPipe) memberId: string,
    @Args('month', { description: 'YYYY-MM' }) month: string,
  ): Promise<VanguardIndex | null> {
    return this.vanguard.index(caller, memberId, month);
  }

  @Query(() => VanguardIndexYear, { nullable: true, description: "年度锋领指数: the average of a member's monthly scores in a year." })
  vanguardIndexYear(
    @CurrentCaller() caller: Caller,
    @Args('memberId', { type: () => ID, description: 'The party member.' }, ParseUuidPipe) memberId: string,
    @Args('year', { type: () => Int, description: 'The year, e.g. 2026.' }) year: number,
  ): Promise<VanguardIndexYear | null> {
    return this.vanguard.year(caller, memberId, year);
  }

  @Query(() => VanguardIndexConnection, {
    description: "Members of a branch or committee's subtree by their score of the month, best first.",
  })
  vanguardRanking(@CurrentCaller() caller: Caller, @Args() args: VanguardRankingArgs): Promise<VanguardIndexConnection> {
    args.partyOrgId = requireUuid(args.partyOrgId, 'partyOrgId');
    return this.vanguard.ranking(caller, args);
  }

  @Query(() => [VanguardFormula], { description: 'Every version of the vanguard index formula, oldest first.' })
  vanguardFormulas(@CurrentCaller() caller: Caller): Promise<VanguardFormula[]> {
    return this.vanguard.formulas(caller);
  }

  @Mutation(() => VanguardFormula, { description: 'Publishes a new formula version from a future month (district administrators).' })
  createVanguardFormula(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'The first month, the part maxima and points, and why.' }) input: CreateVanguardFormulaInput,
  ): Promise<VanguardFormula> {
    return this.vanguard.createFormula(caller, input);
  }

  @Mutation(() => VanguardComputation, { description: "Computes every party member's index of a month now; repeating it changes nothing." })
  computeVanguardIndex(
    @CurrentCaller() caller: Caller,
    @Args('month', { description: 'YYYY-MM' }) month: string,
  ): Promise<VanguardComputation> {
    return this.vanguard.compute(caller, month);
  }
}

@Resolver(() => UnitAnnualAssessment)
export class UnitAnnualAssessmentResolver {
  constructor(private readonly vanguard: VanguardService) {}

  @Query(() => UnitAnnualAssessmentConnection, {
    description: "单位年度考核: per party organisation (rolled up over its subtree) or per work unit, from its members' yearly index.",
  })
  unitAnnualAssessment(@CurrentCaller() caller: Caller, @Args() args: UnitAnnualAssessmentArgs): Promise<UnitAnnualAssessmentConnection> {
    if (args.partyOrgId) args.partyOrgId = requireUuid(args.partyOrgId, 'partyOrgId');
    if (args.institutionId) args.institutionId = requireUuid(args.institutionId, 'institutionId');
    return this.vanguard.unitAssessment(caller, args);
  }

  @ResolveField(() => VanguardIndexYearConnection, { description: 'The members behind the assessment (those you may see), best first.' })
  async members(
    @Parent() unit: UnitAnnualAssessment,
    @Args() args: UnitMembersArgs,
    @Context() context: RequestContext,
  ): Promise<VanguardIndexYearConnection> {
    // One batch per page of units and page of members asked for: the units of a page share their type and year, and
    // each unit's list is paged by the same first/after, so the whole page's members are one query.
    const batch = JSON.stringify([unit.unitType, unit.year, args.first ?? null, args.after ?? null]);
    const loader = requestLoader<ConnectionShape<VanguardIndexYear>>(context, `UnitAnnualAssessment.members:${batch}`, (unitIds) =>
      this.vanguard.unitMembers(context.caller, { unitType: unit.unitType, year: unit.year, unitIds }, args),
    );
    return (await loader.load(unit.unitId))!;
  }
}
