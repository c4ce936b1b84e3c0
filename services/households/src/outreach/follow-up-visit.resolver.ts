import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { CurrentCaller, requireUuid } from '#libs/platform';
import { FollowUpVisitService } from './follow-up-visit.service.js';
import { FollowUpVisitsArgs, RecordFollowUpVisitInput } from './outreach.inputs.js';
import { FollowUpVisit, FollowUpVisitConnection } from './outreach.model.js';

@Resolver(() => FollowUpVisit)
export class FollowUpVisitResolver {
  constructor(private readonly visits: FollowUpVisitService) {}

  @Mutation(() => FollowUpVisit, {
    description:
      'Records a follow-up visit (入户回访) under an active claim, by its claimant or a community secretary. ' +
      'Retrying with the same idempotencyKey returns the same visit.',
  })
  recordFollowUpVisit(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'The claim, when the visit was, its outcome and a note.' }) input: RecordFollowUpVisitInput,
    @Args('idempotencyKey', { description: 'Send the same key on every retry: the visit is recorded once.' }) idempotencyKey: string,
  ): Promise<FollowUpVisit> {
    input.claimId = requireUuid(input.claimId, 'claimId');
    return this.visits.record(caller, input, idempotencyKey);
  }

  @Query(() => FollowUpVisitConnection, { description: 'The follow-up visits of one claim, in the order they took place.' })
  followUpVisits(@CurrentCaller() caller: Caller, @Args() args: FollowUpVisitsArgs): Promise<FollowUpVisitConnection> {
    args.claimId = requireUuid(args.claimId, 'claimId');
    return this.visits.list(caller, args);
  }
}
