import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * The two remaining forms of volunteer activity, as sibling tables of `volunteer_activity` (they have no place,
 * capacity, sign-ups or hours, and their windows are days or weeks, not a session):
 * - `volunteer_quiz` (线上答题, e.g. 婦女姐妹线上答分类): questions with 2–6 options and one correct option, open from
 *   `opens_at` to `closes_at`; `volunteer_quiz_answer` is one volunteer's submission, once per quiz (unique), with the
 *   score the server computed from the choices.
 * - `volunteer_contest` (作品征集比赛, e.g. 中小学生垃圾分类优秀作品征集比赛): a theme, entries until `entries_close_at`,
 *   award tiers (一等奖 …) each with a number of awards; `volunteer_contest_entry` is a work submitted by a volunteer
 *   (a student or their guardian) with the entrant's name (usually a minor: personal data, masked on the way out) and
 *   optionally their school; an award names the tier by its rank. Retention masks the name in place a while after
 *   the contest's deadline (`entrant_name_masked_at`); the entry and its award stay.
 */
export class CreateQuizzesAndContests1796000000900 implements MigrationInterface {
  name = 'CreateQuizzesAndContests1796000000900';

  async up(runner: QueryRunner): Promise<void> {
    const campaign = `campaign text NOT NULL CHECK (campaign IN ('GREEN_PIONEERS', 'TRUSTWORTHY_HOMEMAKERS', 'YOUTH_GREEN_COLLARS', 'GOLDEN_YOUNGSTERS'))`;
    await execute(
      runner,
      `
      CREATE TABLE volunteer_quiz (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ${campaign},
        title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
        org_unit_id uuid NOT NULL REFERENCES org_unit (id),
        opens_at    timestamptz NOT NULL,
        closes_at   timestamptz NOT NULL,
        created_by  text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT volunteer_quiz_window CHECK (closes_at > opens_at)
      )`,
    );
    await execute(runner, `CREATE INDEX volunteer_quiz_list ON volunteer_quiz (opens_at DESC, id DESC)`);
    await execute(runner, `CREATE INDEX volunteer_quiz_org_unit ON volunteer_quiz (org_unit_id)`);
    await execute(
      runner,
      `
      CREATE TABLE volunteer_quiz_question (
        quiz_id        uuid NOT NULL REFERENCES volunteer_quiz (id) ON DELETE CASCADE,
        number         smallint NOT NULL CHECK (number BETWEEN 1 AND 50),
        text           text NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
        options        text[] NOT NULL CHECK (cardinality(options) BETWEEN 2 AND 6),
        correct_option smallint NOT NULL,
        PRIMARY KEY (quiz_id, number),
        CONSTRAINT volunteer_quiz_question_correct CHECK (correct_option BETWEEN 0 AND cardinality(options) - 1)
      )`,
    );
    await execute(
      runner,
      `
      CREATE TABLE volunteer_quiz_answer (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        quiz_id        uuid NOT NULL REFERENCES volunteer_quiz (id) ON DELETE CASCADE,
        volunteer_id   uuid NOT NULL REFERENCES volunteer (id),
        choices        smallint[] NOT NULL,
        score          smallint NOT NULL CHECK (score BETWEEN 0 AND cardinality(choices)),
        submitted_at   timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT volunteer_quiz_answer_once UNIQUE (quiz_id, volunteer_id)
      )`,
    );
    await execute(runner, `CREATE INDEX volunteer_quiz_answer_results ON volunteer_quiz_answer (quiz_id, submitted_at, id)`);

    await execute(
      runner,
      `
      CREATE TABLE volunteer_contest (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ${campaign},
        title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
        theme            text NOT NULL CHECK (length(theme) BETWEEN 1 AND 200),
        description      text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
        org_unit_id      uuid NOT NULL REFERENCES org_unit (id),
        entries_close_at timestamptz NOT NULL,
        created_by       text NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await execute(runner, `CREATE INDEX volunteer_contest_list ON volunteer_contest (entries_close_at DESC, id DESC)`);
    await execute(runner, `CREATE INDEX volunteer_contest_org_unit ON volunteer_contest (org_unit_id)`);
    await execute(
      runner,
      `
      CREATE TABLE volunteer_contest_tier (
        contest_id  uuid NOT NULL REFERENCES volunteer_contest (id) ON DELETE CASCADE,
        rank        smallint NOT NULL CHECK (rank BETWEEN 1 AND 10),
        tier        text NOT NULL CHECK (length(tier) BETWEEN 1 AND 20),
        award_count smallint NOT NULL CHECK (award_count BETWEEN 1 AND 100),
        PRIMARY KEY (contest_id, rank),
        CONSTRAINT volunteer_contest_tier_name UNIQUE (contest_id, tier)
      )`,
    );
    await execute(
      runner,
      `
      CREATE TABLE volunteer_contest_entry (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contest_id   uuid NOT NULL REFERENCES volunteer_contest (id) ON DELETE CASCADE,
        volunteer_id uuid NOT NULL REFERENCES volunteer (id),
        title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
        description  text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
        entrant_name text NOT NULL CHECK (length(entrant_name) BETWEEN 1 AND 50),
        school_id    uuid REFERENCES institution (id),
        submitted_at timestamptz NOT NULL DEFAULT now(),
        award_rank   smallint,
        awarded_by   text,
        awarded_at   timestamptz,
        -- Set when retention masked the entrant's name in place (CONTEST_ENTRANT_RETENTION_DAYS after the deadline).
        entrant_name_masked_at timestamptz,
        CONSTRAINT volunteer_contest_entry_tier FOREIGN KEY (contest_id, award_rank) REFERENCES volunteer_contest_tier (contest_id, rank),
        CONSTRAINT volunteer_contest_entry_award CHECK ((award_rank IS NULL) = (awarded_at IS NULL) AND (award_rank IS NULL) = (awarded_by IS NULL))
      )`,
    );
    await execute(runner, `CREATE INDEX volunteer_contest_entry_list ON volunteer_contest_entry (contest_id, submitted_at, id)`);
    await execute(
      runner,
      `CREATE INDEX volunteer_contest_entry_awards ON volunteer_contest_entry (contest_id, award_rank, awarded_at, id) WHERE award_rank IS NOT NULL`,
    );
    await execute(runner, `CREATE INDEX volunteer_contest_entry_volunteer ON volunteer_contest_entry (volunteer_id, contest_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `DROP TABLE volunteer_contest_entry, volunteer_contest_tier, volunteer_contest, volunteer_quiz_answer, volunteer_quiz_question, volunteer_quiz`,
    );
  }
}
