import { registerEnumType } from '@nestjs/graphql';
import { describedValues } from '#libs/platform';

/** The four role-model campaigns (四大示范行动) that publish volunteer activities in the mini-program (鄞领志愿). */
export enum VolunteerCampaign {
  GREEN_PIONEERS = 'GREEN_PIONEERS',
  TRUSTWORTHY_HOMEMAKERS = 'TRUSTWORTHY_HOMEMAKERS',
  YOUTH_GREEN_COLLARS = 'YOUTH_GREEN_COLLARS',
  GOLDEN_YOUNGSTERS = 'GOLDEN_YOUNGSTERS',
}

export const VOLUNTEER_CAMPAIGN_LABEL_ZH: Record<VolunteerCampaign, string> = {
  [VolunteerCampaign.GREEN_PIONEERS]: '绿色先锋',
  [VolunteerCampaign.TRUSTWORTHY_HOMEMAKERS]: '信义主妇',
  [VolunteerCampaign.YOUTH_GREEN_COLLARS]: '青春绿领',
  [VolunteerCampaign.GOLDEN_YOUNGSTERS]: '金色少年',
};

/** Who runs a campaign and whom it mobilises. */
export enum CampaignOrganiser {
  PARTY_MEMBERS = 'PARTY_MEMBERS',
  WOMENS_FEDERATION = 'WOMENS_FEDERATION',
  YOUTH_LEAGUE = 'YOUTH_LEAGUE',
  STUDENTS = 'STUDENTS',
}

export const CAMPAIGN_ORGANISER_LABEL_ZH: Record<CampaignOrganiser, string> = {
  [CampaignOrganiser.PARTY_MEMBERS]: '党员',
  [CampaignOrganiser.WOMENS_FEDERATION]: '妇联',
  [CampaignOrganiser.YOUTH_LEAGUE]: '团委',
  [CampaignOrganiser.STUDENTS]: '学生',
};

export const CAMPAIGN_ORGANISER: Record<VolunteerCampaign, CampaignOrganiser> = {
  [VolunteerCampaign.GREEN_PIONEERS]: CampaignOrganiser.PARTY_MEMBERS,
  [VolunteerCampaign.TRUSTWORTHY_HOMEMAKERS]: CampaignOrganiser.WOMENS_FEDERATION,
  [VolunteerCampaign.YOUTH_GREEN_COLLARS]: CampaignOrganiser.YOUTH_LEAGUE,
  [VolunteerCampaign.GOLDEN_YOUNGSTERS]: CampaignOrganiser.STUDENTS,
};

/** What volunteers do at an activity. */
export enum VolunteerActivityKind {
  BIN_SIDE = 'BIN_SIDE',
  DOOR_VISIT = 'DOOR_VISIT',
  BAG_CHECK = 'BAG_CHECK',
  PATROL = 'PATROL',
  QUIZ = 'QUIZ',
  CONTEST = 'CONTEST',
}

export const VOLUNTEER_ACTIVITY_KIND_LABEL_ZH: Record<VolunteerActivityKind, string> = {
  [VolunteerActivityKind.BIN_SIDE]: '桶边督导',
  [VolunteerActivityKind.DOOR_VISIT]: '入户宣传',
  [VolunteerActivityKind.BAG_CHECK]: '破袋检查',
  [VolunteerActivityKind.PATROL]: '巡查垃圾包',
  [VolunteerActivityKind.QUIZ]: '知识竞答',
  [VolunteerActivityKind.CONTEST]: '比赛',
};

/** DRAFT → PUBLISHED → COMPLETED | CANCELLED (a draft may be cancelled too). */
export enum VolunteerActivityStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}

export const VOLUNTEER_ACTIVITY_STATUS_LABEL_ZH: Record<VolunteerActivityStatus, string> = {
  [VolunteerActivityStatus.DRAFT]: '草稿',
  [VolunteerActivityStatus.PUBLISHED]: '已发布',
  [VolunteerActivityStatus.COMPLETED]: '已结束',
  [VolunteerActivityStatus.CANCELLED]: '已取消',
};

/** Where a sign-up stands, derived from its columns. */
export enum VolunteerSignUpStatus {
  SIGNED_UP = 'SIGNED_UP',
  CHECKED_IN = 'CHECKED_IN',
  HOURS_APPROVED = 'HOURS_APPROVED',
  CANCELLED = 'CANCELLED',
}

export const VOLUNTEER_SIGN_UP_STATUS_LABEL_ZH: Record<VolunteerSignUpStatus, string> = {
  [VolunteerSignUpStatus.SIGNED_UP]: '已报名',
  [VolunteerSignUpStatus.CHECKED_IN]: '已签到',
  [VolunteerSignUpStatus.HOURS_APPROVED]: '时长已审核',
  [VolunteerSignUpStatus.CANCELLED]: '已取消报名',
};

/** Activity rules, documented in the schema and docs/organization.md. */
export const VOLUNTEER_RULES = {
  minCapacity: 1,
  maxCapacity: 1000,
  maxDurationHours: 24,
  /** A multi-day activity (e.g. 21天助分类) runs this many whole days. */
  minDays: 2,
  maxDays: 60,
  /**
   * A daily check-in is for a day of the activity: today (Asia/Shanghai) or, late, up to this many days before (a
   * phone that was offline); never a day still to come.
   */
  lateCheckInDays: 2,
  /** A check-in is accepted from this many minutes before the start until this many after the end. */
  checkInMarginMinutes: 30,
  maxTitleLength: 100,
  maxDescriptionLength: 2000,
  maxPlaceLength: 200,
  maxTeamNameLength: 50,
  maxNameLength: 50,
} as const;

/** Online quizzes (线上答题), documented in the schema and docs/organization.md. */
export const QUIZ_RULES = {
  minQuestions: 1,
  maxQuestions: 50,
  minOptions: 2,
  maxOptions: 6,
  maxQuestionLength: 500,
  maxOptionLength: 200,
  /** A quiz stays open at most this many days. */
  maxOpenDays: 90,
} as const;

/** Contests with entries and awards (作品征集比赛). */
export const CONTEST_RULES = {
  maxThemeLength: 200,
  minTiers: 1,
  maxTiers: 10,
  maxTierLength: 20,
  minAwardCount: 1,
  maxAwardCount: 100,
  maxEntrantNameLength: 50,
  /** Entries one volunteer (a student, or a guardian for their children) may submit to one contest. */
  maxEntriesPerVolunteer: 5,
} as const;

/** Where a quiz stands at the server's now: before opens_at, between, from closes_at on. */
export enum VolunteerQuizState {
  NOT_OPEN = 'NOT_OPEN',
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}

export const VOLUNTEER_QUIZ_STATE_LABEL_ZH: Record<VolunteerQuizState, string> = {
  [VolunteerQuizState.NOT_OPEN]: '未开始',
  [VolunteerQuizState.OPEN]: '答题中',
  [VolunteerQuizState.CLOSED]: '已结束',
};

registerEnumType(VolunteerCampaign, {
  name: 'VolunteerCampaign',
  description: '四大示范行动: the role-model campaigns',
  valuesMap: describedValues(VOLUNTEER_CAMPAIGN_LABEL_ZH),
});
registerEnumType(CampaignOrganiser, {
  name: 'CampaignOrganiser',
  description: 'Who runs a campaign',
  valuesMap: describedValues(CAMPAIGN_ORGANISER_LABEL_ZH),
});
registerEnumType(VolunteerActivityKind, {
  name: 'VolunteerActivityKind',
  description: 'What volunteers do at an activity (志愿活动类型).',
  valuesMap: describedValues(VOLUNTEER_ACTIVITY_KIND_LABEL_ZH),
});
registerEnumType(VolunteerActivityStatus, {
  name: 'VolunteerActivityStatus',
  description: 'Where a volunteer activity is: DRAFT, PUBLISHED (open for sign-up), COMPLETED or CANCELLED.',
  valuesMap: describedValues(VOLUNTEER_ACTIVITY_STATUS_LABEL_ZH),
});
registerEnumType(VolunteerSignUpStatus, {
  name: 'VolunteerSignUpStatus',
  description: "Where a volunteer's sign-up is: SIGNED_UP, CHECKED_IN, HOURS_APPROVED or CANCELLED.",
  valuesMap: describedValues(VOLUNTEER_SIGN_UP_STATUS_LABEL_ZH),
});
registerEnumType(VolunteerQuizState, {
  name: 'VolunteerQuizState',
  description: 'Whether a quiz is not yet open, open, or closed.',
  valuesMap: describedValues(VOLUNTEER_QUIZ_STATE_LABEL_ZH),
});
