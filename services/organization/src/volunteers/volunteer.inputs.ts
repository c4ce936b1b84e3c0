import { ArgsType, Field, Float, GraphQLISODateTime, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { VOLUNTEER_RULES as R, VolunteerActivityKind, VolunteerActivityStatus, VolunteerCampaign } from './volunteer-enums.js';

// Fields several volunteer inputs share, declared once so that their type and their description (which states the rule
// the services enforce) stay the same in each input; each input still lists its fields in its own order.

/** A title of an activity, quiz, contest or contest entry: the services keep 1–maxTitleLength characters after trimming. */
export const TitleField = () => Field(() => String, { description: `1–${R.maxTitleLength} characters.` });

/** The optional description of an activity, quiz, contest or contest entry. */
export const DescriptionField = () => Field(() => String, { nullable: true, description: `Up to ${R.maxDescriptionLength} characters.` });

// Fields both kinds of new activity share, the one that runs for hours and the one that runs for whole days.
const ActivityCampaignField = () => Field(() => VolunteerCampaign, { description: 'The role-model campaign it belongs to.' });
const ActivityKindField = () => Field(() => VolunteerActivityKind, { description: 'What kind of activity it is.' });
const ActivityUnitField = () => Field(() => ID, { description: 'The compound or community where it takes place; inside your territory.' });
const CapacityField = () => Field(() => Int, { description: `${R.minCapacity}–${R.maxCapacity} volunteers.` });
const OrganisingTeamField = () =>
  Field(() => ID, { nullable: true, description: 'The organising team; its compound must be the place or lie inside it.' });

@InputType({ description: 'A new volunteer team under a compound branch.' })
export class CreateVolunteerTeamInput {
  @Field(() => ID, { description: 'A party organisation of kind COMPOUND_BRANCH (小区支部) in your territory.' })
  compoundBranchId: string;

  @Field({ description: `1–${R.maxTeamNameLength} characters, unique within the branch.` })
  name: string;
}

@ArgsType()
export class VolunteerTeamsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only teams of this compound branch.' })
  compoundBranchId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Teams of compounds in this unit and below it.' })
  orgUnitId?: string | null;
}

@InputType({ description: 'A volunteer to register.' })
export class RegisterVolunteerInput {
  @Field({ description: `1–${R.maxNameLength} characters.` })
  name: string;

  @Field(() => String, { nullable: true, description: 'A mainland mobile number, 11 digits.' })
  phone?: string | null;

  @Field(() => ID, { nullable: true, description: 'Join this team right away.' })
  teamId?: string | null;
}

@InputType({ description: 'A volunteer activity to create (as a draft).' })
export class CreateVolunteerActivityInput {
  @ActivityCampaignField()
  campaign: VolunteerCampaign;

  @ActivityKindField()
  kind: VolunteerActivityKind;

  @TitleField()
  title: string;

  @DescriptionField()
  description?: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When it starts (ISO 8601 timestamp).' })
  startsAt: Date;

  @Field(() => GraphQLISODateTime, { description: `After startsAt, at most ${R.maxDurationHours} hours later.` })
  endsAt: Date;

  @ActivityUnitField()
  orgUnitId: string;

  @Field({ description: `Where volunteers meet, 1–${R.maxPlaceLength} characters.` })
  place: string;

  @CapacityField()
  capacity: number;

  @OrganisingTeamField()
  teamId?: string | null;
}

@InputType({
  description: 'A multi-day activity (e.g. 团员青年21天助分类): whole Shanghai days, each checked in once by its participants.',
})
export class CreateMultiDayVolunteerActivityInput {
  @ActivityCampaignField()
  campaign: VolunteerCampaign;

  @ActivityKindField()
  kind: VolunteerActivityKind;

  @TitleField()
  title: string;

  @DescriptionField()
  description?: string | null;

  @Field(() => LocalDateScalar, {
    description: 'The first day (Asia/Shanghai); after today, so that volunteers can sign up before it starts.',
  })
  firstDay: string;

  @Field(() => Int, { description: `How many days it runs, ${R.minDays}–${R.maxDays} (e.g. 21).` })
  days: number;

  @ActivityUnitField()
  orgUnitId: string;

  @Field({ description: `Where volunteers meet or what they do, 1–${R.maxPlaceLength} characters.` })
  place: string;

  @CapacityField()
  capacity: number;

  @OrganisingTeamField()
  teamId?: string | null;
}

@ArgsType()
export class VolunteerActivitiesArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Activities at this unit and below it (default: your whole territory).' })
  orgUnitId?: string | null;

  @Field(() => VolunteerActivityStatus, { nullable: true, description: 'Only activities in this status.' })
  status?: VolunteerActivityStatus | null;
}

@ArgsType()
export class VolunteerActivityFeedArgs extends PageArgs {
  @Field(() => ID, {
    nullable: true,
    description: "Activities near this unit: at it, below it, or at one of its ancestors (a compound sees its community's activities).",
  })
  orgUnitId?: string | null;

  @Field(() => VolunteerCampaign, { nullable: true, description: 'Only activities of this campaign.' })
  campaign?: VolunteerCampaign | null;

  @Field(() => VolunteerActivityKind, { nullable: true, description: 'Only activities of this kind.' })
  kind?: VolunteerActivityKind | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Only activities starting at or after this instant.' })
  from?: Date | null;
}

@InputType({ description: 'Hours to approve for one sign-up.' })
export class VolunteerHoursEntry {
  @Field(() => ID, { description: 'The sign-up (of the activity).' })
  signUpId: string;

  @Field(() => Float, { description: "At least 0.01, at most the activity's duration; stored to the hundredth, rounded down." })
  hours: number;
}

export enum VolunteerHoursGrouping {
  VOLUNTEER = 'VOLUNTEER',
  TEAM = 'TEAM',
}

registerEnumType(VolunteerHoursGrouping, {
  name: 'VolunteerHoursGrouping',
  description: 'How volunteer hours are added up: per volunteer or per team.',
  valuesMap: { VOLUNTEER: { description: '按志愿者' }, TEAM: { description: '按志愿服务队' } },
});

@ArgsType()
export class VolunteerHoursArgs extends PageArgs {
  @Field(() => String, { description: 'YYYY-MM (Asia/Shanghai), by the activity start.' })
  month: string;

  @Field(() => VolunteerHoursGrouping, { nullable: true, description: 'Default VOLUNTEER.' })
  groupBy?: VolunteerHoursGrouping | null;

  @Field(() => ID, { nullable: true, description: 'Only hours earned at activities at this unit and below it (default: your territory).' })
  orgUnitId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only volunteers currently in this team.' })
  teamId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only this volunteer.' })
  volunteerId?: string | null;
}
