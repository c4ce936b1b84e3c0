import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/** SQL for one branch's review columns: a verdict with who gave it and when, and a note that a rejection must have. */
const review = (branch: string) => `
        ${branch}_verdict     text CHECK (${branch}_verdict IN ('APPROVED', 'REJECTED')),
        ${branch}_note        text CHECK (length(${branch}_note) BETWEEN 1 AND 500),
        ${branch}_reviewed_by text,
        ${branch}_reviewed_at timestamptz,
        CONSTRAINT photo_check_in_${branch}_review_complete
          CHECK ((${branch}_verdict IS NULL) = (${branch}_reviewed_by IS NULL) AND (${branch}_verdict IS NULL) = (${branch}_reviewed_at IS NULL)),
        CONSTRAINT photo_check_in_${branch}_note_with_review CHECK (${branch}_verdict IS NOT NULL OR ${branch}_note IS NULL),
        CONSTRAINT photo_check_in_${branch}_rejection_has_note CHECK (${branch}_verdict IS DISTINCT FROM 'REJECTED' OR ${branch}_note IS NOT NULL)`;

/**
 * Party members' photo check-ins (党员晒图打卡, 双报到双管理): a photo of the member household's kitchen-waste sorting,
 * reviewed once by the work-unit branch (单位支部) and once by the community branch (社区支部); and the weekly flags
 * of members under their quota.
 */
export class CreatePhotoCheckIns1796000000250 implements MigrationInterface {
  name = 'CreatePhotoCheckIns1796000000250';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE photo_check_in (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        party_member_id uuid NOT NULL,
        household_id    uuid NOT NULL REFERENCES household (id) ON DELETE CASCADE,
        photo_id        uuid NOT NULL REFERENCES upload (id),
        taken_at        timestamptz NOT NULL,
        -- The Monday of the ISO week (Asia/Shanghai) the photo was taken in: the week whose quota it counts for.
        week            date GENERATED ALWAYS AS (date_trunc('week', taken_at AT TIME ZONE 'Asia/Shanghai')::date) STORED,
        note            text CHECK (length(note) BETWEEN 1 AND 500),
        submitted_at    timestamptz NOT NULL DEFAULT now(),
        ${review('work')},
        ${review('community')},
        -- Counts towards the week's quota unless it is REJECTED (by either branch).
        review_status   text GENERATED ALWAYS AS (
                          CASE WHEN work_verdict = 'REJECTED' OR community_verdict = 'REJECTED' THEN 'REJECTED'
                               WHEN work_verdict = 'APPROVED' AND community_verdict = 'APPROVED' THEN 'APPROVED'
                               WHEN work_verdict IS NULL AND community_verdict IS NULL THEN 'PENDING'
                               ELSE 'PARTLY_REVIEWED' END) STORED,
        -- A member posts each photo once; concurrent posts of one photo: the second waits for the first, then fails.
        CONSTRAINT photo_check_in_photo_once UNIQUE (party_member_id, photo_id)
      )`,
    );
    await execute(runner, `CREATE INDEX photo_check_in_member_week ON photo_check_in (week, party_member_id)`);
    await execute(runner, `CREATE INDEX photo_check_in_household ON photo_check_in (household_id, taken_at DESC, id)`);

    await execute(
      runner,
      `
      -- One row per party member and week under quota, written by the weekly job; the count is as of that run.
      CREATE TABLE check_in_quota_flag (
        party_member_id uuid NOT NULL,
        week            date NOT NULL CHECK (extract(isodow FROM week) = 1),
        household_id    uuid NOT NULL REFERENCES household (id) ON DELETE CASCADE,
        check_ins       integer NOT NULL CHECK (check_ins >= 0),
        quota           integer NOT NULL CHECK (quota > 0),
        flagged_by      text NOT NULL,
        flagged_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (party_member_id, week),
        CONSTRAINT check_in_quota_flag_under_quota CHECK (check_ins < quota)
      )`,
    );
    await execute(runner, `CREATE INDEX check_in_quota_flag_week ON check_in_quota_flag (week, check_ins, party_member_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE check_in_quota_flag`);
    await execute(runner, `DROP TABLE photo_check_in`);
  }
}
