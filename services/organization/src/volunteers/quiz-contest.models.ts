import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '#libs/pagination';
import { maskName } from '#libs/privacy';
import { VOLUNTEER_CAMPAIGN_LABEL_ZH, VOLUNTEER_QUIZ_STATE_LABEL_ZH, VolunteerCampaign, VolunteerQuizState } from './volunteer-enums.js';

/** Rows as the services select them (column aliases in camelCase). */
export interface QuizQuestionRow {
  number: number;
  text: string;
  options: string[];
  correctOption: number;
}

export interface QuizRow {
  id: string;
  campaign: VolunteerCampaign;
  title: string;
  description: string;
  orgUnitId: string;
  orgUnitName: string;
  orgUnitPath: string[];
  opensAt: Date;
  closesAt: Date;
  opensAtKey: string;
  createdBy: string;
  createdAt: Date;
  answerCount: number;
  averageScore: number | null;
  questions: QuizQuestionRow[];
}

export interface QuizAnswerRow {
  id: string;
  quizId: string;
  volunteerId: string;
  choices: number[];
  score: number;
  submittedAt: Date;
  submittedAtKey: string;
  closesAt: Date;
  /** The correct option of each question, in order (shown only once the quiz has closed, or to its organisers). */
  correctOptions: number[];
}

export interface ContestTierRow {
  rank: number;
  tier: string;
  awardCount: number;
  awarded: number;
}

export interface ContestRow {
  id: string;
  campaign: VolunteerCampaign;
  title: string;
  theme: string;
  description: string;
  orgUnitId: string;
  orgUnitName: string;
  orgUnitPath: string[];
  entriesCloseAt: Date;
  closeKey: string;
  createdBy: string;
  createdAt: Date;
  entryCount: number;
  tiers: ContestTierRow[];
}

export interface ContestEntryRow {
  id: string;
  contestId: string;
  /** The submitter's user id: they read the entrant's name in clear. */
  submitterUserId: string;
  title: string;
  description: string;
  entrantName: string;
  schoolId: string | null;
  submittedAt: Date;
  submittedAtKey: string;
  awardRank: number | null;
  award: string | null;
  awardedAt: Date | null;
  /** The contest's unit path: organisers with PERSONAL_DATA_READ there read the name in clear. */
  contestPath: string[];
  /** Retention has masked the stored name: nobody reads it in clear any more. */
  entrantNameErased: boolean;
}

export function quizStateAt(opensAt: Date, closesAt: Date, now: Date): VolunteerQuizState {
  if (now.getTime() < new Date(opensAt).getTime()) return VolunteerQuizState.NOT_OPEN;
  if (now.getTime() >= new Date(closesAt).getTime()) return VolunteerQuizState.CLOSED;
  return VolunteerQuizState.OPEN;
}

@ObjectType('VolunteerQuizQuestion', { description: 'A question of a quiz.' })
export class VolunteerQuizQuestion {
  @Field(() => Int, { description: 'From 1, in the order of the quiz.' })
  number: number;

  @Field({ description: 'The question.' })
  text: string;

  @Field(() => [String], { description: 'The options to choose from, numbered from 0.' })
  options: string[];

  @Field(() => Int, {
    nullable: true,
    description: "Index (from 0) of the correct option: for the quiz's organisers, and for everyone once the quiz has closed; null before.",
  })
  correctOption: number | null;
}

@ObjectType('VolunteerQuiz', {
  description: '线上答题: an online quiz of a role-model campaign (e.g. 婦女姐妹线上答分类). No personal data.',
})
export class VolunteerQuiz {
  @Field(() => ID, { description: 'Stable id of the quiz.' })
  id: string;

  @Field({ description: '线上答题' })
  labelZh: string;

  @Field(() => VolunteerCampaign, { description: 'The campaign it belongs to.' })
  campaign: VolunteerCampaign;

  @Field({ description: 'e.g. 信义主妇' })
  campaignLabelZh: string;

  @Field({ description: "The quiz's title." })
  title: string;

  @Field({ description: 'What the quiz is about.' })
  description: string;

  orgUnitId: string;

  @Field({ description: 'The unit whose quiz it is.' })
  orgUnitName: string;

  @Field({ description: 'When answers open (ISO 8601 timestamp).' })
  opensAt: Date;

  @Field({ description: 'When answers close (ISO 8601 timestamp); correct options are shown after it.' })
  closesAt: Date;

  @Field(() => VolunteerQuizState, { description: "At the server's clock." })
  state: VolunteerQuizState;

  @Field({ description: 'e.g. 答题中' })
  stateLabelZh: string;

  @Field(() => Int, { description: 'How many questions it has.' })
  questionCount: number;

  @Field(() => [VolunteerQuizQuestion], { description: 'The questions, in order (without the correct options).' })
  questions: VolunteerQuizQuestion[];

  @Field(() => Int, { description: 'Participants who answered.' })
  answerCount: number;

  @Field(() => Float, { nullable: true, description: 'Mean score of the answers (questions right), null before the first.' })
  averageScore: number | null;

  /** For scope checks of nested fields. */
  orgUnitPath: string[];

  static from(row: QuizRow, revealAnswers: boolean, now = new Date()): VolunteerQuiz {
    const state = quizStateAt(row.opensAt, row.closesAt, now);
    const reveal = revealAnswers || state === VolunteerQuizState.CLOSED;
    return Object.assign(new VolunteerQuiz(), {
      id: row.id,
      labelZh: '线上答题',
      campaign: row.campaign,
      campaignLabelZh: VOLUNTEER_CAMPAIGN_LABEL_ZH[row.campaign],
      title: row.title,
      description: row.description,
      orgUnitId: row.orgUnitId,
      orgUnitName: row.orgUnitName,
      orgUnitPath: row.orgUnitPath,
      opensAt: row.opensAt,
      closesAt: row.closesAt,
      state,
      stateLabelZh: VOLUNTEER_QUIZ_STATE_LABEL_ZH[state],
      questionCount: row.questions.length,
      questions: row.questions.map((question) =>
        Object.assign(new VolunteerQuizQuestion(), {
          number: question.number,
          text: question.text,
          options: question.options,
          correctOption: reveal ? question.correctOption : null,
        }),
      ),
      answerCount: row.answerCount,
      averageScore: row.averageScore,
    });
  }
}

@ObjectType({
  description:
    'A page of VolunteerQuiz items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class VolunteerQuizConnection extends Connection(VolunteerQuiz, 'VolunteerQuiz') {}

@ObjectType('VolunteerQuizAnswer', { description: "A participant's answers to a quiz, scored by the server." })
export class VolunteerQuizAnswer {
  @Field(() => ID, { description: 'Stable id of the answer.' })
  id: string;

  @Field(() => ID, { description: 'The quiz answered.' })
  quizId: string;

  /** `volunteer` is resolved in VolunteerQuizAnswerResolver, batched and masked. */
  volunteerId: string;

  @Field(() => [Int], { description: 'The option chosen for each question, in order (from 0).' })
  choices: number[];

  @Field(() => Int, { description: 'Questions answered right.' })
  score: number;

  @Field(() => Int, { description: 'How many questions the quiz has.' })
  questionCount: number;

  @Field({ description: 'When it was submitted (ISO 8601 timestamp).' })
  submittedAt: Date;

  @Field(() => [Int], {
    nullable: true,
    description: 'The correct option of each question: once the quiz has closed (and for its organisers); null before.',
  })
  correctOptions: number[] | null;

  static from(row: QuizAnswerRow, revealAnswers: boolean, now = new Date()): VolunteerQuizAnswer {
    const closed = now.getTime() >= new Date(row.closesAt).getTime();
    return Object.assign(new VolunteerQuizAnswer(), {
      id: row.id,
      quizId: row.quizId,
      volunteerId: row.volunteerId,
      choices: row.choices,
      score: row.score,
      questionCount: row.correctOptions.length,
      submittedAt: row.submittedAt,
      correctOptions: revealAnswers || closed ? row.correctOptions : null,
    });
  }
}

@ObjectType({
  description:
    'A page of VolunteerQuizAnswer items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class VolunteerQuizAnswerConnection extends Connection(VolunteerQuizAnswer, 'VolunteerQuizAnswer') {}

@ObjectType('VolunteerContestTier', { description: 'An award tier (e.g. 一等奖) and how many of its awards are given.' })
export class VolunteerContestTier {
  @Field(() => Int, { description: '1 is the highest.' })
  rank: number;

  @Field({ description: 'e.g. 一等奖' })
  tier: string;

  @Field(() => Int, { description: 'How many entries may get this tier.' })
  awardCount: number;

  @Field(() => Int, { description: 'Entries awarded this tier so far.' })
  awarded: number;
}

@ObjectType('VolunteerContest', {
  description: '作品征集比赛: a contest of a role-model campaign (e.g. 中小学生垃圾分类优秀作品征集比赛). No personal data.',
})
export class VolunteerContest {
  @Field(() => ID, { description: 'Stable id of the contest.' })
  id: string;

  @Field({ description: '作品征集比赛' })
  labelZh: string;

  @Field(() => VolunteerCampaign, { description: 'The campaign it belongs to.' })
  campaign: VolunteerCampaign;

  @Field({ description: 'e.g. 金色少年' })
  campaignLabelZh: string;

  @Field({ description: "The contest's title." })
  title: string;

  @Field({ description: 'The theme entries should take up.' })
  theme: string;

  @Field({ description: 'What the contest is about and how to take part.' })
  description: string;

  orgUnitId: string;

  @Field({ description: 'The unit whose contest it is.' })
  orgUnitName: string;

  @Field({ description: 'Entries are taken until then; awards are given after it.' })
  entriesCloseAt: Date;

  @Field({ description: "Whether it takes entries now (server's clock)." })
  acceptingEntries: boolean;

  @Field(() => [VolunteerContestTier], { description: 'Highest first.' })
  tiers: VolunteerContestTier[];

  @Field(() => Int, { description: 'Entries submitted so far.' })
  entryCount: number;

  /** For scope checks of nested fields. */
  orgUnitPath: string[];

  static from(row: ContestRow, now = new Date()): VolunteerContest {
    return Object.assign(new VolunteerContest(), {
      id: row.id,
      labelZh: '作品征集比赛',
      campaign: row.campaign,
      campaignLabelZh: VOLUNTEER_CAMPAIGN_LABEL_ZH[row.campaign],
      title: row.title,
      theme: row.theme,
      description: row.description,
      orgUnitId: row.orgUnitId,
      orgUnitName: row.orgUnitName,
      orgUnitPath: row.orgUnitPath,
      entriesCloseAt: row.entriesCloseAt,
      acceptingEntries: now.getTime() < new Date(row.entriesCloseAt).getTime(),
      tiers: row.tiers.map((tier) => Object.assign(new VolunteerContestTier(), tier)),
      entryCount: row.entryCount,
    });
  }
}

@ObjectType({
  description:
    'A page of VolunteerContest items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class VolunteerContestConnection extends Connection(VolunteerContest, 'VolunteerContest') {}

@ObjectType('VolunteerContestEntry', {
  description:
    "A work submitted to a contest. The entrant is usually a minor: their name is masked unless you read personal data in the contest's territory, or you submitted it.",
})
export class VolunteerContestEntry {
  @Field(() => ID, { description: 'Stable id of the entry.' })
  id: string;

  @Field(() => ID, { description: 'The contest entered.' })
  contestId: string;

  @Field({ description: "The entry's title." })
  title: string;

  @Field({ description: 'What the entry is.' })
  description: string;

  @Field({ description: "Masked (张*明) unless you read personal data in the contest's territory or submitted the entry." })
  entrantName: string;

  @Field({ description: 'True when entrantName is masked.' })
  personalDataMasked: boolean;

  /** `school` is resolved in VolunteerContestEntryResolver, batched. */
  schoolId: string | null;

  @Field({ description: 'When it was submitted (ISO 8601 timestamp).' })
  submittedAt: Date;

  @Field(() => String, { nullable: true, description: 'The tier awarded (e.g. 一等奖), null while not awarded.' })
  award: string | null;

  @Field(() => Int, { nullable: true, description: 'Rank of the tier awarded (1 highest).' })
  awardRank: number | null;

  @Field(() => Date, { nullable: true, description: 'When it was awarded a tier.' })
  awardedAt: Date | null;

  static from(row: ContestEntryRow, unmasked: boolean): VolunteerContestEntry {
    return Object.assign(new VolunteerContestEntry(), {
      id: row.id,
      contestId: row.contestId,
      title: row.title,
      description: row.description,
      entrantName: unmasked ? row.entrantName : maskName(row.entrantName),
      personalDataMasked: !unmasked,
      schoolId: row.schoolId,
      submittedAt: row.submittedAt,
      award: row.award,
      awardRank: row.awardRank,
      awardedAt: row.awardedAt,
    });
  }
}

@ObjectType({
  description:
    'A page of VolunteerContestEntry items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class VolunteerContestEntryConnection extends Connection(VolunteerContestEntry, 'VolunteerContestEntry') {}
