// The console's 联合执法 screen in a real browser against the real stack (the test platform's services and gateway,
// which serves the console built by `npm run build`): a clash is refused by the API and the page says so in its words.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { Role } from '#libs/auth';
import { waitFor } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';
import { browserAvailable, launchBrowser, newPage, policyViolations, signInAsDistrictAdmin, UI_TIMEOUT } from './console-browser.js';

const ACTIONS_IN = `query($from: DateTime!, $to: DateTime!) { jointActions(from: $from, to: $to, first: 100) {
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

  it("refuses a second action on the same street in an overlapping window with the API's reason, and frees it when the first is cancelled", async () => {
    const street = platform.plan.streets[0];
    const page = await newPage(browser!, problems);
    await signInAsDistrictAdmin(page, origin);
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
});
