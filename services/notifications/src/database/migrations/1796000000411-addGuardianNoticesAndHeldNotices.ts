import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

const SIGNATURE = '鄞州区生活垃圾分类工作领导小组办公室';

/**
 * Notices about minors and notices held back.
 *
 * - graded_resident keeps no name any more: grade events carry ids, and notifications asks households for the name
 *   (or a minor's guardian) of the residents it writes about when it makes the notices.
 * - A notice about a resident under 18 on the notice's date goes only to a SCHOOL, only with a guardian's consent,
 *   addressed to the guardian (`to_guardian`; resident_name is then the guardian's name), written with the
 *   GUARDIAN_NOTICE template: month and grade, no inspection details.
 * - held_notice: a notice a grade earned but that was not made, with why (NO_GUARDIAN_CONSENT, MINOR_NOT_AT_SCHOOL,
 *   UNKNOWN_INSTITUTION, UNKNOWN_RESIDENT), so staff see what was held back; the rest of the month proceeds. Only a
 *   masked name is kept.
 */
export class AddGuardianNoticesAndHeldNotices1796000000411 implements MigrationInterface {
  name = 'AddGuardianNoticesAndHeldNotices1796000000411';

  async up(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE graded_resident DROP COLUMN name`);
    await execute(runner, `ALTER TABLE notice ADD COLUMN to_guardian boolean NOT NULL DEFAULT false`);
    await execute(runner, `ALTER TABLE notice_template DROP CONSTRAINT notice_template_kind_check`);
    await execute(
      runner,
      `ALTER TABLE notice_template ADD CONSTRAINT notice_template_kind_check
                          CHECK (kind IN ('PRAISE_LETTER', 'REMINDER_NOTICE', 'PUBLIC_DISCLOSURE', 'GUARDIAN_NOTICE'))`,
    );
    await execute(
      runner,
      `INSERT INTO notice_template (kind, version, subject, text_body, html_body, active) VALUES ('GUARDIAN_NOTICE', 1, $1, $2, $3, true)`,
      [
        '垃圾分类评价告知（{{month}}）',
        `致 {{residentName}} 家长：

您家庭在{{month}}鄞州区生活垃圾分类“一月一评”中被评为“{{grade}}”。经您同意，本告知由{{institutionName}}转交。

${SIGNATURE}
{{issuedOn}}`,
        `<p>致 {{residentName}} 家长：</p>
<p>您家庭在{{month}}鄞州区生活垃圾分类“一月一评”中被评为“<strong>{{grade}}</strong>”。经您同意，本告知由{{institutionName}}转交。</p>
<p style="text-align:right">${SIGNATURE}<br>{{issuedOn}}</p>`,
      ],
    );
    await execute(
      runner,
      `
      CREATE TABLE held_notice (
        month           date NOT NULL,
        district_id     uuid NOT NULL,
        resident_id     uuid NOT NULL,
        kind            text NOT NULL CHECK (kind IN ('PRAISE_LETTER', 'REMINDER_NOTICE')),
        household_id    uuid NOT NULL,
        compound_id     uuid NOT NULL,
        institution_id  uuid NOT NULL,
        reason          text NOT NULL CHECK (reason IN ('NO_GUARDIAN_CONSENT', 'MINOR_NOT_AT_SCHOOL', 'UNKNOWN_INSTITUTION', 'UNKNOWN_RESIDENT')),
        masked_name     text,
        held_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (month, resident_id, kind)
      )`,
    );
    await execute(runner, `CREATE INDEX held_notice_district ON held_notice (district_id, month, reason)`);
    // Every institutions.changed event looks for notices held for an institution that has now arrived.
    await execute(
      runner,
      `CREATE INDEX held_notice_unknown_institution ON held_notice (institution_id) WHERE reason = 'UNKNOWN_INSTITUTION'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE held_notice`);
    await execute(runner, `DELETE FROM notice_template WHERE kind = 'GUARDIAN_NOTICE'`);
    await execute(runner, `ALTER TABLE notice_template DROP CONSTRAINT notice_template_kind_check`);
    await execute(
      runner,
      `ALTER TABLE notice_template ADD CONSTRAINT notice_template_kind_check CHECK (kind IN ('PRAISE_LETTER', 'REMINDER_NOTICE', 'PUBLIC_DISCLOSURE'))`,
    );
    await execute(runner, `ALTER TABLE notice DROP COLUMN to_guardian`);
    await execute(runner, `ALTER TABLE graded_resident ADD COLUMN name text`);
  }
}
