import { Args, Context, GraphQLISODateTime, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { DomainError } from '#libs/errors';
import { PageArgs } from '#libs/pagination';
import { CurrentCaller, LocalDateScalar, ParseUuidPipe, byIds, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { orgUnitLoader } from '../territory/org-unit.loader.js';
import { OrgUnit } from '../territory/org-unit.model.js';
import { OrgUnitService, canSee } from '../territory/org-unit.service.js';
import { VolunteerActivityService } from './volunteer-activity.service.js';
import { VOLUNTEER_RULES, VolunteerActivityStatus, VolunteerCampaign } from './volunteer-enums.js';
import { VolunteerHoursService } from './volunteer-hours.service.js';
import { VolunteerTeamService } from './volunteer-team.service.js';
import type { VolunteerActivityRow, VolunteerRow } from './volunteer.entity.js';
import {
  CreateMultiDayVolunteerActivityInput,
  CreateVolunteerActivityInput,
  CreateVolunteerTeamInput,
  RegisterVolunteerInput,
  VolunteerActivitiesArgs,
  VolunteerActivityFeedArgs,
  VolunteerHoursArgs,
  VolunteerHoursEntry,
  VolunteerTeamsArgs,
} from './volunteer.inputs.js';
import {
  PublishedVolunteerActivity,
  PublishedVolunteerActivityConnection,
  Volunteer,
  VolunteerActivity,
  VolunteerActivityConnection,
  VolunteerCampaignInfo,
  VolunteerHours,
  VolunteerHoursApproval,
  VolunteerHoursConnection,
  VolunteerSignUp,
  VolunteerSignUpConnection,
  VolunteerTeam,
  VolunteerTeamConnection,
} from './volunteer.models.js';

/** Teams are public (anyone may find one to join), as is the feed: readable by TERRITORY_READ or VOLUNTEER_SIGN_UP. */
function teamLoader(context: RequestContext, teams: VolunteerTeamService) {
  return requestLoader<VolunteerTeam>(context, 'VolunteerTeam', (ids) => teams.teamsByIds(ids));
}

/**
 * Volunteers, masked unless the caller reads personal data or it is the caller's own record; the unmasked ones of a
 * batch (a page of sign-ups or hours) are recorded in personal_data_access in one insert.
 */
export function loadVolunteer(context: RequestContext, teams: VolunteerTeamService, id: string): Promise<Volunteer | null> {
  return requestLoader<Volunteer>(context, 'Volunteer', async (ids) =>
    byIds(ids, await teams.present(context.caller, await teams.volunteersByIds(ids))),
  ).load(id);
}

async function loadOrgUnit(context: RequestContext, units: OrgUnitService, caller: Caller, id: string): Promise<OrgUnit | null> {
  const unit = await orgUnitLoader(context, units).load(id);
  return unit && canSee(caller, unit) ? OrgUnit.from(unit) : null;
}

@Resolver(() => VolunteerTeam)
export class VolunteerTeamResolver {
  constructor(
    private readonly teams: VolunteerTeamService,
    private readonly units: OrgUnitService,
  ) {}

  @Mutation(() => VolunteerTeam, {
    description:
      '志愿服务队: a volunteer team of a compound branch (小区支部) in your territory. A party organisation of another kind is BAD_USER_INPUT NOT_A_COMPOUND_BRANCH.',
  })
  createVolunteerTeam(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: "The compound branch and the team's name." }) input: CreateVolunteerTeamInput,
  ): Promise<VolunteerTeam> {
    input.compoundBranchId = requireUuid(input.compoundBranchId, 'compoundBranchId');
    return this.teams.createTeam(caller, input);
  }

  @Query(() => VolunteerTeamConnection, {
    description: 'Volunteer teams by name, of one compound branch and/or of compounds under one unit.',
  })
  volunteerTeams(@Args() args: VolunteerTeamsArgs): Promise<VolunteerTeamConnection> {
    if (args.compoundBranchId) args.compoundBranchId = requireUuid(args.compoundBranchId, 'compoundBranchId');
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.teams.listTeams(args);
  }

  @ResolveField(() => OrgUnit, { nullable: true, description: "The branch's compound (小区); null when outside your territory." })
  compound(@Parent() team: VolunteerTeam, @CurrentCaller() caller: Caller, @Context() context: RequestContext): Promise<OrgUnit | null> {
    return loadOrgUnit(context, this.units, caller, team.orgUnitId);
  }
}

@Resolver(() => Volunteer)
export class VolunteerResolver {
  constructor(private readonly teams: VolunteerTeamService) {}

  @Mutation(() => Volunteer, {
    description:
      "志愿者注册: registers you (your token's `sub`) as a volunteer, once (CONFLICT ALREADY_REGISTERED after that). If you are a party " +
      'member (your member record carries this user id), the volunteer is linked to it and your hours count for your vanguard index.',
  })
  async registerVolunteer(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: "The volunteer's name, phone and team." }) input: RegisterVolunteerInput,
  ): Promise<Volunteer> {
    if (input.teamId) input.teamId = requireUuid(input.teamId, 'teamId');
    return this.presentOne(caller, await this.teams.register(caller, input));
  }

  @Mutation(() => Volunteer, { description: 'Joins a volunteer team (one at a time; joining another moves you).' })
  async joinVolunteerTeam(
    @CurrentCaller() caller: Caller,
    @Args('teamId', { type: () => ID, description: 'The team to join (leaving your current one).' }, ParseUuidPipe) teamId: string,
  ): Promise<Volunteer> {
    return this.presentOne(caller, await this.teams.joinTeam(caller, teamId));
  }

  @Query(() => Volunteer, { nullable: true, description: 'Your volunteer record, or null before you register.' })
  async myVolunteer(@CurrentCaller() caller: Caller): Promise<Volunteer | null> {
    const row = await this.teams.volunteerOf(caller);
    return row ? this.presentOne(caller, row) : null;
  }

  @ResolveField(() => VolunteerTeam, { nullable: true, description: "The volunteer's current team, if any." })
  team(@Parent() volunteer: Volunteer, @Context() context: RequestContext): Promise<VolunteerTeam | null> {
    return volunteer.teamId ? teamLoader(context, this.teams).load(volunteer.teamId) : Promise.resolve(null);
  }

  /** The caller's own record: unmasked, and recorded like any unmasked read. */
  private async presentOne(caller: Caller, row: VolunteerRow): Promise<Volunteer> {
    return (await this.teams.present(caller, [row]))[0];
  }
}

@Resolver(() => VolunteerActivity)
export class VolunteerActivityResolver {
  constructor(
    private readonly activities: VolunteerActivityService,
    private readonly teams: VolunteerTeamService,
    private readonly units: OrgUnitService,
  ) {}

  @Query(() => [VolunteerCampaignInfo], {
    description: '四大示范行动: the four role-model campaigns with their Chinese names and organisers.',
  })
  volunteerCampaigns(): VolunteerCampaignInfo[] {
    return Object.values(VolunteerCampaign).map((campaign) => VolunteerCampaignInfo.of(campaign));
  }

  @Mutation(() => VolunteerActivity, {
    description:
      'A volunteer activity, as a DRAFT, at a compound or community of your territory. endsAt after startsAt (BAD_USER_INPUT ' +
      `ENDS_BEFORE_STARTS), at most ${VOLUNTEER_RULES.maxDurationHours} hours, starting in the future; capacity ` +
      `${VOLUNTEER_RULES.minCapacity}–${VOLUNTEER_RULES.maxCapacity}.`,
  })
  createVolunteerActivity(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: "The activity's campaign, kind, time, place and capacity." }) input: CreateVolunteerActivityInput,
  ): Promise<VolunteerActivity> {
    input.orgUnitId = requireUuid(input.orgUnitId, 'orgUnitId');
    if (input.teamId) input.teamId = requireUuid(input.teamId, 'teamId');
    return this.activities.create(caller, input);
  }

  @Mutation(() => VolunteerActivity, {
    description:
      '多日活动 (e.g. 团员青年21天助分类): a DRAFT activity over whole days (Asia/Shanghai) from firstDay (after today) for ' +
      `${VOLUNTEER_RULES.minDays}–${VOLUNTEER_RULES.maxDays} days (else DAYS_OUT_OF_RANGE); participants check in once a day with checkInForDay. ` +
      'Otherwise as createVolunteerActivity.',
  })
  createMultiDayVolunteerActivity(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: "The activity's campaign, kind, days, place and capacity." }) input: CreateMultiDayVolunteerActivityInput,
  ): Promise<VolunteerActivity> {
    input.orgUnitId = requireUuid(input.orgUnitId, 'orgUnitId');
    if (input.teamId) input.teamId = requireUuid(input.teamId, 'teamId');
    return this.activities.createMultiDay(caller, input);
  }

  @Mutation(() => VolunteerActivity, {
    description: 'DRAFT → PUBLISHED: it appears in the feed and takes sign-ups. Only before it starts.',
  })
  publishVolunteerActivity(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The activity's id; it must be a draft." }, ParseUuidPipe) id: string,
  ): Promise<VolunteerActivity> {
    return this.activities.transition(caller, id, VolunteerActivityStatus.PUBLISHED);
  }

  @Mutation(() => VolunteerActivity, { description: 'DRAFT | PUBLISHED → CANCELLED.' })
  cancelVolunteerActivity(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The activity's id." }, ParseUuidPipe) id: string,
  ): Promise<VolunteerActivity> {
    return this.activities.transition(caller, id, VolunteerActivityStatus.CANCELLED);
  }

  @Mutation(() => VolunteerActivity, { description: 'PUBLISHED → COMPLETED. Hours may still be approved afterwards.' })
  completeVolunteerActivity(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The activity's id; it must be PUBLISHED." }, ParseUuidPipe) id: string,
  ): Promise<VolunteerActivity> {
    return this.activities.transition(caller, id, VolunteerActivityStatus.COMPLETED);
  }

  @Mutation(() => VolunteerHoursApproval, {
    description:
      '志愿时长审核: approves hours of checked-in sign-ups in one go: the entries given, or, without entries, every checked-in ' +
      "sign-up with the activity's full duration. Hours over the duration, or a sign-up not checked in, are BAD_USER_INPUT with " +
      'nothing written. Approving the same hours again changes nothing.',
  })
  approveVolunteerHours(
    @CurrentCaller() caller: Caller,
    @Args('activityId', { type: () => ID, description: "The activity's id; PUBLISHED or COMPLETED." }, ParseUuidPipe) activityId: string,
    @Args('entries', {
      type: () => [VolunteerHoursEntry],
      nullable: true,
      description: "Hours per sign-up; omitted: each checked-in sign-up gets the activity's duration.",
    })
    entries?: VolunteerHoursEntry[] | null,
  ): Promise<VolunteerHoursApproval> {
    for (const entry of entries ?? []) entry.signUpId = requireUuid(entry.signUpId, 'signUpId');
    return this.activities.approveHours(caller, activityId, entries);
  }

  @Query(() => VolunteerActivity, { description: 'For organisers: an activity of your territory, any status.' })
  volunteerActivity(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The activity's id." }, ParseUuidPipe) id: string,
  ): Promise<VolunteerActivity> {
    return this.activities.get(caller, id);
  }

  @Query(() => VolunteerActivityConnection, {
    description: 'For organisers: activities of your territory, any status, newest start first.',
  })
  volunteerActivities(@CurrentCaller() caller: Caller, @Args() args: VolunteerActivitiesArgs): Promise<VolunteerActivityConnection> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.activities.list(caller, args);
  }

  @ResolveField(() => VolunteerSignUpConnection, { description: "For the activity's organisers: its sign-ups in the order they came." })
  async signUps(
    @Parent() activity: VolunteerActivity,
    @CurrentCaller() caller: Caller,
    @Args() args: PageArgs,
    @Context() context: RequestContext,
  ): Promise<VolunteerSignUpConnection> {
    if (!this.activities.mayManage(caller, activity)) {
      throw DomainError.forbidden("Only the activity's organisers see its sign-ups", 'OUT_OF_SCOPE');
    }
    // One statement per page of activities asking for the same page of sign-ups.
    const loader = requestLoader<VolunteerSignUpConnection>(
      context,
      `VolunteerActivity.signUps:${JSON.stringify([args.first ?? null, args.after ?? null])}`,
      (ids) => this.activities.listSignUpsOf(ids, args),
    );
    return (await loader.load(activity.id))!;
  }

  @ResolveField(() => OrgUnit, { nullable: true, description: 'The compound or community; null when outside your territory.' })
  orgUnit(
    @Parent() activity: VolunteerActivity,
    @CurrentCaller() caller: Caller,
    @Context() context: RequestContext,
  ): Promise<OrgUnit | null> {
    return loadOrgUnit(context, this.units, caller, activity.orgUnitId);
  }

  @ResolveField(() => VolunteerTeam, { nullable: true, description: 'The organising team, if any.' })
  team(@Parent() activity: VolunteerActivity, @Context() context: RequestContext): Promise<VolunteerTeam | null> {
    return activity.teamId ? teamLoader(context, this.teams).load(activity.teamId) : Promise.resolve(null);
  }
}

@Resolver(() => PublishedVolunteerActivity)
export class PublishedVolunteerActivityResolver {
  constructor(
    private readonly activities: VolunteerActivityService,
    private readonly teams: VolunteerTeamService,
  ) {}

  @Query(() => PublishedVolunteerActivityConnection, {
    description:
      '鄞领志愿: published and completed activities, newest first, with sign-up counts and places left. Public to everyone signed in ' +
      'with TERRITORY_READ or VOLUNTEER_SIGN_UP, whatever their territory; no personal data.',
  })
  volunteerActivityFeed(@Args() args: VolunteerActivityFeedArgs): Promise<PublishedVolunteerActivityConnection> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.activities.feed(args);
  }

  @ResolveField(() => VolunteerTeam, { nullable: true, description: 'The organising team, if any.' })
  team(@Parent() activity: PublishedVolunteerActivity, @Context() context: RequestContext): Promise<VolunteerTeam | null> {
    return activity.teamId ? teamLoader(context, this.teams).load(activity.teamId) : Promise.resolve(null);
  }
}

@Resolver(() => VolunteerSignUp)
export class VolunteerSignUpResolver {
  constructor(
    private readonly activities: VolunteerActivityService,
    private readonly teams: VolunteerTeamService,
  ) {}

  @Mutation(() => VolunteerSignUp, {
    description:
      'Signs you (your volunteer record) up for a PUBLISHED activity that has not started. Past capacity: CONFLICT ACTIVITY_FULL, ' +
      'nothing written. Signing up again while signed up returns your existing sign-up (idempotent).',
  })
  signUpForActivity(
    @CurrentCaller() caller: Caller,
    @Args('activityId', { type: () => ID, description: 'A published activity with places left.' }, ParseUuidPipe) activityId: string,
  ): Promise<VolunteerSignUp> {
    return this.activities.signUp(caller, activityId);
  }

  @Mutation(() => VolunteerSignUp, { description: 'Gives your place back (before you check in).' })
  cancelSignUp(
    @CurrentCaller() caller: Caller,
    @Args('activityId', { type: () => ID, description: 'The activity you signed up for.' }, ParseUuidPipe) activityId: string,
  ): Promise<VolunteerSignUp> {
    return this.activities.cancelSignUp(caller, activityId);
  }

  @Mutation(() => VolunteerSignUp, {
    description:
      `签到: checks you in at the activity at \`at\` (your phone's clock), from ${VOLUNTEER_RULES.checkInMarginMinutes} minutes before ` +
      `the start to ${VOLUNTEER_RULES.checkInMarginMinutes} minutes after the end (else BAD_USER_INPUT OUTSIDE_ACTIVITY_WINDOW). ` +
      'Checking in again keeps the first time.',
  })
  checkInToActivity(
    @CurrentCaller() caller: Caller,
    @Args('activityId', { type: () => ID, description: 'The activity you signed up for.' }, ParseUuidPipe) activityId: string,
    @Args('at', { type: () => GraphQLISODateTime, description: 'When you arrived (ISO 8601 timestamp).' }) at: Date,
  ): Promise<VolunteerSignUp> {
    return this.activities.checkIn(caller, activityId, at);
  }

  @Mutation(() => VolunteerSignUp, {
    description:
      "每日打卡: checks you in for one day of a multi-day activity you signed up for. The day must be one of the activity's " +
      '(else BAD_USER_INPUT OUTSIDE_ACTIVITY_DAYS), today in Asia/Shanghai or at most ' +
      `${VOLUNTEER_RULES.lateCheckInDays} days late (DAY_NOT_YET, CHECK_IN_TOO_LATE); once per day (CONFLICT ALREADY_CHECKED_IN_FOR_DAY).`,
  })
  checkInForDay(
    @CurrentCaller() caller: Caller,
    @Args(
      'activityId',
      { type: () => ID, description: 'The multi-day activity you signed up for; checks you in for today.' },
      ParseUuidPipe,
    )
    activityId: string,
    @Args('day', { type: () => LocalDateScalar, description: 'The day checked in for (Asia/Shanghai).' }) day: string,
  ): Promise<VolunteerSignUp> {
    return this.activities.checkInForDay(caller, activityId, day);
  }

  @Query(() => VolunteerSignUpConnection, { description: 'Your sign-ups, newest first.' })
  myVolunteerSignUps(@CurrentCaller() caller: Caller, @Args() args: PageArgs): Promise<VolunteerSignUpConnection> {
    return this.activities.listMySignUps(caller, args);
  }

  @ResolveField(() => VolunteerActivity, { nullable: true, description: 'The activity signed up for.' })
  async activity(@Parent() signUp: VolunteerSignUp, @Context() context: RequestContext): Promise<VolunteerActivity | null> {
    const row = await requestLoader<VolunteerActivityRow>(context, 'VolunteerActivity', async (ids) =>
      byIds(ids, await this.activities.activitiesByIds(ids)),
    ).load(signUp.activityId);
    return row ? VolunteerActivity.from(row) : null;
  }

  @ResolveField(() => Volunteer, { nullable: true, description: 'Name and phone masked unless you read personal data or it is you.' })
  volunteer(@Parent() signUp: VolunteerSignUp, @Context() context: RequestContext): Promise<Volunteer | null> {
    return loadVolunteer(context, this.teams, signUp.volunteerId);
  }
}

@Resolver(() => VolunteerHours)
export class VolunteerHoursResolver {
  constructor(
    private readonly hours: VolunteerHoursService,
    private readonly teams: VolunteerTeamService,
  ) {}

  @Query(() => VolunteerHoursConnection, {
    description:
      'For organisers: approved hours in a month (by activity start, Asia/Shanghai) per volunteer or per team, for activities in your territory.',
  })
  volunteerHours(@CurrentCaller() caller: Caller, @Args() args: VolunteerHoursArgs): Promise<VolunteerHoursConnection> {
    for (const field of ['orgUnitId', 'teamId', 'volunteerId'] as const) {
      if (args[field]) args[field] = requireUuid(args[field], field);
    }
    return this.hours.list(caller, args);
  }

  @ResolveField(() => Volunteer, {
    nullable: true,
    description: 'The volunteer, when grouped by volunteer (name and phone masked unless you may read personal data).',
  })
  volunteer(@Parent() hours: VolunteerHours, @Context() context: RequestContext): Promise<Volunteer | null> {
    return hours.volunteerId ? loadVolunteer(context, this.teams, hours.volunteerId) : Promise.resolve(null);
  }

  @ResolveField(() => VolunteerTeam, { nullable: true, description: 'The team, when grouped by team.' })
  team(@Parent() hours: VolunteerHours, @Context() context: RequestContext): Promise<VolunteerTeam | null> {
    return hours.teamId ? teamLoader(context, this.teams).load(hours.teamId) : Promise.resolve(null);
  }
}
