// The console's 联合执法 and 随手拍 screens in a real browser against the real stack (the test platform's services and
// gateway, which serves the console built by `npm run build`): a clash is refused by the API and the page says so in its
// words; a citizen report is triaged, verified and becomes a case.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { Role } from '#libs/auth';
import { waitFor } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';
import { browserAvailable, launchBrowser, newPage, policyViolations, signInDistrictWide, UI_TIMEOUT } from './console-browser.js';

const SUBMIT = `mutation($input: SubmitReportInput!) { submitReport(input: $input) { id } }`;
const WAITING = `{ reports(status: SUBMITTED, first: 1) { totalCount } }`;
const HOUSEHOLDS_IN = `query($id: ID!) { households(orgUnitId: $id, first: 1) { totalCount } }`;
const CASE_OF = `query($id: ID!) { case(id: $id) { state citizenReportId citizenReport { status verified evidenceKind } } }`;
const ACTIONS_IN = `query($from: DateTime!, $to: DateTime!, $status: JointActionStatus) { jointActions(from: $from, to: $to, status: $status, first: 100) {
  edges { node { id title status startsAt } } } }`;

(browserAvailable('console-actions.e2e-spec') ? describe : describe.skip)("the console's enforcement screens in a browser", () => {
  let platform: TestPlatform;
  // Unset when beforeAll failed before launching it.
  let browser: Browser | undefined;
  let origin: string;
  /** Uncaught errors seen by any page: the console must cause none. */
  const problems: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform();
    origin = new URL(platform.gatewayUrl).origin;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    // Unset when beforeAll failed before it started.
    await (platform as TestPlatform | undefined)?.stop();
  });

  /**
   * Fills the 排期 form as a person would: title, Shanghai start and end, and a unit picked by its name unless the form
   * still holds it (a refused form keeps what was entered; picking it again would unpick it).
   */
  async function scheduleOnPage(page: Page, title: string, startsAt: string, endsAt: string, unitName?: string): Promise<void> {
    await page.getByTestId('action-title').fill(title);
    await page.getByTestId('action-starts').fill(startsAt);
    await page.getByTestId('action-ends').fill(endsAt);
    if (unitName) {
      await page.getByTestId('action-units').click();
      await page.keyboard.type(unitName);
      await page.locator('.ant-select-item-option', { hasText: unitName }).first().click();
      await page.keyboard.press('Escape');
    }
    await page.getByTestId('schedule-action').click();
  }

  it("refuses a second action on the same street in an overlapping window with the API's reason, and frees it when the first is cancelled; moves one", async () => {
    const street = platform.plan.streets[0];
    const page = await newPage(browser!, problems);
    await signInDistrictWide(page, origin, '区级管理员');
    await page.getByRole('menuitem', { name: '联合执法' }).click();
    // The lead bureau list comes from the graph; the form cannot be sent before one is picked.
    await waitFor('a lead bureau to be picked', () => page.getByTestId('schedule-action').isEnabled(), UI_TIMEOUT);

    // A month far from the demo's own actions, so nothing else on the street clashes.
    await scheduleOnPage(page, '控烟联合检查', '2036-03-10T09:00', '2036-03-10T11:00', street.name);
    const rows = page.locator('[data-testid="joint-actions"] tbody tr.ant-table-row');
    await rows.filter({ hasText: '控烟联合检查' }).waitFor();
    await expect(page.getByTestId('action-month').inputValue()).resolves.toBe('2036-03');

    await scheduleOnPage(page, '垃圾分类夜查', '2036-03-10T10:00', '2036-03-10T12:00', street.name);
    const refusal = page.getByTestId('joint-action-error');
    await refusal.waitFor();
    const words = (await refusal.textContent())!;
    // The meaning in Chinese, the API's reason, and its message naming the action that holds the street.
    expect(words).toContain('时间冲突');
    expect(words).toContain('SCHEDULE_CONFLICT');
    expect(words).toContain('「控烟联合检查」');

    // The API holds exactly the first: the page showed a refusal, not a second booking.
    const token = await platform.token([Role.DISTRICT_ADMIN]);
    const listed = async () =>
      (
        (await platform.query(token, ACTIONS_IN, { from: '2036-03-10T00:00:00+08:00', to: '2036-03-11T00:00:00+08:00' })).data!.jointActions
          .edges as { node: { title: string; status: string } }[]
      ).map(({ node }) => `${node.title} ${node.status}`);
    expect(await listed()).toEqual(['控烟联合检查 SCHEDULED']);

    // Cancelled (with a reason), the first frees the street: the second can then be booked there.
    await rows
      .filter({ hasText: '控烟联合检查' })
      .getByRole('button', { name: /取\s*消/ })
      .click();
    await page.getByPlaceholder('原因（必填，记入行动历史）').fill('与区级检查合并');
    await page.getByTestId('edit-action').getByRole('button', { name: '取消行动' }).click();
    await rows.filter({ hasText: '控烟联合检查' }).filter({ hasText: '已取消' }).waitFor();
    await expect(page.getByTestId('action-units').textContent()).resolves.toContain(street.name);
    await scheduleOnPage(page, '垃圾分类夜查', '2036-03-10T10:00', '2036-03-10T12:00');
    await rows.filter({ hasText: '垃圾分类夜查' }).waitFor();
    expect((await listed()).sort()).toEqual(['垃圾分类夜查 SCHEDULED', '控烟联合检查 CANCELLED']);

    // Moved to the afternoon (with its reason), it keeps its id and the API holds the new window.
    await rows.filter({ hasText: '垃圾分类夜查' }).getByRole('button', { name: '调整时间' }).click();
    const edit = page.getByTestId('edit-action');
    await edit.locator('input[type="datetime-local"]').nth(0).fill('2036-03-10T14:00');
    await edit.locator('input[type="datetime-local"]').nth(1).fill('2036-03-10T16:00');
    await edit.getByPlaceholder('原因（必填，记入行动历史）').fill('上午与区级检查冲突');
    await edit.getByRole('button', { name: /调\s*整/ }).click();
    await rows.filter({ hasText: '垃圾分类夜查' }).filter({ hasText: '14:00' }).waitFor();
    const moved = (
      await platform.query(token, ACTIONS_IN, { from: '2036-03-10T00:00:00+08:00', to: '2036-03-11T00:00:00+08:00', status: 'SCHEDULED' })
    ).data!.jointActions.edges.map(({ node }: { node: { startsAt: string } }) => new Date(node.startsAt).toISOString());
    expect(moved).toEqual(['2036-03-10T06:00:00.000Z']);

    // The bureau's calendar subscription: a fresh .ics address that answers with the bureau's actions.
    await page.getByTestId('rotate-calendar').click();
    const url = (await page.getByTestId('calendar-url').textContent())!;
    expect(url).toMatch(/\/calendars\/[^/]+\.ics$/);
    const feed = await fetch(`${origin}${new URL(url).pathname}`);
    expect(feed.status).toBe(200);
    const calendar = await feed.text();
    expect(calendar).toContain('BEGIN:VCALENDAR');
    expect(calendar).toContain('垃圾分类夜查');

    expect(problems).toEqual([]);
    expect(await policyViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('triages a citizen report from the queue, verifies it and opens a case from it, shown in its state with its appeal window', async () => {
    // A resident's 随手拍 about a compound of the district with households, filed through the graph as the app files it.
    const admin = await platform.token([Role.DISTRICT_ADMIN]);
    let compound: { id: string; name: string } | undefined;
    for (const candidate of platform.plan.compounds) {
      const households = await platform.query(admin, HOUSEHOLDS_IN, { id: candidate.id });
      if (households.data!.households.totalCount > 0) {
        compound = candidate;
        break;
      }
    }
    expect(compound).toBeDefined();
    const resident = await platform.token([Role.RESIDENT], compound!.id, 'resident-console', randomUUID());
    const description = `控制台测试：楼道口有垃圾袋 ${randomUUID().slice(0, 8)}`;
    const fileNewest = async () => {
      const filed = await platform.query(resident, SUBMIT, {
        input: { channel: 'APP', categoryCode: 'BAG_DUMPED', description, compoundId: compound!.id },
      });
      expect(filed.errors).toBeUndefined();
      return filed.data!.submitReport.id as string;
    };
    // More reports waiting than a page holds (20), filed earlier than it, so the queue needs its cursor to show them all.
    const waiting = async () => (await platform.query(admin, WAITING, {})).data!.reports.totalCount as number;
    for (let count = await waiting(); count <= 20; count++) {
      const older = await platform.query(resident, SUBMIT, {
        input: { channel: 'APP', categoryCode: 'BAG_DUMPED', description: `控制台测试：较早的举报 ${count}`, compoundId: compound!.id },
      });
      expect(older.errors).toBeUndefined();
    }
    const reportId = await fileNewest();
    const total = await waiting();

    const page = await newPage(browser!, problems);
    await signInDistrictWide(page, origin, '区级管理员');
    await page.getByRole('menuitem', { name: '随手拍' }).click();
    // The queue shows reports waiting for triage, newest first, a page at a time: 加载更多 continues after the cursor.
    const queue = page.locator('[data-testid="reports"] tbody tr.ant-table-row');
    await queue.first().waitFor();
    await expect(queue.count()).resolves.toBe(20);
    await page.getByRole('button', { name: '加载更多' }).click();
    await waitFor('the next page', async () => (await queue.count()) === Math.min(total, 40), UI_TIMEOUT);
    const ids = await queue.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-row-key')));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe(reportId);
    await page.locator('[data-testid="reports"] tbody tr.ant-table-row', { hasText: description }).click();
    await expect(page.getByTestId('report-status').textContent()).resolves.toBe('已提交');

    await page.getByRole('button', { name: /分\s*拣/ }).click();
    await page.getByTestId('report-status').filter({ hasText: '已分拣' }).waitFor();
    await page.getByRole('button', { name: /核\s*实/ }).click();
    const form = page.getByTestId('open-case');
    await form.waitFor();
    await form.getByTestId('case-household').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    await form.getByTestId('case-article').click();
    // Named by its code (NB-…): the households' list may still be closing.
    await page.locator('.ant-select-item-option', { hasText: /^NB-/ }).first().click();
    await form.getByTestId('open-case-submit').click();

    await page.waitForURL(/\/cases\/[\w-]+$/);
    await expect(page.getByTestId('case-state').textContent()).resolves.toBe('已立案');
    await expect(page.getByTestId('case-appeal-window').textContent()).resolves.toMatch(/处罚决定后 \d+ 日内可申诉/);
    // The API holds the case in that state, opened from the report, which is now verified, triaged and its evidence.
    const caseId = new URL(page.url()).pathname.split('/').pop()!;
    const opened = await platform.query(admin, CASE_OF, { id: caseId });
    expect(opened.data!.case).toEqual({
      state: 'OPENED',
      citizenReportId: reportId,
      citizenReport: { status: 'TRIAGED', verified: true, evidenceKind: 'CASE' },
    });

    expect(problems).toEqual([]);
    expect(await policyViolations(page)).toEqual([]);
    await page.context().close();
  });
});
