import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import {
  CHECK_IN_REVIEW_LABEL_ZH,
  CHECK_IN_REVIEW_STATUS_LABEL_ZH,
  CHECK_IN_VERDICT_LABEL_ZH,
  CheckInBranch,
  CheckInReviewStatus,
  CheckInVerdict,
} from './check-in-enums.js';
import type { CheckInQuotaFlagRow, PhotoCheckInRow } from './check-in.entity.js';

@ObjectType('PhotoCheckInReview', { description: "One branch's review of a photo check-in: 单位支部审核 or 社区支部审核." })
export class PhotoCheckInReview {
  @Field(() => CheckInBranch, { description: 'Which branch reviewed: WORK (单位支部) or COMMUNITY (社区支部).' })
  branch: CheckInBranch;

  @Field({ description: '单位支部审核 or 社区支部审核' })
  labelZh: string;

  @Field(() => CheckInVerdict, { description: "The branch's verdict." })
  verdict: CheckInVerdict;

  @Field({ description: '审核通过 or 审核不通过' })
  verdictLabelZh: string;

  @Field(() => String, { nullable: true, description: "The reviewer's note; every rejection has one." })
  note: string | null;

  @Field({ description: 'User id of the branch secretary (WORK) or community secretary (COMMUNITY) who reviewed.' })
  reviewerId: string;

  @Field({ description: 'When the review was made (ISO 8601 timestamp).' })
  reviewedAt: Date;

  static of(
    branch: CheckInBranch,
    verdict: CheckInVerdict | null,
    note: string | null,
    by: string | null,
    at: Date | null,
  ): PhotoCheckInReview | null {
    if (verdict === null || by === null || at === null) return null;
    return Object.assign(new PhotoCheckInReview(), {
      branch,
      labelZh: CHECK_IN_REVIEW_LABEL_ZH[branch],
      verdict,
      verdictLabelZh: CHECK_IN_VERDICT_LABEL_ZH[verdict],
      note,
      reviewerId: by,
      reviewedAt: at,
    });
  }
}

@ObjectType('PhotoCheckIn', {
  description:
    "党员晒图打卡: a party member's photo of the household's kitchen-waste sorting, reviewed by both of the member's branches (双报到双管理).",
})
export class PhotoCheckIn {
  @Field(() => ID, { description: 'Stable id of the check-in.' })
  id: string;

  @Field({ description: '党员晒图打卡' })
  labelZh: string;

  @Field(() => ID, { description: 'The party member who posted it.' })
  partyMemberId: string;

  /** `household` is resolved in PhotoCheckInResolver, batched per request. */
  householdId: string;

  @Field(() => ID, { description: 'The photo (GET /uploads/{id}).' })
  photoId: string;

  @Field({ description: 'When the photo was taken.' })
  takenAt: Date;

  @Field(() => LocalDateScalar, { description: 'The Monday of the week (Asia/Shanghai) the check-in counts for.' })
  week: string;

  @Field(() => String, { nullable: true, description: "The member's note with the photo, if any." })
  note: string | null;

  @Field({ description: 'When the check-in was posted (ISO 8601 timestamp).' })
  submittedAt: Date;

  @Field(() => PhotoCheckInReview, { nullable: true, description: '单位支部审核: null until the work-unit branch has reviewed.' })
  workReview: PhotoCheckInReview | null;

  @Field(() => PhotoCheckInReview, { nullable: true, description: '社区支部审核: null until the community branch has reviewed.' })
  communityReview: PhotoCheckInReview | null;

  @Field(() => CheckInReviewStatus, { description: 'How far its two reviews have got.' })
  reviewStatus: CheckInReviewStatus;

  @Field({ description: 'The Chinese name of reviewStatus.' })
  reviewStatusLabelZh: string;

  @Field({ description: 'Whether it counts towards the weekly quota: unless a branch rejected it.' })
  countsTowardsQuota: boolean;

  static from(row: PhotoCheckInRow): PhotoCheckIn {
    return Object.assign(new PhotoCheckIn(), {
      id: row.id,
      labelZh: '党员晒图打卡',
      partyMemberId: row.partyMemberId,
      householdId: row.householdId,
      photoId: row.photoId,
      takenAt: row.takenAt,
      week: row.week,
      note: row.note,
      submittedAt: row.submittedAt,
      workReview: PhotoCheckInReview.of(CheckInBranch.WORK, row.workVerdict, row.workNote, row.workReviewedBy, row.workReviewedAt),
      communityReview: PhotoCheckInReview.of(
        CheckInBranch.COMMUNITY,
        row.communityVerdict,
        row.communityNote,
        row.communityReviewedBy,
        row.communityReviewedAt,
      ),
      reviewStatus: row.reviewStatus,
      reviewStatusLabelZh: CHECK_IN_REVIEW_STATUS_LABEL_ZH[row.reviewStatus],
      countsTowardsQuota: row.reviewStatus !== CheckInReviewStatus.REJECTED,
    });
  }
}

@ObjectType({
  description:
    'A page of PhotoCheckIn items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class PhotoCheckInConnection extends Connection(PhotoCheckIn, 'PhotoCheckIn') {}

@ObjectType('CheckInQuotaFlag', {
  description: '晒图打卡未达标: a party member whose household had fewer counting photo check-ins in a week than the quota.',
})
export class CheckInQuotaFlag {
  @Field({ description: '晒图打卡未达标' })
  labelZh: string;

  @Field(() => ID, { description: 'The party member who missed the weekly quota.' })
  partyMemberId: string;

  /** `household` is resolved in CheckInQuotaFlagResolver, batched per request. */
  householdId: string;

  @Field(() => LocalDateScalar, { description: 'The Monday of the week flagged.' })
  week: string;

  @Field(() => Int, { description: 'Counting check-ins (not rejected) in the week when it was flagged; 0 for a member who posted none.' })
  checkIns: number;

  @Field(() => Int, { description: 'The weekly quota in force then.' })
  quota: number;

  @Field({ description: 'When the weekly job flagged it (Monday after the week).' })
  flaggedAt: Date;

  static from(row: CheckInQuotaFlagRow): CheckInQuotaFlag {
    return Object.assign(new CheckInQuotaFlag(), {
      labelZh: '晒图打卡未达标',
      partyMemberId: row.partyMemberId,
      householdId: row.householdId,
      week: row.week,
      checkIns: row.checkIns,
      quota: row.quota,
      flaggedAt: row.flaggedAt,
    });
  }
}

@ObjectType({
  description:
    'A page of CheckInQuotaFlag items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class CheckInQuotaFlagConnection extends Connection(CheckInQuotaFlag, 'CheckInQuotaFlag') {}

@ObjectType('MemberCheckInWeek', { description: "本周晒图打卡: a party member's photo check-ins of one week against the quota." })
export class MemberCheckInWeek {
  @Field({ description: '党员晒图打卡' })
  labelZh: string;

  @Field(() => ID, { description: 'The party member (you).' })
  partyMemberId: string;

  @Field(() => LocalDateScalar, { description: 'The Monday of the week.' })
  week: string;

  @Field(() => Int, { description: 'Check-ins posted for the week, rejected ones included.' })
  submitted: number;

  @Field(() => Int, { description: 'Check-ins that count towards the quota: those no branch rejected.' })
  counting: number;

  @Field(() => Int, { description: 'Counting check-ins owed per week.' })
  quota: number;

  @Field({ description: 'counting ≥ quota.' })
  quotaMet: boolean;

  @Field({ description: 'Whether the weekly job flagged this week as under quota (it runs on the Monday after).' })
  flagged: boolean;

  /** `checkIns` is resolved in MemberCheckInWeekResolver, as a connection. */
  householdId: string;
}
