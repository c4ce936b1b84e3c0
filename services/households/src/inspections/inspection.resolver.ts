import { Args, Context, Mutation, Parent, Query, ResolveReference, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { CurrentCaller, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { Inspection, InspectionConnection, InspectionsArgs, RecordInspectionInput } from './inspection.models.js';
import { InspectionService } from './inspection.service.js';

@Resolver(() => Inspection)
export class InspectionResolver {
  constructor(private readonly inspectionService: InspectionService) {}

  @Mutation(() => Inspection, {
    description:
      'Records an inspection from a phone. Send the same idempotencyKey on retries: it records once; the same key with a different body is a CONFLICT.',
  })
  recordInspection(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'The household, what was found, when, and the photos.' }) input: RecordInspectionInput,
    @Args('idempotencyKey', { description: 'Send the same key on every retry: the inspection is recorded once.' }) idempotencyKey: string,
  ): Promise<Inspection> {
    input.householdId = requireUuid(input.householdId, 'householdId');
    input.photoIds = input.photoIds.map((id) => requireUuid(id, 'photoIds'));
    return this.inspectionService.record(caller, input, idempotencyKey);
  }

  @Query(() => InspectionConnection, { description: "A household's inspections, newest first." })
  inspections(@CurrentCaller() caller: Caller, @Args() args: InspectionsArgs): Promise<InspectionConnection> {
    args.householdId = requireUuid(args.householdId, 'householdId');
    return this.inspectionService.list(caller, args);
  }

  /** Batched (a page of citizen reports' linked inspections); an inspection of a household outside the caller's reach is null. */
  @ResolveReference()
  resolveReference(@Parent() reference: { id: string }, @Context() context: RequestContext): Promise<Inspection | null> {
    const loader = requestLoader<Inspection>(context, 'Inspection', (ids) => this.inspectionService.findVisible(context.caller, ids));
    return loader.load(reference.id);
  }
}
