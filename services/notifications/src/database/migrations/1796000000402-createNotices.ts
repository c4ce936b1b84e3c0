import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';
import { ruleSetTableSql } from '#libs/rule-sets';

/** The district's first notice rules (version 1); later versions are data. See notices/notice-rules.ts. */
const DEFAULT_NOTICE_RULES = {
  praise: { enabled: true, minScore: 95, previousMonthQualified: true },
  reminder: { enabled: true, grades: ['UNQUALIFIED'] },
};

/**
 * Notices, and what they are made from.
 *
 * - The month's grades split into graded_household (one row per household: grade, score, issues) and
 *   graded_resident (who lives there, where a notice about them goes, and what of their name a notice may use).
 * - notice_rule_set: which grades earn a praise letter or a reminder notice, as versioned data per district.
 * - notice: one per resident, month and kind (the unique key makes generation idempotent), with the texts as
 *   rendered and its delivery state.
 */
export class CreateNotices1796000000402 implements MigrationInterface {
  name = 'CreateNotices1796000000402';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE graded_household (
        month          date NOT NULL,
        household_id   uuid NOT NULL,
        district_id    uuid NOT NULL,
        compound_id    uuid NOT NULL,
        status         text NOT NULL,
        grade          text,
        previous_grade text,
        score          numeric,
        issues         text[] NOT NULL,
        rule_version   integer NOT NULL,
        event_at       timestamptz NOT NULL,
        PRIMARY KEY (month, household_id)
      )`,
    );
    await execute(runner, `CREATE INDEX graded_household_district ON graded_household (district_id, month)`);
    // Grades kept before this migration knew no district; the month's evaluated district is theirs (one per month).
    await execute(
      runner,
      `
      INSERT INTO graded_household (month, household_id, district_id, compound_id, status, grade, previous_grade, issues, rule_version, event_at)
      SELECT DISTINCT ON (r.month, r.household_id) r.month, r.household_id, e.district_id, r.compound_id, r.status, r.grade,
             r.previous_grade, r.issues, r.rule_version, r.event_at
        FROM graded_resident r JOIN evaluated_month e ON e.month = r.month
       ORDER BY r.month, r.household_id, r.event_at DESC`,
    );
    await execute(
      runner,
      `
      ALTER TABLE graded_resident
        DROP COLUMN compound_id, DROP COLUMN status, DROP COLUMN grade, DROP COLUMN previous_grade, DROP COLUMN issues,
        DROP COLUMN rule_version, DROP COLUMN event_id,
        -- Only for residents with an employer or school: the notice to it names them.
        ADD COLUMN name text,
        -- Only for adult retirees and freelancers, who may be disclosed publicly: masked at the source.
        ADD COLUMN masked_name text,
        ADD COLUMN disclosure_basis text`,
    );
    await execute(runner, `CREATE INDEX graded_resident_household ON graded_resident (month, household_id)`);

    await execute(runner, `ALTER TABLE evaluated_month ADD COLUMN notices_generated_at timestamptz`);
    // Months graded before notices existed are not noticed after the fact.
    await execute(runner, `UPDATE evaluated_month SET notices_generated_at = completed_at`);

    for (const statement of ruleSetTableSql('notice_rule_set')) await execute(runner, statement);
    await execute(
      runner,
      `INSERT INTO notice_rule_set (district_id, version, effective_from, rules, description, created_by)
       VALUES (NULL, 1, '2020-01-01', $1, $2, 'migration')`,
      [
        JSON.stringify(DEFAULT_NOTICE_RULES),
        '以评促优通知规则（第1版）：连续两个月合格且当月得分不低于95分的家庭，向其在职成员的单位、学生的学校发送表扬信；评为不合格的家庭发送提醒单。',
      ],
    );

    await execute(
      runner,
      `
      CREATE TABLE notice (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind             text NOT NULL CHECK (kind IN ('PRAISE_LETTER', 'REMINDER_NOTICE')),
        month            date NOT NULL CHECK (extract(day FROM month) = 1),
        district_id      uuid NOT NULL,
        resident_id      uuid NOT NULL,
        household_id     uuid NOT NULL,
        compound_id      uuid NOT NULL,
        institution_id   uuid NOT NULL,
        -- The resident as the institution knows them; masked for staff without the right to personal data.
        resident_name    text NOT NULL,
        grade            text NOT NULL,
        score            numeric,
        rule_version     integer NOT NULL,
        template_id      uuid NOT NULL REFERENCES notice_template (id),
        subject          text NOT NULL,
        text_body        text NOT NULL,
        html_body        text NOT NULL,
        state            text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'SENT', 'DELIVERED', 'ACKNOWLEDGED', 'FAILED')),
        last_error       text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        sent_at          timestamptz,
        delivered_at     timestamptz,
        acknowledged_at  timestamptz,
        acknowledged_by  text,
        CONSTRAINT notice_once UNIQUE (resident_id, month, kind)
      )`,
    );
    await execute(runner, `CREATE INDEX notice_institution ON notice (institution_id, month DESC, id)`);
    await execute(runner, `CREATE INDEX notice_institution_state ON notice (institution_id, state, id)`);
    await execute(runner, `CREATE INDEX notice_month ON notice (month, district_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE notice`);
    await execute(runner, `DROP TABLE notice_rule_set`);
    await execute(runner, `ALTER TABLE evaluated_month DROP COLUMN notices_generated_at`);
    await execute(runner, `DROP INDEX graded_resident_household`);
    await execute(
      runner,
      `
      ALTER TABLE graded_resident
        DROP COLUMN name, DROP COLUMN masked_name, DROP COLUMN disclosure_basis,
        ADD COLUMN compound_id uuid, ADD COLUMN status text, ADD COLUMN grade text, ADD COLUMN previous_grade text,
        ADD COLUMN issues text[], ADD COLUMN rule_version integer, ADD COLUMN event_id uuid`,
    );
    await execute(
      runner,
      `
      UPDATE graded_resident r SET compound_id = h.compound_id, status = h.status, grade = h.grade, previous_grade = h.previous_grade,
                                   issues = h.issues, rule_version = h.rule_version, event_id = '00000000-0000-0000-0000-000000000000'
        FROM graded_household h WHERE h.month = r.month AND h.household_id = r.household_id`,
    );
    await execute(runner, `DELETE FROM graded_resident WHERE compound_id IS NULL`);
    for (const column of ['compound_id', 'status', 'issues', 'rule_version', 'event_id']) {
      await execute(runner, `ALTER TABLE graded_resident ALTER COLUMN ${column} SET NOT NULL`);
    }
    await execute(runner, `DROP TABLE graded_household`);
  }
}
