import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { DomainError } from '#libs/errors';
import { CurrentCaller, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { Household } from '../households/household.model.js';
import { HouseholdService } from '../households/household.service.js';
import {
  DecideGradeObjectionInput,
  FileGradeObjectionInput,
  GradeObjection,
  GradeObjectionConnection,
  GradeObjectionsArgs,
  ObjectionWindow,
} from './objection.models.js';
import { ObjectionService } from './objection.service.js';

@Resolver(() => GradeObjection)
export class ObjectionResolver {
  constructor(
    private readonly objections: ObjectionService,
    private readonly households: HouseholdService,
  ) {}

  @Mutation(() => GradeObjection, {
    description:
      "For a resident: objects to your household's grade of a month, once, while the month's objection window is open; the household's notices wait for the decision. Too late is BAD_USER_INPUT (OBJECTION_WINDOW_CLOSED), another household FORBIDDEN, a second objection CONFLICT (ALREADY_OBJECTED).",
  })
  fileGradeObjection(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'Your household, the month, and why the grade is wrong.' }) input: FileGradeObjectionInput,
  ): Promise<GradeObjection> {
    input.householdId = requireUuid(input.householdId, 'householdId');
    return this.objections.file(caller, input);
  }

  @Mutation(() => GradeObjection, {
    description:
      'For the community secretary: upholds the grade objected to, or corrects it by setting aside the inspections found mistaken (the month is regraded and the notices follow the new grade). Once: again is CONFLICT (ALREADY_DECIDED).',
  })
  decideGradeObjection(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The objection's id; it must be OPEN." }, ParseUuidPipe) id: string,
    @Args('input', { description: 'UPHOLD or CORRECT, your reasons, and the inspections set aside.' }) input: DecideGradeObjectionInput,
  ): Promise<GradeObjection> {
    input.setAsideInspectionIds = input.setAsideInspectionIds.map((inspection) => requireUuid(inspection, 'setAsideInspectionIds'));
    return this.objections.decide(caller, id, input);
  }

  @Query(() => GradeObjection, { description: "One objection: a resident their own household's, a secretary those of their territory." })
  gradeObjection(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The objection's id." }, ParseUuidPipe) id: string,
  ): Promise<GradeObjection> {
    return this.objections.get(caller, id);
  }

  @Query(() => GradeObjectionConnection, {
    description: "Objections, newest month first: a resident's own household's, or those of a unit of your territory.",
  })
  gradeObjections(@CurrentCaller() caller: Caller, @Args() args: GradeObjectionsArgs): Promise<GradeObjectionConnection> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.objections.list(caller, args);
  }

  @Query(() => ObjectionWindow, {
    description: "A district's objection window: days residents have to object after a month's grades are published.",
  })
  objectionWindow(
    @CurrentCaller() caller: Caller,
    @Args('districtId', { type: () => ID, description: 'The district (a DISTRICT org unit).' }, ParseUuidPipe) districtId: string,
  ): Promise<ObjectionWindow> {
    return this.objections.window(caller, districtId);
  }

  @Mutation(() => ObjectionWindow, { description: "Sets a district's objection window (0–30 days) for months published from now on." })
  setObjectionWindow(
    @CurrentCaller() caller: Caller,
    @Args('districtId', { type: () => ID, description: 'The district (a DISTRICT org unit) of your territory.' }, ParseUuidPipe)
    districtId: string,
    @Args('days', { type: () => Int, description: 'Days residents have to object after a month is published, 0–30.' }) days: number,
  ): Promise<ObjectionWindow> {
    return this.objections.setWindow(caller, districtId, days);
  }

  @ResolveField(() => Household, { description: 'The household (户).' })
  async household(@Parent() objection: GradeObjection, @Context() context: RequestContext): Promise<Household> {
    const loader = requestLoader<Household>(context, 'Household', (ids) => this.households.findVisible(context.caller, ids));
    const household = await loader.load(objection.householdId);
    if (!household) throw DomainError.forbidden('That household is outside your territory', 'OUT_OF_SCOPE');
    return household;
  }
}
