import { ArgsType, Field, GraphQLISODateTime, ID, InputType } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { CHECK_IN_RULES } from './check-in-rules.js';
import { CheckInBranch, CheckInReviewStatus, CheckInVerdict } from './check-in-enums.js';

@InputType({ description: "A party member's weekly photo check-in (党员晒图打卡) of their household's sorting." })
export class SubmitPhotoCheckInInput {
  @Field(() => ID, { description: 'A photo you uploaded beforehand (POST /uploads), evidence of this check-in only.' })
  photoId: string;

  @Field(() => GraphQLISODateTime, {
    description: `When the photo was taken: not in the future, at most ${CHECK_IN_RULES.maxAgeDays} days ago. Decides the week it counts for.`,
  })
  takenAt: Date;

  @Field(() => String, { nullable: true, description: `Up to ${CHECK_IN_RULES.maxNoteLength} characters.` })
  note?: string | null;
}

@ArgsType()
export class ReviewPhotoCheckInArgs {
  @Field(() => ID, { description: "The check-in's id." })
  id: string;

  @Field(() => CheckInBranch, { description: 'WORK (单位支部) for a branch secretary, COMMUNITY (社区支部) for the community secretary.' })
  branch: CheckInBranch;

  @Field(() => CheckInVerdict, {
    description: 'APPROVED, or REJECTED (with a note); a rejected check-in stops counting towards the quota.',
  })
  verdict: CheckInVerdict;

  @Field(() => String, {
    nullable: true,
    description: `Required for REJECTED (tell the member why); up to ${CHECK_IN_RULES.maxNoteLength} characters.`,
  })
  note?: string | null;
}

@ArgsType()
export class PhotoCheckInsArgs extends PageArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'Check-ins of member households in this unit and below it (default: your whole territory).',
  })
  orgUnitId?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'A Monday: only that week. All weeks when omitted.' })
  week?: string | null;

  @Field(() => CheckInReviewStatus, { nullable: true, description: 'Only check-ins with this review status.' })
  reviewStatus?: CheckInReviewStatus | null;

  @Field(() => CheckInBranch, { nullable: true, description: 'Only check-ins that branch has not reviewed yet.' })
  awaitingReviewBy?: CheckInBranch | null;
}

@ArgsType()
export class CheckInQuotaFlagsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Flags of member households in this unit and below it (default: your whole territory).' })
  orgUnitId?: string | null;

  @Field(() => LocalDateScalar, { description: 'The Monday of the week.' })
  week: string;
}
