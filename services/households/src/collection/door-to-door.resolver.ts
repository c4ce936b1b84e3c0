import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Permission, requirePermission, type Caller } from '#libs/auth';
import { CurrentCaller, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { Household } from '../households/household.model.js';
import { HouseholdService } from '../households/household.service.js';
import { DoorToDoorCollectionStatus } from './collection-enums.js';
import {
  DoorToDoorCollection,
  DoorToDoorCollectionConnection,
  DoorToDoorCollectionsArgs,
  DoorToDoorCollectionStatusChange,
  MyDoorToDoorCollectionsArgs,
  RequestDoorToDoorCollectionInput,
} from './door-to-door.model.js';
import { DoorToDoorCollectionService } from './door-to-door.service.js';

@Resolver(() => DoorToDoorCollection)
export class DoorToDoorCollectionResolver {
  constructor(
    private readonly requests: DoorToDoorCollectionService,
    private readonly households: HouseholdService,
  ) {}

  @Mutation(() => DoorToDoorCollection, {
    description:
      'Asks the property company to collect waste at the door (上门收运). A resident asks for their own household, community ' +
      'staff for households of their territory. Send the same idempotencyKey on every retry of one request.',
  })
  requestDoorToDoorCollection(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'The household, the streams, and when.' }) input: RequestDoorToDoorCollectionInput,
    @Args('idempotencyKey', { description: 'Send the same key on every retry: the request is made once.' }) idempotencyKey: string,
  ): Promise<DoorToDoorCollection> {
    input.householdId = requireUuid(input.householdId, 'householdId');
    return this.requests.request(caller, input, idempotencyKey);
  }

  @Mutation(() => DoorToDoorCollection, {
    description:
      'Moves a request on: REQUESTED → ACCEPTED → COMPLETED, REQUESTED/ACCEPTED → CANCELLED, REQUESTED → REJECTED (note gives ' +
      'the reason). Anything else is BAD_USER_INPUT (INVALID_TRANSITION); losing a race with another change is CONFLICT (STATUS_CHANGED).',
  })
  updateDoorToDoorCollection(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The request's id." }, ParseUuidPipe) id: string,
    @Args('status', {
      type: () => DoorToDoorCollectionStatus,
      description: 'The next status (ACCEPTED, COMPLETED or CANCELLED); only allowed moves are accepted.',
    })
    status: DoorToDoorCollectionStatus,
    @Args('note', { type: () => String, nullable: true, description: 'A note for the household, up to 500 characters.' })
    note?: string | null,
  ): Promise<DoorToDoorCollection> {
    return this.requests.update(caller, id, status, note);
  }

  @Mutation(() => DoorToDoorCollection, { description: 'The requester withdraws a request that is not completed yet.' })
  cancelDoorToDoorCollection(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The request's id." }, ParseUuidPipe) id: string,
    @Args('note', { type: () => String, nullable: true, description: 'Why it is withdrawn, up to 500 characters.' }) note?: string | null,
  ): Promise<DoorToDoorCollection> {
    return this.requests.cancel(caller, id, note);
  }

  @Query(() => DoorToDoorCollection, {
    description: 'One request: a resident’s own household’s, or one of your territory for staff who handle them.',
  })
  doorToDoorCollection(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The request's id." }, ParseUuidPipe) id: string,
  ): Promise<DoorToDoorCollection> {
    requirePermission(caller, caller.householdId !== null ? Permission.COLLECTION_REQUEST_CREATE : Permission.COLLECTION_REQUEST_HANDLE);
    return this.requests.get(caller, id);
  }

  @Query(() => DoorToDoorCollectionConnection, {
    description: 'Door-to-door collection requests of households in your territory, by preferred date.',
  })
  doorToDoorCollections(@CurrentCaller() caller: Caller, @Args() args: DoorToDoorCollectionsArgs): Promise<DoorToDoorCollectionConnection> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    if (args.householdId) args.householdId = requireUuid(args.householdId, 'householdId');
    return this.requests.list(caller, args);
  }

  @Query(() => DoorToDoorCollectionConnection, { description: 'A resident’s own household’s requests, by preferred date.' })
  myDoorToDoorCollections(
    @CurrentCaller() caller: Caller,
    @Args() args: MyDoorToDoorCollectionsArgs,
  ): Promise<DoorToDoorCollectionConnection> {
    return this.requests.listOwn(caller, args);
  }

  @ResolveField(() => Household, {
    nullable: true,
    description: 'The household; its address is masked unless your role may read personal data.',
  })
  household(@Parent() request: DoorToDoorCollection, @Context() context: RequestContext): Promise<Household | null> {
    const loader = requestLoader<Household>(context, 'Household', (ids) => this.households.findVisible(context.caller, ids));
    return loader.load(request.householdId);
  }

  @ResolveField(() => [DoorToDoorCollectionStatusChange], { description: 'Every status change, oldest first.' })
  async history(@Parent() request: DoorToDoorCollection, @Context() context: RequestContext): Promise<DoorToDoorCollectionStatusChange[]> {
    const loader = requestLoader<DoorToDoorCollectionStatusChange[]>(context, 'DoorToDoorCollectionHistory', (ids) =>
      this.requests.historyOf(ids),
    );
    return (await loader.load(request.id)) ?? [];
  }
}
