import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

const SIGNATURE = '鄞州区生活垃圾分类工作领导小组办公室';

/** The district's first wording of each notice kind (version 1). Later versions are added as data, not code. */
const DEFAULT_TEMPLATES = [
  {
    kind: 'PRAISE_LETTER',
    subject: '垃圾分类表扬信（{{month}}）',
    text: `{{institutionName}}：

贵单位（校）{{residentName}}家庭在{{month}}鄞州区生活垃圾分类“一月一评”中被评为“{{grade}}”。{{reasons}}

特致此信，感谢其带头践行垃圾分类这件“关键小事”，并请贵单位（校）予以表扬。

${SIGNATURE}
{{issuedOn}}`,
    html: `<p>{{institutionName}}：</p>
<p>贵单位（校）{{residentName}}家庭在{{month}}鄞州区生活垃圾分类“一月一评”中被评为“<strong>{{grade}}</strong>”。{{reasons}}</p>
<p>特致此信，感谢其带头践行垃圾分类这件“关键小事”，并请贵单位（校）予以表扬。</p>
<p style="text-align:right">${SIGNATURE}<br>{{issuedOn}}</p>`,
  },
  {
    kind: 'REMINDER_NOTICE',
    subject: '垃圾分类提醒单（{{month}}）',
    text: `{{institutionName}}：

贵单位（校）{{residentName}}家庭在{{month}}鄞州区生活垃圾分类“一月一评”中被评为“{{grade}}”，主要问题：{{reasons}}

请贵单位（校）协助提醒其按要求做好生活垃圾分类。所在社区将继续上门指导，下月评价达标后不再提醒。

${SIGNATURE}
{{issuedOn}}`,
    html: `<p>{{institutionName}}：</p>
<p>贵单位（校）{{residentName}}家庭在{{month}}鄞州区生活垃圾分类“一月一评”中被评为“<strong>{{grade}}</strong>”，主要问题：{{reasons}}</p>
<p>请贵单位（校）协助提醒其按要求做好生活垃圾分类。所在社区将继续上门指导，下月评价达标后不再提醒。</p>
<p style="text-align:right">${SIGNATURE}<br>{{issuedOn}}</p>`,
  },
  {
    kind: 'PUBLIC_DISCLOSURE',
    subject: '{{month}}鄞州区生活垃圾分类评价结果公示',
    text: `根据鄞州区生活垃圾分类“一月一评”结果，现将{{month}}评价情况公示如下（姓名已作脱敏处理，地点仅到小区）：

{{entries}}

公示期为七天。如有异议，请在公示期内向所在社区提出。

${SIGNATURE}
{{issuedOn}}`,
    html: `<p>根据鄞州区生活垃圾分类“一月一评”结果，现将{{month}}评价情况公示如下（姓名已作脱敏处理，地点仅到小区）：</p>
{{entries}}
<p>公示期为七天。如有异议，请在公示期内向所在社区提出。</p>
<p style="text-align:right">${SIGNATURE}<br>{{issuedOn}}</p>`,
  },
];

export class CreateNoticeTemplate1796000000400 implements MigrationInterface {
  name = 'CreateNoticeTemplate1796000000400';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE notice_template (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind       text NOT NULL CHECK (kind IN ('PRAISE_LETTER', 'REMINDER_NOTICE', 'PUBLIC_DISCLOSURE')),
        locale     text NOT NULL DEFAULT 'zh-CN',
        version    integer NOT NULL CHECK (version > 0),
        subject    text NOT NULL,
        text_body  text NOT NULL,
        html_body  text NOT NULL,
        active     boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT notice_template_version UNIQUE (kind, locale, version)
      )`,
    );
    await execute(runner, `CREATE UNIQUE INDEX notice_template_one_active ON notice_template (kind, locale) WHERE active`);
    await execute(
      runner,
      `INSERT INTO notice_template (kind, version, subject, text_body, html_body, active)
       SELECT kind, 1, subject, text, html, true FROM jsonb_to_recordset($1::jsonb) AS t(kind text, subject text, text text, html text)`,
      [JSON.stringify(DEFAULT_TEMPLATES)],
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE notice_template`);
  }
}
