import { Args, Context, ID, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { DomainError } from '#libs/errors';
import { CurrentCaller, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { CollectionPointsArgs, CreateCollectionPointInput, UpdateCollectionPointInput } from './collection-point.inputs.js';
import { CollectionPoint, CollectionPointConnection } from './collection-point.model.js';
import { CollectionPointService } from './collection-point.service.js';
import { CalendarDayKind, HolidayCalendar } from './holiday-calendar.js';
import { isOpenAt, shanghaiToday } from './opening-schedule.js';

@Resolver(() => CollectionPoint)
export class CollectionPointResolver {
  constructor(
    private readonly pointService: CollectionPointService,
    private readonly calendar: HolidayCalendar,
  ) {}

  @Query(() => CollectionPoint, { description: 'One collection point; FORBIDDEN when its compound lies outside your territory.' })
  collectionPoint(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The point's id." }, ParseUuidPipe) id: string,
  ): Promise<CollectionPoint> {
    return this.pointService.get(caller, id);
  }

  @Query(() => CollectionPointConnection, { description: 'Collection points (投放点) of the compounds in a unit of your territory.' })
  collectionPoints(@CurrentCaller() caller: Caller, @Args() args: CollectionPointsArgs): Promise<CollectionPointConnection> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.pointService.list(caller, args);
  }

  @Mutation(() => CollectionPoint, { description: 'Creates an active collection point in a compound of your territory.' })
  createCollectionPoint(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'The compound, name, kind, place, streams and opening hours.' }) input: CreateCollectionPointInput,
  ): Promise<CollectionPoint> {
    input.compoundId = requireUuid(input.compoundId, 'compoundId');
    return this.pointService.create(caller, input);
  }

  @Mutation(() => CollectionPoint, {
    description: 'Changes a point; the result is validated as a whole (a 24-hour point carries no windows).',
  })
  updateCollectionPoint(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The point's id." }, ParseUuidPipe) id: string,
    @Args('input', { description: 'The fields to change; omitted ones keep their value.' }) input: UpdateCollectionPointInput,
  ): Promise<CollectionPoint> {
    return this.pointService.update(caller, id, input);
  }

  @Mutation(() => CollectionPoint, { description: 'Takes a point out of service; it stays listed with activeOnly: false.' })
  deactivateCollectionPoint(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The point's id." }, ParseUuidPipe) id: string,
  ): Promise<CollectionPoint> {
    return this.pointService.deactivate(caller, id);
  }

  @ResolveField(() => Boolean, {
    description:
      'Whether the point is open at an instant (default now), reading its hours in Asia/Shanghai; on a HOLIDAY of the ' +
      "district's holiday calendar (holidayCalendar) its holiday noon opening applies too.",
  })
  async openAt(
    @Parent() point: CollectionPoint,
    @Context() context: RequestContext,
    @Args('at', { type: () => Date, nullable: true, description: 'The instant to check (ISO 8601 timestamp); default now.' })
    at?: Date | null,
  ): Promise<boolean> {
    const instant = at ?? new Date();
    if (Number.isNaN(instant.getTime())) throw DomainError.badInput('at must be an ISO date-time', 'INVALID_DATE_TIME');
    // One calendar look-up for all the points and instants of a request.
    const kinds = requestLoader<CalendarDayKind>(context, 'HolidayCalendar.kindsOf', (dates) => this.calendar.kindsOf(dates));
    const kind = await kinds.load(shanghaiToday(instant));
    return isOpenAt(point, instant, kind === CalendarDayKind.HOLIDAY);
  }

  /** Batched; points outside the caller's territory resolve to null. */
  @ResolveReference()
  resolveReference(@Parent() reference: { id: string }, @Context() context: RequestContext): Promise<CollectionPoint | null> {
    const loader = requestLoader<CollectionPoint>(context, 'CollectionPoint', (ids) => this.pointService.findVisible(context.caller, ids));
    return loader.load(reference.id);
  }
}
