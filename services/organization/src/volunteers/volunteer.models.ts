import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { addDays } from '#libs/calendar';
import { maskName, maskPhone } from '#libs/privacy';
import { Connection } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import {
  CAMPAIGN_ORGANISER,
  CAMPAIGN_ORGANISER_LABEL_ZH,
  CampaignOrganiser,
  VOLUNTEER_ACTIVITY_KIND_LABEL_ZH,
  VOLUNTEER_ACTIVITY_STATUS_LABEL_ZH,
  VOLUNTEER_CAMPAIGN_LABEL_ZH,
  VOLUNTEER_SIGN_UP_STATUS_LABEL_ZH,
  VolunteerActivityKind,
  VolunteerActivityStatus,
  VolunteerCampaign,
  VolunteerSignUpStatus,
} from './volunteer-enums.js';
import type { VolunteerActivityRow, VolunteerRow, VolunteerSignUpRow, VolunteerTeamRow } from './volunteer.entity.js';

@ObjectType('VolunteerCampaignInfo', { description: '四大示范行动: a role-model campaign, its Chinese name and who runs it.' })
export class VolunteerCampaignInfo {
  @Field(() => VolunteerCampaign, { description: 'The campaign.' })
  campaign: VolunteerCampaign;

  @Field({ description: 'e.g. 绿色先锋' })
  labelZh: string;

  @Field(() => CampaignOrganiser, { description: 'Who runs it.' })
  organiser: CampaignOrganiser;

  @Field({ description: 'e.g. 党员, 妇联, 团委, 学生' })
  organiserLabelZh: string;

  static of(campaign: VolunteerCampaign): VolunteerCampaignInfo {
    const organiser = CAMPAIGN_ORGANISER[campaign];
    return Object.assign(new VolunteerCampaignInfo(), {
      campaign,
      labelZh: VOLUNTEER_CAMPAIGN_LABEL_ZH[campaign],
      organiser,
      organiserLabelZh: CAMPAIGN_ORGANISER_LABEL_ZH[organiser],
    });
  }
}

@ObjectType('VolunteerTeam', { description: '志愿服务队: a volunteer team formed by a compound branch (小区支部).' })
export class VolunteerTeam {
  @Field(() => ID, { description: 'Stable id of the team.' })
  id: string;

  @Field({ description: '志愿服务队' })
  labelZh: string;

  @Field({ description: "The team's name, unique within its branch." })
  name: string;

  @Field(() => ID, { description: 'The compound branch (小区支部, a party organisation of kind COMPOUND_BRANCH) the team belongs to.' })
  compoundBranchId: string;

  @Field({ description: 'Name of the compound branch (小区支部) it belongs to.' })
  compoundBranchName: string;

  /** `compound` is resolved in VolunteerTeamResolver, batched. */
  orgUnitId: string;

  @Field(() => Int, { description: 'Volunteers currently in the team.' })
  volunteerCount: number;

  @Field({ description: 'When it was created (ISO 8601 timestamp).' })
  createdAt: Date;

  static from(row: VolunteerTeamRow): VolunteerTeam {
    return Object.assign(new VolunteerTeam(), { ...row, labelZh: '志愿服务队' });
  }
}

@ObjectType({
  description:
    'A page of VolunteerTeam items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class VolunteerTeamConnection extends Connection(VolunteerTeam, 'VolunteerTeam') {}

@ObjectType('Volunteer', {
  description: '志愿者: a registered volunteer. Name and phone are masked unless your role reads personal data (or it is you).',
})
export class Volunteer {
  @Field(() => ID, { description: 'Stable id of the volunteer.' })
  id: string;

  @Field({ description: '志愿者' })
  labelZh: string;

  @Field({ description: 'Masked (张*明) unless you may read personal data.' })
  name: string;

  @Field(() => String, { nullable: true, description: 'Masked (138****5678) unless you may read personal data.' })
  phone: string | null;

  @Field({ description: 'True when name and phone are masked.' })
  personalDataMasked: boolean;

  @Field(() => ID, { nullable: true, description: 'The party member (党员) this volunteer is, when they are one.' })
  partyMemberId: string | null;

  @Field({ description: 'Whether the volunteer is a party member (党员志愿者).' })
  isPartyMember: boolean;

  /** `team` is resolved in VolunteerResolver, batched. */
  teamId: string | null;

  @Field({ description: 'When they registered (ISO 8601 timestamp).' })
  registeredAt: Date;

  static from(row: VolunteerRow, unmasked: boolean): Volunteer {
    return Object.assign(new Volunteer(), {
      id: row.id,
      labelZh: '志愿者',
      name: unmasked ? row.name : maskName(row.name),
      phone: row.phone === null ? null : unmasked ? row.phone : maskPhone(row.phone),
      personalDataMasked: !unmasked,
      partyMemberId: row.partyMemberId,
      isPartyMember: row.partyMemberId !== null,
      teamId: row.teamId,
      registeredAt: row.registeredAt,
    });
  }
}

/** Fields an activity shows everyone: the feed's and the console's. No personal data. */
function activityFields(row: VolunteerActivityRow) {
  const organiser = CAMPAIGN_ORGANISER[row.campaign];
  return {
    id: row.id,
    labelZh: '志愿活动',
    campaign: row.campaign,
    campaignLabelZh: VOLUNTEER_CAMPAIGN_LABEL_ZH[row.campaign],
    organiser,
    organiserLabelZh: CAMPAIGN_ORGANISER_LABEL_ZH[organiser],
    kind: row.kind,
    kindLabelZh: VOLUNTEER_ACTIVITY_KIND_LABEL_ZH[row.kind],
    title: row.title,
    description: row.description,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    durationHours: (new Date(row.endsAt).getTime() - new Date(row.startsAt).getTime()) / 3600_000,
    orgUnitId: row.orgUnitId,
    orgUnitName: row.orgUnitName,
    place: row.place,
    capacity: row.capacity,
    signUpCount: row.signUpCount,
    placesLeft: Math.max(0, row.capacity - row.signUpCount),
    teamId: row.teamId,
    status: row.status,
    statusLabelZh: VOLUNTEER_ACTIVITY_STATUS_LABEL_ZH[row.status],
    publishedAt: row.publishedAt,
    days: row.days,
    firstDay: row.days === null ? null : row.firstDay,
    lastDay: row.days === null ? null : addDays(row.firstDay, row.days - 1),
  };
}

@ObjectType({ isAbstract: true })
abstract class ActivityBase {
  @Field(() => ID, { description: 'Stable id of the activity.' })
  id: string;

  @Field({ description: '志愿活动' })
  labelZh: string;

  @Field(() => VolunteerCampaign, { description: 'The role-model campaign it belongs to.' })
  campaign: VolunteerCampaign;

  @Field({ description: 'e.g. 绿色先锋' })
  campaignLabelZh: string;

  @Field(() => CampaignOrganiser, { description: 'Who runs the campaign.' })
  organiser: CampaignOrganiser;

  @Field({ description: 'e.g. 党员' })
  organiserLabelZh: string;

  @Field(() => VolunteerActivityKind, { description: 'What kind of activity it is.' })
  kind: VolunteerActivityKind;

  @Field({ description: 'e.g. 桶边督导' })
  kindLabelZh: string;

  @Field({ description: "The activity's title." })
  title: string;

  @Field({ description: 'What volunteers will do.' })
  description: string;

  @Field({ description: 'When it starts (ISO 8601 timestamp).' })
  startsAt: Date;

  @Field({ description: 'When it ends (ISO 8601 timestamp).' })
  endsAt: Date;

  @Field(() => Float, { description: 'endsAt − startsAt in hours: the most hours a volunteer can be credited.' })
  durationHours: number;

  /** `orgUnit` is resolved per type, batched. */
  orgUnitId: string;

  @Field({ description: 'Name of the compound or community where it takes place.' })
  orgUnitName: string;

  @Field({ description: 'Where volunteers meet, e.g. 3号楼垃圾投放点.' })
  place: string;

  @Field(() => Int, { description: 'How many volunteers it takes.' })
  capacity: number;

  @Field(() => Int, { description: 'Live (not cancelled) sign-ups.' })
  signUpCount: number;

  @Field(() => Int, { description: 'capacity − signUpCount.' })
  placesLeft: number;

  /** `team` is resolved per type, batched. */
  teamId: string | null;

  @Field(() => VolunteerActivityStatus, { description: 'Where the activity is.' })
  status: VolunteerActivityStatus;

  @Field({ description: 'The Chinese name of status.' })
  statusLabelZh: string;

  @Field(() => Date, { nullable: true, description: 'When it was published, if it was.' })
  publishedAt: Date | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'A multi-day activity (e.g. 21天助分类) runs this many whole days, each checked in once (checkInForDay); null for a single session.',
  })
  days: number | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'First day of a multi-day activity (Asia/Shanghai).' })
  firstDay: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day of a multi-day activity (Asia/Shanghai), inclusive.' })
  lastDay: string | null;
}

@ObjectType('VolunteerActivity', { description: '志愿活动 as its organisers see it (any status), with its sign-ups.' })
export class VolunteerActivity extends ActivityBase {
  @Field({ description: 'User id of the organiser who created it.' })
  createdBy: string;

  @Field({ description: 'When it was created (ISO 8601 timestamp).' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it was completed or cancelled.' })
  closedAt: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Multi-day activities: participants (live sign-ups) who checked in on every day. Null for a single session.',
  })
  completedCount: number | null;

  /** For scope checks of nested fields. */
  orgUnitPath: string[];

  static from(row: VolunteerActivityRow): VolunteerActivity {
    return Object.assign(new VolunteerActivity(), {
      ...activityFields(row),
      createdBy: row.createdBy,
      createdAt: row.createdAt,
      closedAt: row.closedAt,
      orgUnitPath: row.orgUnitPath,
      completedCount: row.completedCount,
    });
  }
}

@ObjectType({
  description:
    'A page of VolunteerActivity items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class VolunteerActivityConnection extends Connection(VolunteerActivity, 'VolunteerActivity') {}

@ObjectType('PublishedVolunteerActivity', {
  description: '鄞领志愿 feed entry: a published or completed activity with places left; no personal data.',
})
export class PublishedVolunteerActivity extends ActivityBase {
  static from(row: VolunteerActivityRow): PublishedVolunteerActivity {
    return Object.assign(new PublishedVolunteerActivity(), activityFields(row));
  }
}

@ObjectType({
  description:
    'A page of PublishedVolunteerActivity items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class PublishedVolunteerActivityConnection extends Connection(PublishedVolunteerActivity, 'PublishedVolunteerActivity') {}

@ObjectType('VolunteerSignUp', { description: "志愿活动报名: a volunteer's place on an activity, their check-in and approved hours." })
export class VolunteerSignUp {
  @Field(() => ID, { description: 'Stable id of the sign-up.' })
  id: string;

  @Field({ description: '活动报名' })
  labelZh: string;

  /** `activity` and `volunteer` are resolved in VolunteerSignUpResolver, batched. */
  activityId: string;
  volunteerId: string;

  @Field(() => VolunteerSignUpStatus, { description: 'Where the sign-up is.' })
  status: VolunteerSignUpStatus;

  @Field({ description: 'The Chinese name of status.' })
  statusLabelZh: string;

  @Field({ description: 'When the volunteer signed up (ISO 8601 timestamp).' })
  signedUpAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the sign-up was cancelled.' })
  cancelledAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the volunteer checked in at the activity (签到).' })
  checkedInAt: Date | null;

  @Field(() => Float, { nullable: true, description: 'Approved volunteer hours (志愿时长); null until approved.' })
  hours: number | null;

  @Field(() => Date, { nullable: true, description: 'When the organiser approved its hours.' })
  hoursApprovedAt: Date | null;

  @Field(() => Int, { description: 'Multi-day activities: days checked in so far (0 for a single session).' })
  daysCheckedIn: number;

  @Field(() => [LocalDateScalar], {
    description: 'Multi-day activities: the days checked in, in order (at most 60; empty for a single session).',
  })
  checkedInDays: string[];

  @Field(() => Boolean, {
    nullable: true,
    description: 'Multi-day activities: checked in on every day of the activity (完成). Null for a single session.',
  })
  completed: boolean | null;

  static from(row: VolunteerSignUpRow): VolunteerSignUp {
    const status = row.cancelledAt
      ? VolunteerSignUpStatus.CANCELLED
      : row.hours !== null
        ? VolunteerSignUpStatus.HOURS_APPROVED
        : row.checkedInAt
          ? VolunteerSignUpStatus.CHECKED_IN
          : VolunteerSignUpStatus.SIGNED_UP;
    return Object.assign(new VolunteerSignUp(), {
      id: row.id,
      labelZh: '活动报名',
      activityId: row.activityId,
      volunteerId: row.volunteerId,
      status,
      statusLabelZh: VOLUNTEER_SIGN_UP_STATUS_LABEL_ZH[status],
      signedUpAt: row.signedUpAt,
      cancelledAt: row.cancelledAt,
      checkedInAt: row.checkedInAt,
      hours: row.hours === null ? null : Number(row.hours),
      hoursApprovedAt: row.hoursApprovedAt,
      daysCheckedIn: row.checkedInDays.length,
      checkedInDays: row.checkedInDays,
      completed: row.activityDays === null ? null : row.checkedInDays.length === row.activityDays,
    });
  }
}

@ObjectType({
  description:
    'A page of VolunteerSignUp items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class VolunteerSignUpConnection extends Connection(VolunteerSignUp, 'VolunteerSignUp') {}

@ObjectType('VolunteerHoursApproval', { description: "志愿时长审核: the outcome of approving an activity's hours in bulk." })
export class VolunteerHoursApproval {
  @Field(() => ID, { description: 'The activity.' })
  activityId: string;

  @Field(() => Int, { description: 'Sign-ups whose hours this call set or changed (0 when approving the same hours again).' })
  changed: number;

  @Field(() => Int, { description: 'Sign-ups of the activity with approved hours, after this call.' })
  approvedSignUps: number;

  @Field(() => Float, { description: 'Approved hours of the activity, after this call.' })
  totalHours: number;
}

@ObjectType('VolunteerHours', {
  description: '志愿时长: approved hours of one volunteer or one team in one month (Asia/Shanghai, by activity start).',
})
export class VolunteerHours {
  @Field({ description: '志愿时长' })
  labelZh: string;

  @Field(() => LocalDateScalar, { description: 'First day of the month.' })
  month: string;

  @Field(() => ID, { nullable: true, description: 'Set when grouped by volunteer.' })
  volunteerId: string | null;

  @Field(() => ID, { nullable: true, description: "Set when grouped by team (the volunteers' current team)." })
  teamId: string | null;

  @Field(() => Float, { description: 'Approved hours, to the hundredth.' })
  hours: number;

  @Field(() => Int, { description: 'Activities with approved hours.' })
  activities: number;

  @Field(() => Int, { description: 'Volunteers with approved hours (1 when grouped by volunteer).' })
  volunteers: number;
}

@ObjectType({
  description:
    'A page of VolunteerHours items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class VolunteerHoursConnection extends Connection(VolunteerHours, 'VolunteerHours') {}
