import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * The default notice rules praise the best, not most (notices/notice-rules.ts): QUALIFIED three months running with
 * at least 95 points, among the best 5% of the community's graded households by score, at most 10 letters to one
 * institution a month; reminders as before. A new version of the default, from the month this runs in (Shanghai):
 * months already decided keep version 1, as a published version never reaches back.
 */
const DISTINGUISHING_PRAISE = {
  praise: { enabled: true, minScore: 95, previousMonthQualified: true, consecutiveMonths: 3, topShare: 0.05, capPerInstitution: 10 },
  reminder: { enabled: true, grades: ['UNQUALIFIED'] },
};
const DESCRIPTION =
  '以评促优通知规则（默认）：连续三个月合格、当月得分不低于95分、且位列本社区当月得分前5%的家庭，向其在职成员的单位、学生的学校发送表扬信，每个单位每月至多10封；评为不合格的家庭发送提醒单。';

export class AddDistinguishingDefaultPraise1796000000441 implements MigrationInterface {
  name = 'AddDistinguishingDefaultPraise1796000000441';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `INSERT INTO notice_rule_set (district_id, version, effective_from, rules, description, created_by)
       SELECT NULL, coalesce(max(version), 0) + 1, date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date, $1, $2, 'migration'
         FROM notice_rule_set
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(DISTINGUISHING_PRAISE), DESCRIPTION],
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DELETE FROM notice_rule_set WHERE district_id IS NULL AND created_by = 'migration' AND description = $1`, [
      DESCRIPTION,
    ]);
  }
}
