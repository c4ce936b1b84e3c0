import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Cases with due process (rectification notice → follow-up → penalty → appeal), their history, follow-up tasks, the
 * regulation articles with their fine ranges (data, seeded here), and the credit/points export outbox with its
 * delivery attempts.
 *
 * Regulation rows follow 宁波市生活垃圾分类管理条例 (Ningbo household waste sorting regulations): individuals 50–200
 * CNY, units 5,000–50,000 CNY. Article numbers and ranges are the platform's working table: a legal officer
 * checks them against the published text; changing one is a new migration (a decided case keeps its amount).
 */
export class CreateCases1796000000320 implements MigrationInterface {
  name = 'CreateCases1796000000320';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE regulation_article (
        code               text PRIMARY KEY,
        title_zh           text NOT NULL,
        target_kinds       text[] NOT NULL,
        min_fine           numeric(12, 2) NOT NULL CHECK (min_fine >= 0),
        max_fine           numeric(12, 2) NOT NULL,
        appeal_window_days integer NOT NULL DEFAULT 60 CHECK (appeal_window_days BETWEEN 1 AND 366),
        CONSTRAINT regulation_fine_range CHECK (max_fine >= min_fine)
      )`,
    );
    await execute(
      runner,
      `
      INSERT INTO regulation_article (code, title_zh, target_kinds, min_fine, max_fine, appeal_window_days) VALUES
        ('NB-WASTE-63-1', '个人未按规定分类投放生活垃圾（宁波市生活垃圾分类管理条例）', '{HOUSEHOLD}', 50, 200, 60),
        ('NB-WASTE-63-2', '单位未按规定分类投放生活垃圾（宁波市生活垃圾分类管理条例）', '{UNIT}', 5000, 50000, 60),
        ('NB-WASTE-61', '管理责任人未履行生活垃圾分类管理责任（宁波市生活垃圾分类管理条例）', '{PROPERTY_COMPANY,UNIT}', 5000, 50000, 60),
        ('NB-WASTE-64', '收集、运输单位将已分类的生活垃圾混合收运（宁波市生活垃圾分类管理条例）', '{UNIT,PROPERTY_COMPANY}', 5000, 50000, 60)`,
    );

    await execute(
      runner,
      `
      CREATE TABLE enforcement_case (
        id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        target_kind           text NOT NULL CHECK (target_kind IN ('HOUSEHOLD', 'PROPERTY_COMPANY', 'UNIT')),
        household_id          uuid,
        institution_id        uuid,
        floating_population   boolean NOT NULL DEFAULT false,
        org_unit_id           uuid NOT NULL,
        article_code          text NOT NULL REFERENCES regulation_article (code),
        evidence_description  text NOT NULL CHECK (length(evidence_description) BETWEEN 1 AND 2000),
        evidence_upload_ids   uuid[] NOT NULL DEFAULT '{}',
        evidence_inspection_ids uuid[] NOT NULL DEFAULT '{}',
        -- The joint action's finding this case was opened from, if any: a finding becomes at most one case.
        action_finding_id     uuid UNIQUE REFERENCES action_finding (id),
        state                 text NOT NULL CHECK (state IN ('OPENED', 'RECTIFICATION_NOTICE_ISSUED', 'FOLLOW_UP_DUE', 'CLOSED',
                                'NOT_RECTIFIED', 'PENALISED', 'APPEALED', 'UPHELD', 'OVERTURNED', 'REVOKED')),
        opened_at             timestamptz NOT NULL DEFAULT now(),
        opened_by             text NOT NULL,
        comply_by             date,
        notice_text           text,
        follow_up_note        text,
        complied              boolean,
        fine_amount           numeric(12, 2),
        penalty_decided_on    date,
        penalty_note          text,
        appeal_deadline       date,
        appeal_grounds        text,
        appealed_at           timestamptz,
        appeal_outcome        text CHECK (appeal_outcome IN ('UPHELD', 'OVERTURNED')),
        hearing_note          text,
        appeal_decided_at     timestamptz,
        updated_at            timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT case_target CHECK (
          (target_kind = 'HOUSEHOLD' AND household_id IS NOT NULL AND institution_id IS NULL)
          OR (target_kind <> 'HOUSEHOLD' AND institution_id IS NOT NULL AND household_id IS NULL AND NOT floating_population)),
        CONSTRAINT case_penalty CHECK ((fine_amount IS NULL) = (penalty_decided_on IS NULL) AND (fine_amount IS NULL) = (appeal_deadline IS NULL))
      )`,
    );
    await execute(runner, `CREATE INDEX enforcement_case_opened ON enforcement_case (opened_at, id)`);
    await execute(runner, `CREATE INDEX enforcement_case_state ON enforcement_case (state, comply_by)`);
    await execute(
      runner,
      `CREATE INDEX enforcement_case_institution ON enforcement_case (institution_id, opened_at) WHERE institution_id IS NOT NULL`,
    );
    await execute(runner, `CREATE INDEX enforcement_case_org_unit ON enforcement_case (org_unit_id)`);

    await execute(
      runner,
      `
      CREATE TABLE case_history (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id     uuid NOT NULL REFERENCES enforcement_case (id) ON DELETE CASCADE,
        from_state  text,
        to_state    text NOT NULL,
        at          timestamptz NOT NULL DEFAULT now(),
        actor       text NOT NULL,
        note        text
      )`,
    );
    await execute(runner, `CREATE INDEX case_history_case ON case_history (case_id, at, id)`);
    await execute(runner, `CREATE INDEX case_history_month ON case_history (to_state, at)`);

    await execute(
      runner,
      `
      CREATE TABLE case_follow_up_task (
        case_id      uuid PRIMARY KEY REFERENCES enforcement_case (id) ON DELETE CASCADE,
        due_on       date NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        created_by   text NOT NULL,
        completed_at timestamptz
      )`,
    );

    await execute(
      runner,
      `
      CREATE TABLE credit_export (
        id              uuid PRIMARY KEY,
        case_id         uuid NOT NULL REFERENCES enforcement_case (id) ON DELETE CASCADE,
        kind            text NOT NULL CHECK (kind IN ('RECORD', 'RETRACTION')),
        system          text NOT NULL CHECK (system IN ('CREDIT', 'POINTS')),
        retracts_id     uuid REFERENCES credit_export (id),
        payload         jsonb NOT NULL,
        state           text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'DELIVERED', 'FAILED', 'CANCELLED')),
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        claimed_until   timestamptz,
        last_error      text,
        delivered_at    timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT credit_export_retraction CHECK ((kind = 'RETRACTION') = (retracts_id IS NOT NULL))
      )`,
    );
    // One record per case, one retraction per record: whatever runs twice, nothing is exported twice.
    await execute(runner, `CREATE UNIQUE INDEX credit_export_one_record ON credit_export (case_id) WHERE kind = 'RECORD'`);
    await execute(runner, `CREATE UNIQUE INDEX credit_export_one_retraction ON credit_export (retracts_id) WHERE kind = 'RETRACTION'`);
    await execute(runner, `CREATE INDEX credit_export_due ON credit_export (next_attempt_at, id) WHERE state = 'PENDING'`);
    await execute(runner, `CREATE INDEX credit_export_created ON credit_export (created_at, id)`);

    await execute(
      runner,
      `
      CREATE TABLE credit_export_attempt (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        export_id    uuid NOT NULL REFERENCES credit_export (id) ON DELETE CASCADE,
        attempt      integer NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        status_code  integer,
        error        text,
        duration_ms  integer NOT NULL,
        UNIQUE (export_id, attempt)
      )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `DROP TABLE credit_export_attempt, credit_export, case_follow_up_task, case_history, enforcement_case, regulation_article`,
    );
  }
}
