import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Permission, hasPermission, isWithinScope, type Caller } from '#libs/auth';
import { SqlParams, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, fetchKeysetPagesByGroup, type ConnectionShape, type PageArgs } from '#libs/pagination';
import { QUIZ_RULES as Q, VOLUNTEER_RULES as R } from './volunteer-enums.js';
import type { CreateVolunteerQuizInput, VolunteerQuizzesArgs } from './quiz-contest.inputs.js';
import { VolunteerQuiz, VolunteerQuizAnswer, type QuizAnswerRow, type QuizRow } from './quiz-contest.models.js';
import { cleanText, requireUnitInScope, unitOrRelativesCondition, volunteerIdOf } from './volunteer-sql.js';

const QUIZ_COLUMNS = `q.id, q.campaign, q.title, q.description, q.org_unit_id AS "orgUnitId", u.name AS "orgUnitName", u.path::text[] AS "orgUnitPath",
  q.opens_at AS "opensAt", q.closes_at AS "closesAt", q.opens_at::text AS "opensAtKey", q.created_by AS "createdBy", q.created_at AS "createdAt",
  (SELECT count(*)::int FROM volunteer_quiz_answer x WHERE x.quiz_id = q.id) AS "answerCount",
  (SELECT round(avg(x.score), 2)::float8 FROM volunteer_quiz_answer x WHERE x.quiz_id = q.id) AS "averageScore",
  coalesce((SELECT json_agg(json_build_object('number', qq.number, 'text', qq.text, 'options', qq.options, 'correctOption', qq.correct_option)
                              ORDER BY qq.number)
              FROM volunteer_quiz_question qq WHERE qq.quiz_id = q.id), '[]'::json) AS questions`;
const QUIZ_FROM = `volunteer_quiz q JOIN org_unit u ON u.id = q.org_unit_id`;

const ANSWER_COLUMNS = `x.id, x.quiz_id AS "quizId", x.volunteer_id AS "volunteerId", x.choices::int[] AS choices, x.score::int AS score,
  x.submitted_at AS "submittedAt", x.submitted_at::text AS "submittedAtKey", xq.closes_at AS "closesAt",
  ARRAY(SELECT qq.correct_option::int FROM volunteer_quiz_question qq WHERE qq.quiz_id = x.quiz_id ORDER BY qq.number) AS "correctOptions"`;
const ANSWER_FROM = `volunteer_quiz_answer x JOIN volunteer_quiz xq ON xq.id = x.quiz_id`;

const invalidQuestion = (message: string, details: Record<string, unknown>) => DomainError.badInput(message, 'INVALID_QUESTION', details);

/**
 * Online quizzes (线上答题, e.g. 婦女姐妹线上答分类 for 信义主妇 teams): organisers (VOLUNTEER_MANAGE, their territory)
 * create them with their questions; volunteers answer once while a quiz is open and get the score the server computed;
 * organisers read the results; the correct options are shown to participants once the quiz has closed.
 */
@Injectable()
export class VolunteerQuizService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Checks everything first (title, window, every question) and writes the quiz with its questions in one statement,
   * so a refusal (INVALID_QUESTION, CLOSES_BEFORE_OPENS, …) writes nothing.
   */
  async create(caller: Caller, input: CreateVolunteerQuizInput, now = new Date()): Promise<QuizRow> {
    const title = cleanText(input.title, 'title', R.maxTitleLength, 'INVALID_TITLE');
    const description = cleanText(input.description, 'description', R.maxDescriptionLength, 'INVALID_DESCRIPTION', true);
    if (input.closesAt.getTime() <= input.opensAt.getTime())
      throw DomainError.badInput('closesAt must be after opensAt', 'CLOSES_BEFORE_OPENS');
    if (input.closesAt.getTime() <= now.getTime()) throw DomainError.badInput('closesAt must be in the future', 'CLOSES_IN_PAST');
    if (input.closesAt.getTime() - input.opensAt.getTime() > Q.maxOpenDays * 86400_000) {
      throw DomainError.badInput(`A quiz is open at most ${Q.maxOpenDays} days`, 'TOO_LONG', { maxDays: Q.maxOpenDays });
    }
    const questions = input.questions;
    if (questions.length < Q.minQuestions || questions.length > Q.maxQuestions) {
      throw invalidQuestion(`A quiz has ${Q.minQuestions} to ${Q.maxQuestions} questions`, { questions: questions.length });
    }
    const cleaned = questions.map((question, index) => {
      const number = index + 1;
      const text = cleanText(question.text, `question ${number}`, Q.maxQuestionLength, 'INVALID_QUESTION');
      const options = question.options;
      if (options.length < Q.minOptions || options.length > Q.maxOptions) {
        throw invalidQuestion(`Question ${number} needs ${Q.minOptions} to ${Q.maxOptions} options`, { number, options: options.length });
      }
      const cleanOptions = options.map((option) => cleanText(option, `question ${number}'s option`, Q.maxOptionLength, 'INVALID_QUESTION'));
      if (new Set(cleanOptions).size !== cleanOptions.length)
        throw invalidQuestion(`Question ${number} has the same option twice`, { number });
      if (!Number.isInteger(question.correctOption) || question.correctOption < 0 || question.correctOption >= options.length) {
        throw invalidQuestion(`Question ${number}'s correctOption must be 0 to ${options.length - 1}`, {
          number,
          correctOption: question.correctOption,
        });
      }
      return { number, text, options: cleanOptions, correctOption: question.correctOption };
    });
    await requireUnitInScope(this.dataSource, caller, input.orgUnitId, 'badInput');
    const { id } = await queryOne<{ id: string }>(
      this.dataSource,
      `WITH quiz AS (
         INSERT INTO volunteer_quiz (campaign, title, description, org_unit_id, opens_at, closes_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id),
       question AS (
         INSERT INTO volunteer_quiz_question (quiz_id, number, text, options, correct_option)
         SELECT quiz.id, e.number, e.text, ARRAY(SELECT jsonb_array_elements_text(e.options)), e."correctOption"
           FROM quiz, jsonb_to_recordset($8::jsonb) AS e(number int, text text, options jsonb, "correctOption" int))
       SELECT id FROM quiz`,
      [input.campaign, title, description, input.orgUnitId, input.opensAt, input.closesAt, caller.userId, JSON.stringify(cleaned)],
    );
    return (await this.quizzesByIds([id]))[0]!;
  }

  /**
   * The caller's answers, once, while the quiz is open (QUIZ_NOT_OPEN before, QUIZ_CLOSED from closesAt on, at the
   * server's clock): one option for each question (INVALID_ANSWERS otherwise). The score is counted in the insert
   * itself from the stored correct options; the unique (quiz, volunteer) decides between two submissions at once, the
   * second being CONFLICT ALREADY_ANSWERED. Every refusal writes nothing.
   */
  async answer(caller: Caller, quizId: string, choices: readonly number[], now = new Date()): Promise<QuizAnswerRow> {
    const id = await this.dataSource.transaction(async (manager) => {
      const volunteerId = await volunteerIdOf(manager, caller);
      const quiz = await queryFirst<{ opensAt: Date; closesAt: Date; optionCounts: number[] }>(
        manager,
        `SELECT q.opens_at AS "opensAt", q.closes_at AS "closesAt",
                ARRAY(SELECT cardinality(qq.options) FROM volunteer_quiz_question qq WHERE qq.quiz_id = q.id ORDER BY qq.number) AS "optionCounts"
           FROM volunteer_quiz q WHERE q.id = $1`,
        [quizId],
      );
      if (!quiz) throw DomainError.notFound('VolunteerQuiz', quizId);
      if (now.getTime() < new Date(quiz.opensAt).getTime()) {
        throw DomainError.badInput('The quiz has not opened yet', 'QUIZ_NOT_OPEN', { opensAt: new Date(quiz.opensAt).toISOString() });
      }
      if (now.getTime() >= new Date(quiz.closesAt).getTime()) {
        throw DomainError.badInput('The quiz has closed', 'QUIZ_CLOSED', { closesAt: new Date(quiz.closesAt).toISOString() });
      }
      const existing = await queryFirst<{ id: string }>(
        manager,
        `SELECT id FROM volunteer_quiz_answer WHERE quiz_id = $1 AND volunteer_id = $2`,
        [quizId, volunteerId],
      );
      if (existing) throw alreadyAnswered();
      if (choices.length !== quiz.optionCounts.length) {
        throw DomainError.badInput(`Answer each of the ${quiz.optionCounts.length} questions once`, 'INVALID_ANSWERS', {
          expected: quiz.optionCounts.length,
          given: choices.length,
        });
      }
      const wrong = choices.findIndex((choice, index) => !Number.isInteger(choice) || choice < 0 || choice >= quiz.optionCounts[index]);
      if (wrong >= 0) {
        throw DomainError.badInput(`Question ${wrong + 1} has options 0 to ${quiz.optionCounts[wrong] - 1}`, 'INVALID_ANSWERS', {
          number: wrong + 1,
          choice: choices[wrong],
        });
      }
      const inserted = await queryRows<{ id: string }>(
        manager,
        `INSERT INTO volunteer_quiz_answer (quiz_id, volunteer_id, choices, score)
         SELECT $1, $2, $3::int[]::smallint[],
                (SELECT count(*) FROM volunteer_quiz_question qq WHERE qq.quiz_id = $1 AND qq.correct_option = ($3::int[])[qq.number])
         ON CONFLICT (quiz_id, volunteer_id) DO NOTHING RETURNING id`,
        [quizId, volunteerId, choices],
      );
      if (inserted.length === 0) throw alreadyAnswered();
      return inserted[0].id;
    });
    return (await this.answersByIds([id]))[0];
  }

  async quizzesByIds(ids: readonly string[]): Promise<(QuizRow | null)[]> {
    const rows = await queryRows<QuizRow>(this.dataSource, `SELECT ${QUIZ_COLUMNS} FROM ${QUIZ_FROM} WHERE q.id = ANY($1::uuid[])`, [ids]);
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  }

  async get(id: string): Promise<QuizRow> {
    const [row] = await this.quizzesByIds([id]);
    if (!row) throw DomainError.notFound('VolunteerQuiz', id);
    return row;
  }

  /**
   * Quizzes, newest opening first, for everyone signed in who may take part or read the territory: they carry no
   * personal data (as the activity feed). With `orgUnitId`: quizzes of that unit, below it or of its ancestors.
   */
  async list(args: VolunteerQuizzesArgs): Promise<ConnectionShape<QuizRow>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (args.orgUnitId) where.push(await unitOrRelativesCondition(this.dataSource, params, args.orgUnitId, 'q'));
    if (args.campaign) where.push(`q.campaign = ${params.add(args.campaign)}`);
    return fetchKeysetPage<QuizRow, QuizRow>(
      this.dataSource,
      args,
      {
        select: QUIZ_COLUMNS,
        from: QUIZ_FROM,
        where,
        params,
        orderBy: ['q.opens_at', 'q.id'],
        keyOf: (r) => [r.opensAtKey, r.id],
        descending: true,
      },
      (rows) => rows,
    );
  }

  /** A quiz's answers in the order they came, with scores (for its organisers; the resolver checks). */
  /** The same page of answers to each quiz, in the order they came: one statement for a page of quizzes. */
  resultsOf(quizIds: readonly string[], args: PageArgs): Promise<ConnectionShape<QuizAnswerRow>[]> {
    const params = new SqlParams();
    return fetchKeysetPagesByGroup<QuizAnswerRow, QuizAnswerRow>(
      this.dataSource,
      args,
      quizIds,
      {
        select: ANSWER_COLUMNS,
        from: ANSWER_FROM,
        groupBy: 'x.quiz_id',
        where: [`x.quiz_id = ANY(${params.add(quizIds)}::uuid[])`],
        params,
        orderBy: ['x.submitted_at', 'x.id'],
        keyOf: (r) => [r.submittedAtKey, r.id],
      },
      (rows) => rows,
    );
  }

  async answersByIds(ids: readonly string[]): Promise<QuizAnswerRow[]> {
    return queryRows<QuizAnswerRow>(this.dataSource, `SELECT ${ANSWER_COLUMNS} FROM ${ANSWER_FROM} WHERE x.id = ANY($1::uuid[])`, [ids]);
  }

  /** The caller's own answers to these quizzes (null where they have none), one query for a page of quizzes. */
  async answersOf(caller: Caller, quizIds: readonly string[]): Promise<(QuizAnswerRow | null)[]> {
    const rows = await queryRows<QuizAnswerRow>(
      this.dataSource,
      `SELECT ${ANSWER_COLUMNS} FROM ${ANSWER_FROM} JOIN volunteer v ON v.id = x.volunteer_id
        WHERE v.user_id = $1 AND x.quiz_id = ANY($2::uuid[])`,
      [caller.userId, quizIds],
    );
    const found = new Map(rows.map((row) => [row.quizId, row]));
    return quizIds.map((id) => found.get(id) ?? null);
  }

  /** May the caller see this quiz's results and its correct options before it closes? Its organisers only. */
  mayManage(caller: Caller, quiz: Pick<QuizRow, 'orgUnitPath'>): boolean {
    return hasPermission(caller, Permission.VOLUNTEER_MANAGE) && isWithinScope(caller, quiz.orgUnitPath);
  }

  present(caller: Caller, row: QuizRow, now = new Date()): VolunteerQuiz {
    return VolunteerQuiz.from(row, this.mayManage(caller, row), now);
  }

  presentAnswer(row: QuizAnswerRow, revealAnswers: boolean, now = new Date()): VolunteerQuizAnswer {
    return VolunteerQuizAnswer.from(row, revealAnswers, now);
  }
}

function alreadyAnswered(): DomainError {
  return DomainError.conflict('You have answered this quiz already', 'ALREADY_ANSWERED');
}
