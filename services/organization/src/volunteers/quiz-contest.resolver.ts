import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { DomainError } from '#libs/errors';
import { PageArgs, type ConnectionShape } from '#libs/pagination';
import { CurrentCaller, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { Institution } from '../institutions/institution.model.js';
import { InstitutionService } from '../institutions/institution.service.js';
import { institutionLoader } from '../institutions/institution.loader.js';
import { CONTEST_RULES, QUIZ_RULES } from './volunteer-enums.js';
import { VolunteerContestService } from './volunteer-contest.service.js';
import { VolunteerQuizService } from './volunteer-quiz.service.js';
import { VolunteerTeamService } from './volunteer-team.service.js';
import { Volunteer } from './volunteer.models.js';
import { loadVolunteer } from './volunteers.resolver.js';
import {
  CreateVolunteerContestInput,
  CreateVolunteerQuizInput,
  SubmitContestEntryInput,
  VolunteerContestsArgs,
  VolunteerQuizzesArgs,
} from './quiz-contest.inputs.js';
import {
  VolunteerContest,
  VolunteerContestConnection,
  VolunteerContestEntry,
  VolunteerContestEntryConnection,
  VolunteerQuiz,
  VolunteerQuizAnswer,
  VolunteerQuizAnswerConnection,
  VolunteerQuizConnection,
  type QuizAnswerRow,
} from './quiz-contest.models.js';

function mapNodes<A, B>(connection: ConnectionShape<A>, map: (node: A) => B): ConnectionShape<B> {
  return {
    pageInfo: connection.pageInfo,
    totalCount: connection.totalCount,
    edges: connection.edges.map((edge) => ({ cursor: edge.cursor, node: map(edge.node) })),
  };
}

@Resolver(() => VolunteerQuiz)
export class VolunteerQuizResolver {
  constructor(private readonly quizzes: VolunteerQuizService) {}

  @Mutation(() => VolunteerQuiz, {
    description:
      '线上答题: a quiz of a unit of your territory, open from opensAt to closesAt (after opensAt: CLOSES_BEFORE_OPENS; in the future: ' +
      `CLOSES_IN_PAST; at most ${QUIZ_RULES.maxOpenDays} days: TOO_LONG), with ${QUIZ_RULES.minQuestions}–${QUIZ_RULES.maxQuestions} questions of ` +
      `${QUIZ_RULES.minOptions}–${QUIZ_RULES.maxOptions} distinct options and one correct option (else BAD_USER_INPUT INVALID_QUESTION). Nothing is ` +
      'written on a refusal.',
  })
  async createVolunteerQuiz(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: "The quiz's campaign, title, window and questions." }) input: CreateVolunteerQuizInput,
  ): Promise<VolunteerQuiz> {
    input.orgUnitId = requireUuid(input.orgUnitId, 'orgUnitId');
    return this.quizzes.present(caller, await this.quizzes.create(caller, input));
  }

  @Mutation(() => VolunteerQuizAnswer, {
    description:
      'Answers a quiz once (you must be a registered volunteer: NOT_A_VOLUNTEER), one option (from 0) per question in order (else ' +
      'BAD_USER_INPUT INVALID_ANSWERS), while it is open (QUIZ_NOT_OPEN, QUIZ_CLOSED); a second submission is CONFLICT ALREADY_ANSWERED. ' +
      'Returns your score, computed by the server; the correct options appear once the quiz has closed. Nothing is written on a refusal.',
  })
  async answerVolunteerQuiz(
    @CurrentCaller() caller: Caller,
    @Args('quizId', { type: () => ID, description: 'The quiz: open now.' }, ParseUuidPipe) quizId: string,
    @Args('choices', { type: () => [Int], description: 'The option chosen for each question, in order (from 0).' }) choices: number[],
  ): Promise<VolunteerQuizAnswer> {
    return this.quizzes.presentAnswer(await this.quizzes.answer(caller, quizId, choices), false);
  }

  @Query(() => VolunteerQuizConnection, {
    description:
      'Quizzes, newest opening first, for everyone with VOLUNTEER_SIGN_UP or TERRITORY_READ whatever their territory (no personal data); ' +
      'with orgUnitId, those of that unit, below it or of its ancestors.',
  })
  async volunteerQuizzes(@CurrentCaller() caller: Caller, @Args() args: VolunteerQuizzesArgs): Promise<VolunteerQuizConnection> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    const now = new Date();
    return mapNodes(await this.quizzes.list(args), (row) => this.quizzes.present(caller, row, now));
  }

  @Query(() => VolunteerQuiz, { description: 'A quiz with its questions (correct options once it has closed, or for its organisers).' })
  async volunteerQuiz(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The quiz's id." }, ParseUuidPipe) id: string,
  ): Promise<VolunteerQuiz> {
    return this.quizzes.present(caller, await this.quizzes.get(id));
  }

  @ResolveField(() => VolunteerQuizAnswer, { nullable: true, description: 'Your answers and score, or null before you answer.' })
  async myAnswer(
    @Parent() quiz: VolunteerQuiz,
    @CurrentCaller() caller: Caller,
    @Context() context: RequestContext,
  ): Promise<VolunteerQuizAnswer | null> {
    const row = await requestLoader<QuizAnswerRow>(context, 'MyVolunteerQuizAnswer', (ids) => this.quizzes.answersOf(caller, ids)).load(
      quiz.id,
    );
    return row ? this.quizzes.presentAnswer(row, false) : null;
  }

  @ResolveField(() => VolunteerQuizAnswerConnection, {
    description:
      "For the quiz's organisers (VOLUNTEER_MANAGE in its territory; else FORBIDDEN OUT_OF_SCOPE): every answer with its score, in the order they came.",
  })
  async results(
    @Parent() quiz: VolunteerQuiz,
    @CurrentCaller() caller: Caller,
    @Args() args: PageArgs,
    @Context() context: RequestContext,
  ): Promise<VolunteerQuizAnswerConnection> {
    if (!this.quizzes.mayManage(caller, quiz)) throw DomainError.forbidden("Only the quiz's organisers see its results", 'OUT_OF_SCOPE');
    const now = new Date();
    // One statement per page of quizzes asking for the same page of answers.
    const loader = requestLoader<ConnectionShape<QuizAnswerRow>>(
      context,
      `VolunteerQuiz.results:${JSON.stringify([args.first ?? null, args.after ?? null])}`,
      (ids) => this.quizzes.resultsOf(ids, args),
    );
    return mapNodes((await loader.load(quiz.id))!, (row) => this.quizzes.presentAnswer(row, true, now));
  }
}

@Resolver(() => VolunteerQuizAnswer)
export class VolunteerQuizAnswerResolver {
  constructor(private readonly teams: VolunteerTeamService) {}

  @ResolveField(() => Volunteer, {
    nullable: true,
    description: 'Who answered: name and phone masked unless you read personal data or it is you.',
  })
  volunteer(@Parent() answer: VolunteerQuizAnswer, @Context() context: RequestContext): Promise<Volunteer | null> {
    return loadVolunteer(context, this.teams, answer.volunteerId);
  }
}

@Resolver(() => VolunteerContest)
export class VolunteerContestResolver {
  constructor(private readonly contests: VolunteerContestService) {}

  @Mutation(() => VolunteerContest, {
    description:
      '作品征集比赛: a contest of a unit of your territory taking entries until entriesCloseAt (in the future: CLOSES_IN_PAST), with ' +
      `${CONTEST_RULES.minTiers}–${CONTEST_RULES.maxTiers} award tiers, highest first, each given at most awardCount times ` +
      `(${CONTEST_RULES.minAwardCount}–${CONTEST_RULES.maxAwardCount}; distinct names; else BAD_USER_INPUT INVALID_TIERS).`,
  })
  async createVolunteerContest(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: "The contest's campaign, title, theme, window and prize tiers." }) input: CreateVolunteerContestInput,
  ): Promise<VolunteerContest> {
    input.orgUnitId = requireUuid(input.orgUnitId, 'orgUnitId');
    return VolunteerContest.from(await this.contests.create(caller, input));
  }

  @Query(() => VolunteerContestConnection, {
    description:
      'Contests, latest deadline first, for everyone with VOLUNTEER_SIGN_UP or TERRITORY_READ (no personal data); orgUnitId as for quizzes.',
  })
  async volunteerContests(@Args() args: VolunteerContestsArgs): Promise<VolunteerContestConnection> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    const now = new Date();
    return mapNodes(await this.contests.list(args), (row) => VolunteerContest.from(row, now));
  }

  @Query(() => VolunteerContest, { description: 'A contest with its tiers (and how many of each are given).' })
  async volunteerContest(
    @Args('id', { type: () => ID, description: "The contest's id." }, ParseUuidPipe) id: string,
  ): Promise<VolunteerContest> {
    return VolunteerContest.from(await this.contests.get(id));
  }

  @ResolveField(() => VolunteerContestEntryConnection, {
    description:
      "For the contest's organisers (VOLUNTEER_MANAGE in its territory; else FORBIDDEN OUT_OF_SCOPE): every entry, in the order they came.",
  })
  async entries(
    @Parent() contest: VolunteerContest,
    @CurrentCaller() caller: Caller,
    @Args() args: PageArgs,
    @Context() context: RequestContext,
  ): Promise<VolunteerContestEntryConnection> {
    if (!this.contests.mayManage(caller, contest))
      throw DomainError.forbidden("Only the contest's organisers see every entry", 'OUT_OF_SCOPE');
    // One statement per page of contests asking for the same page of entries.
    const loader = requestLoader<VolunteerContestEntryConnection>(
      context,
      `VolunteerContest.entries:${JSON.stringify([args.first ?? null, args.after ?? null])}`,
      (ids) => this.contests.entriesOf(caller, ids, args),
    );
    return (await loader.load(contest.id))!;
  }

  @ResolveField(() => VolunteerContestEntryConnection, {
    description:
      "The results: awarded entries, highest tier first. Entrants' names masked unless you read personal data in the contest's territory.",
  })
  async results(
    @Parent() contest: VolunteerContest,
    @CurrentCaller() caller: Caller,
    @Args() args: PageArgs,
    @Context() context: RequestContext,
  ): Promise<VolunteerContestEntryConnection> {
    const loader = requestLoader<VolunteerContestEntryConnection>(
      context,
      `VolunteerContest.results:${JSON.stringify([args.first ?? null, args.after ?? null])}`,
      (ids) => this.contests.resultsOf(caller, ids, args),
    );
    return (await loader.load(contest.id))!;
  }
}

@Resolver(() => VolunteerContestEntry)
export class VolunteerContestEntryResolver {
  constructor(
    private readonly contests: VolunteerContestService,
    private readonly institutions: InstitutionService,
  ) {}

  @Mutation(() => VolunteerContestEntry, {
    description:
      'Submits a work to a contest while it takes entries (else BAD_USER_INPUT CONTEST_CLOSED), as a registered volunteer (a student, ' +
      `or a guardian for them), at most ${CONTEST_RULES.maxEntriesPerVolunteer} per contest (CONFLICT TOO_MANY_ENTRIES). A school must be ` +
      'an institution of kind SCHOOL (INVALID_SCHOOL).',
  })
  async submitContestEntry(
    @CurrentCaller() caller: Caller,
    @Args('contestId', { type: () => ID, description: 'The contest: open now.' }, ParseUuidPipe) contestId: string,
    @Args('input', { description: "The entry's title, description and photos." }) input: SubmitContestEntryInput,
  ): Promise<VolunteerContestEntry> {
    if (input.schoolId) input.schoolId = requireUuid(input.schoolId, 'schoolId');
    return (await this.contests.present(caller, [await this.contests.submit(caller, contestId, input)]))[0];
  }

  @Mutation(() => VolunteerContestEntry, {
    description:
      'Awards an entry a tier (by its name, e.g. 一等奖) after the contest closed (else BAD_USER_INPUT CONTEST_STILL_OPEN): CONFLICT ' +
      'AWARD_TIER_FULL once the tier is given its count of times, ALREADY_AWARDED for an entry awarded before; UNKNOWN_TIER. Organisers ' +
      "of the contest's territory.",
  })
  async awardContestEntry(
    @CurrentCaller() caller: Caller,
    @Args('entryId', { type: () => ID, description: "The entry's id." }, ParseUuidPipe) entryId: string,
    @Args('tier', { description: 'The prize tier, as named in the contest (e.g. 一等奖).' }) tier: string,
  ): Promise<VolunteerContestEntry> {
    return (await this.contests.present(caller, [await this.contests.award(caller, entryId, tier)]))[0];
  }

  @ResolveField(() => Institution, { nullable: true, description: "The entrant's school, if given." })
  async school(@Parent() entry: VolunteerContestEntry, @Context() context: RequestContext): Promise<Institution | null> {
    if (!entry.schoolId) return null;
    const institution = await institutionLoader(context, this.institutions).load(entry.schoolId);
    return institution ? Institution.from(institution) : null;
  }
}
