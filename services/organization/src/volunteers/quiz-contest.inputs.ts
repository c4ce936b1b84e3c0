import { ArgsType, Field, GraphQLISODateTime, ID, InputType, Int } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';
import { CONTEST_RULES as C, QUIZ_RULES as Q, VolunteerCampaign } from './volunteer-enums.js';
import { DescriptionField, TitleField } from './volunteer.inputs.js';

@InputType({ description: 'A question of a quiz: its text, its options and which one is correct.' })
export class VolunteerQuizQuestionInput {
  @Field({ description: `1–${Q.maxQuestionLength} characters.` })
  text: string;

  @Field(() => [String], { description: `${Q.minOptions}–${Q.maxOptions} options, each 1–${Q.maxOptionLength} characters.` })
  options: string[];

  @Field(() => Int, { description: 'Index of the correct option, from 0.' })
  correctOption: number;
}

@InputType({ description: '线上答题: an online quiz (e.g. 婦女姐妹线上答分类 of 信义主妇).' })
export class CreateVolunteerQuizInput {
  @Field(() => VolunteerCampaign, { description: 'The role-model campaign the quiz belongs to.' })
  campaign: VolunteerCampaign;

  @TitleField()
  title: string;

  @DescriptionField()
  description?: string | null;

  @Field(() => ID, { description: 'The unit whose quiz it is (any unit of your territory: a community, a street, the district).' })
  orgUnitId: string;

  @Field(() => GraphQLISODateTime, { description: 'When answers are first taken (may be now or earlier: open at once).' })
  opensAt: Date;

  @Field(() => GraphQLISODateTime, { description: `After opensAt and in the future; at most ${Q.maxOpenDays} days after opensAt.` })
  closesAt: Date;

  @Field(() => [VolunteerQuizQuestionInput], {
    description: `${Q.minQuestions}–${Q.maxQuestions} questions, numbered from 1 in this order.`,
  })
  questions: VolunteerQuizQuestionInput[];
}

@ArgsType()
export class VolunteerQuizzesArgs extends PageArgs {
  @Field(() => ID, {
    nullable: true,
    description: "Quizzes of this unit, below it or of one of its ancestors (a compound sees its community's).",
  })
  orgUnitId?: string | null;

  @Field(() => VolunteerCampaign, { nullable: true, description: 'Only quizzes of this campaign.' })
  campaign?: VolunteerCampaign | null;
}

@InputType({ description: 'An award tier of a contest, e.g. 一等奖 × 1.' })
export class VolunteerContestTierInput {
  @Field({ description: `1–${C.maxTierLength} characters, unique within the contest, e.g. 一等奖.` })
  tier: string;

  @Field(() => Int, { description: `How many entries may get it, ${C.minAwardCount}–${C.maxAwardCount}.` })
  awardCount: number;
}

@InputType({ description: '作品征集比赛: a contest (e.g. 中小学生垃圾分类优秀作品征集比赛 of 金色少年).' })
export class CreateVolunteerContestInput {
  @Field(() => VolunteerCampaign, { description: 'The role-model campaign the contest belongs to.' })
  campaign: VolunteerCampaign;

  @TitleField()
  title: string;

  @Field({ description: `The theme works are about, 1–${C.maxThemeLength} characters.` })
  theme: string;

  @DescriptionField()
  description?: string | null;

  @Field(() => ID, { description: 'The unit whose contest it is (any unit of your territory).' })
  orgUnitId: string;

  @Field(() => GraphQLISODateTime, { description: 'Entries are taken until this instant (in the future); awards only after it.' })
  entriesCloseAt: Date;

  @Field(() => [VolunteerContestTierInput], { description: `${C.minTiers}–${C.maxTiers} tiers, highest first (rank 1, 2, …).` })
  tiers: VolunteerContestTierInput[];
}

@InputType({ description: 'A work submitted to a contest.' })
export class SubmitContestEntryInput {
  @TitleField()
  title: string;

  @DescriptionField()
  description?: string | null;

  @Field({
    description: `The entrant (a student, usually a minor), 1–${C.maxEntrantNameLength} characters. Personal data: masked to nearly everyone.`,
  })
  entrantName: string;

  @Field(() => ID, { nullable: true, description: "The entrant's school: an institution of kind SCHOOL." })
  schoolId?: string | null;
}

@ArgsType()
export class VolunteerContestsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Contests of this unit, below it or of one of its ancestors.' })
  orgUnitId?: string | null;

  @Field(() => VolunteerCampaign, { nullable: true, description: 'Only contests of this campaign.' })
  campaign?: VolunteerCampaign | null;
}
