import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { PageArgs } from '#libs/pagination';
import { CurrentCaller, LocalDateScalar, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { Household } from '../households/household.model.js';
import { HouseholdService } from '../households/household.service.js';
import { CheckInQuotaService } from './check-in-quota.service.js';
import { CHECK_IN_RULES } from './check-in-rules.js';
import { CheckInQuotaFlagsArgs, PhotoCheckInsArgs, ReviewPhotoCheckInArgs, SubmitPhotoCheckInInput } from './check-in.inputs.js';
import {
  CheckInQuotaFlag,
  CheckInQuotaFlagConnection,
  MemberCheckInWeek,
  PhotoCheckIn,
  PhotoCheckInConnection,
} from './check-in.models.js';
import { PhotoCheckInService } from './photo-check-in.service.js';

/** The household, batched per request; null when it lies outside the caller's territory. Masked as everywhere. */
function loadHousehold(households: HouseholdService, context: RequestContext, id: string): Promise<Household | null> {
  return requestLoader<Household>(context, 'Household', (ids) => households.findVisible(context.caller, ids)).load(id);
}

@Resolver(() => PhotoCheckIn)
export class PhotoCheckInResolver {
  constructor(
    private readonly checkIns: PhotoCheckInService,
    private readonly households: HouseholdService,
  ) {}

  @Mutation(() => PhotoCheckIn, {
    description:
      "党员晒图打卡: a party member posts a photo of the household's kitchen-waste sorting. The token's `sub` must be the " +
      "party member id recorded on the member's resident record; the check-in belongs to that resident's household and counts " +
      `for the week (Monday–Sunday, Asia/Shanghai) the photo was taken in; ${CHECK_IN_RULES.weeklyQuota} a week are due. ` +
      'Retrying with the same idempotencyKey returns the same check-in; each photo is posted once.',
  })
  submitPhotoCheckIn(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'The uploaded photo, when it was taken, and an optional note.' }) input: SubmitPhotoCheckInInput,
    @Args('idempotencyKey', { description: 'Send the same key on every retry: the check-in is posted once.' }) idempotencyKey: string,
  ): Promise<PhotoCheckIn> {
    input.photoId = requireUuid(input.photoId, 'photoId');
    return this.checkIns.submit(caller, input, idempotencyKey);
  }

  @Mutation(() => PhotoCheckIn, {
    description:
      "One branch's review of a check-in (单位支部审核 / 社区支部审核): WORK by the current secretary of the member's own work-unit " +
      "branch (双重监督; anyone else: FORBIDDEN NOT_MEMBERS_BRANCH_SECRETARY), COMMUNITY by the secretary of the member household's community. " +
      'Each branch reviews once (CONFLICT ALREADY_REVIEWED after that); a rejection needs a note ' +
      'and takes the check-in out of the weekly quota.',
  })
  reviewPhotoCheckIn(@CurrentCaller() caller: Caller, @Args() args: ReviewPhotoCheckInArgs): Promise<PhotoCheckIn> {
    args.id = requireUuid(args.id, 'id');
    return this.checkIns.review(caller, args);
  }

  @Query(() => PhotoCheckIn, { description: 'One check-in: your own, or one a reviewer of your territory may see.' })
  photoCheckIn(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The check-in's id." }, ParseUuidPipe) id: string,
  ): Promise<PhotoCheckIn> {
    return this.checkIns.get(caller, id);
  }

  @Query(() => PhotoCheckInConnection, {
    description: 'For reviewers: check-ins of member households in your territory, newest photo first.',
  })
  photoCheckIns(@CurrentCaller() caller: Caller, @Args() args: PhotoCheckInsArgs): Promise<PhotoCheckInConnection> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.checkIns.list(caller, args);
  }

  @ResolveField(() => Household, {
    nullable: true,
    description: 'The member household (户); null when outside your territory, room masked unless your role visits households.',
  })
  household(@Parent() checkIn: PhotoCheckIn, @Context() context: RequestContext): Promise<Household | null> {
    return loadHousehold(this.households, context, checkIn.householdId);
  }
}

@Resolver(() => CheckInQuotaFlag)
export class CheckInQuotaFlagResolver {
  constructor(
    private readonly quota: CheckInQuotaService,
    private readonly households: HouseholdService,
  ) {}

  @Query(() => CheckInQuotaFlagConnection, {
    description:
      `For reviewers: party members of your territory flagged for fewer than ${CHECK_IN_RULES.weeklyQuota} counting photo check-ins ` +
      'in a week (written by the weekly job on the Monday after), fewest check-ins first.',
  })
  checkInQuotaFlags(@CurrentCaller() caller: Caller, @Args() args: CheckInQuotaFlagsArgs): Promise<CheckInQuotaFlagConnection> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.quota.list(caller, args);
  }

  @ResolveField(() => Household, { nullable: true, description: 'The member household (户); null when outside your territory.' })
  household(@Parent() flag: CheckInQuotaFlag, @Context() context: RequestContext): Promise<Household | null> {
    return loadHousehold(this.households, context, flag.householdId);
  }
}

@Resolver(() => MemberCheckInWeek)
export class MemberCheckInWeekResolver {
  constructor(private readonly service: PhotoCheckInService) {}

  @Query(() => MemberCheckInWeek, {
    description:
      "For a party member: your photo check-ins of a week (default: this week) and whether they meet the quota. Your token's `sub` is your party member id.",
  })
  myPhotoCheckIns(
    @CurrentCaller() caller: Caller,
    @Args('week', { type: () => LocalDateScalar, nullable: true, description: 'A Monday.' }) week?: string | null,
  ): Promise<MemberCheckInWeek> {
    return this.service.memberWeek(caller, week);
  }

  @ResolveField(() => PhotoCheckInConnection, { description: "The week's check-ins in the order the photos were taken." })
  checkIns(@Parent() week: MemberCheckInWeek, @Args() args: PageArgs): Promise<PhotoCheckInConnection> {
    return this.service.listOfMemberWeek(week, args);
  }
}
