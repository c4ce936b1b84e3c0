import { Args, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import {
  DistrictMonth,
  DistrictMonthNoticeWaitConnection,
  DistrictMonthNoticeWaitsArgs,
  DistrictMonthNotices,
} from './district-month.models.js';
import { DistrictMonthNoticesService } from './district-month.service.js';

/** notifications' part of `districtMonth` (households owns the query): the month's notices. */
@Resolver(() => DistrictMonth)
export class DistrictMonthResolver {
  constructor(private readonly months: DistrictMonthNoticesService) {}

  @ResolveReference()
  resolveReference(reference: { month?: unknown }): DistrictMonth | null {
    return DistrictMonth.reference(reference);
  }

  @ResolveField(() => DistrictMonthNotices, {
    description: "notifications' part: notices made, delivered, failed, and those waiting for an institution, with why.",
  })
  notices(@Parent() month: DistrictMonth): Promise<DistrictMonthNotices> {
    return this.months.notices(month.month);
  }
}

@Resolver(() => DistrictMonthNotices)
export class DistrictMonthNoticesResolver {
  constructor(private readonly months: DistrictMonthNoticesService) {}

  @ResolveField(() => DistrictMonthNoticeWaitConnection, {
    description: 'The institutions notices wait for, with why and how many residents each wait holds; by reason, then institution id.',
  })
  waiting(
    @Parent() notices: DistrictMonthNotices & { month: string },
    @Args() args: DistrictMonthNoticeWaitsArgs,
  ): Promise<DistrictMonthNoticeWaitConnection> {
    return this.months.waits(notices.month, args);
  }
}
