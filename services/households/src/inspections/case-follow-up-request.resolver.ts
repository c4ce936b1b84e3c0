import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { DomainError } from '#libs/errors';
import { CurrentCaller, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { Household } from '../households/household.model.js';
import { HouseholdService } from '../households/household.service.js';
import { CaseFollowUpRequest, CaseFollowUpRequestConnection, CaseFollowUpRequestsArgs } from './case-follow-up-request.models.js';
import { CaseFollowUpRequestService } from './case-follow-up-request.service.js';

@Resolver(() => CaseFollowUpRequest)
export class CaseFollowUpRequestResolver {
  constructor(
    private readonly requests: CaseFollowUpRequestService,
    private readonly households: HouseholdService,
  ) {}

  @Query(() => CaseFollowUpRequestConnection, {
    description:
      "Cases' follow-up inspections asked of the community (复查), for households in a unit of your territory, earliest due date first. For those who record inspections (INSPECTION_RECORD).",
  })
  caseFollowUpRequests(@CurrentCaller() caller: Caller, @Args() args: CaseFollowUpRequestsArgs): Promise<CaseFollowUpRequestConnection> {
    // Whoever may record the inspection sees the request, inside the same territory as recordInspection allows.
    args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.requests.list(caller, args);
  }

  @ResolveField(() => Household, { description: 'The household to inspect (户).' })
  async household(@Parent() request: CaseFollowUpRequest, @Context() context: RequestContext): Promise<Household> {
    const loader = requestLoader<Household>(context, 'Household', (ids) => this.households.findVisible(context.caller, ids));
    const household = await loader.load(request.householdId);
    if (!household) throw DomainError.forbidden('That household is outside your territory', 'OUT_OF_SCOPE');
    return household;
  }
}
