import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { errorCodes } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';

describe('notice templates through the gateway', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startPlatform({ streets: 1, households: 10 });
  });

  afterAll(async () => {
    await platform.stop();
  });

  it('serves the active zh-CN wording of each notice kind with the placeholders it needs', async () => {
    const token = await platform.token([Role.DISTRICT_ADMIN]);
    const response: any = await platform.query(
      token,
      `{ noticeTemplates(activeOnly: true) {
      totalCount edges { node { kind labelZh locale version active subject textBody htmlBody placeholders } } } }`,
    );
    expect(response.errors).toBeUndefined();
    const templates = response.data.noticeTemplates.edges.map((e: any) => e.node);
    expect(templates.map((t: any) => [t.kind, t.labelZh])).toEqual([
      ['GUARDIAN_NOTICE', '致家长告知书'],
      ['PRAISE_LETTER', '垃圾分类表扬信'],
      ['PUBLIC_DISCLOSURE', '媒体公示'],
      ['REMINDER_NOTICE', '垃圾分类提醒单'],
    ]);
    for (const template of templates) {
      expect(template).toMatchObject({ locale: 'zh-CN', version: 1, active: true });
      expect(template.placeholders).toEqual(expect.arrayContaining(['month', 'issuedOn']));
      for (const name of template.placeholders) expect(template.textBody + template.subject).toContain(`{{${name}}}`);
    }
    const reminder = templates.find((t: any) => t.kind === 'REMINDER_NOTICE');
    expect(reminder.placeholders).toEqual(expect.arrayContaining(['institutionName', 'residentName', 'grade', 'reasons']));
    expect(reminder.htmlBody).toContain('<strong>{{grade}}</strong>');
    // About a minor: to the guardian, the month and grade, and no reasons (no inspection details).
    const guardian = templates.find((t: any) => t.kind === 'GUARDIAN_NOTICE');
    expect(guardian.placeholders).toEqual(expect.arrayContaining(['residentName', 'grade', 'institutionName']));
    expect(guardian.placeholders).not.toContain('reasons');
    expect(guardian.textBody).toContain('致 {{residentName}} 家长');
  });

  it('refuses roles without the permission and unknown ids', async () => {
    const inspector = await platform.token([Role.INSPECTOR], platform.plan.communities[0].id);
    expect(errorCodes(await platform.query(inspector, '{ noticeTemplates { totalCount } }'))).toEqual(['FORBIDDEN']);
    const admin = await platform.token([Role.DISTRICT_ADMIN]);
    expect(
      errorCodes(
        await platform.query(admin, 'query($id: ID!) { noticeTemplate(id: $id) { id } }', { id: '00000000-0000-4000-8000-000000000000' }),
      ),
    ).toEqual(['NOT_FOUND']);
  });
});
