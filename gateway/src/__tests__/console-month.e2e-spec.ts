// The console's 一月一评 as the month's pipeline, in a real browser (the machine's Chromium, driven by playwright-core)
// against the real stack, as console.e2e-spec.ts drives it: a district admin runs the month and watches it finish, reads
// the runs and the month's stage, and sees the institution a held notice waits for named as the month's blocker.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Role } from '#libs/auth';
import { addMonths, monthStart, shanghaiMonth } from '#libs/calendar';
import { ServiceName } from '#libs/messaging';
import { fieldOf, waitFor } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';
import { defaultConsoleDirectory } from '../console-route.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'];
/** How long the browser may take to show what a step waits for, on a busy 2-core machine. */
const UI_TIMEOUT = 30_000;
/** The month the screen opens on: the last complete one, which the demo has inspections for. */
const MONTH = addMonths(shanghaiMonth(), -1);

const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser)
  console.warn(`console-month.e2e-spec: SKIPPED, no Chromium at ${CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH)`);

(hasBrowser ? describe : describe.skip)("the console's month pipeline (一月一评) in a browser", () => {
  let platform: TestPlatform;
  let browser: Browser | undefined;
  let origin: string;
  let admin: string;
  let page: Page;
  const unknownInstitution = randomUUID();
  /** Uncaught errors seen by the page: the console must cause none. */
  const problems: string[] = [];

  const stageOf = async () =>
    (await fieldOf(platform.query(admin, `query($month: String!) { districtMonth(month: $month) { stage } }`, { month: MONTH }))).stage;

  beforeAll(async () => {
    if (!existsSync(join(defaultConsoleDirectory(), 'index.html'))) {
      throw new Error(`No built console in ${defaultConsoleDirectory()}: run npm run build first`);
    }
    platform = await startPlatform({ streets: 2, households: 120 });
    origin = new URL(platform.gatewayUrl).origin;
    admin = await platform.token([Role.DISTRICT_ADMIN]);
    // As district-month.e2e-spec.ts arranges it: a graded household's resident works for an institution organization
    // never announced; three failed inspections and a run over its community make the household UNQUALIFIED, which
    // earns the resident a notice to that employer, held until the institution is known.
    const households = platform.database(ServiceName.Households);
    const [{ household, community }] = await households.query(
      `SELECT g.household_id AS household, t.parent_id AS community
         FROM monthly_grade g JOIN household h ON h.id = g.household_id JOIN territory_unit t ON t.id = h.compound_id
        WHERE g.month = $1 AND g.status = 'GRADED' ORDER BY g.household_id LIMIT 1`,
      [monthStart(MONTH)],
    );
    await households.query(
      `INSERT INTO resident (household_id, name, occupation, institution_id, birth_date) VALUES ($1, '周未知', 'EMPLOYED', $2, DATE '1980-02-02')`,
      [household, unknownInstitution],
    );
    const secretary = await platform.token([Role.COMMUNITY_SECRETARY], community);
    for (const day of [3, 4, 5]) {
      await fieldOf(
        platform.query(
          secretary,
          `mutation($input: RecordInspectionInput!, $key: String!) { recordInspection(input: $input, idempotencyKey: $key) { id } }`,
          {
            input: {
              householdId: household,
              kind: 'BAG_CHECK',
              result: 'FAIL',
              issues: ['BAG_DUMPED'],
              inspectedAt: `${MONTH}-0${day}T09:00:00+08:00`,
            },
            key: randomUUID(),
          },
        ),
      );
    }
    await fieldOf(
      platform.query(admin, `mutation($month: String!, $org: ID!) { runMonthlyEvaluation(month: $month, orgUnitId: $org) { id } }`, {
        month: MONTH,
        org: community,
      }),
    );
    await waitFor(
      'the notice to the unknown employer to be held',
      async () => {
        const [{ held }] = await platform
          .database(ServiceName.Notifications)
          .query(`SELECT count(*)::int AS held FROM held_notice WHERE month = $1 AND institution_id = $2`, [
            monthStart(MONTH),
            unknownInstitution,
          ]);
        return held > 0;
      },
      60_000,
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
    // Every refusal of the page's Content-Security-Policy, as console.e2e-spec.ts records them.
    await context.addInitScript(
      "window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.effectiveDirective + ' ' + e.sample));",
    );
    page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    page.on('pageerror', (error) => problems.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    // Unset when beforeAll failed before it started.
    await (platform as TestPlatform | undefined)?.stop();
  });

  it("lets a district admin run the month and watch it finish, with the month's runs and its stage", async () => {
    await page.goto(`${origin}/sign-in`);
    await page.locator('.ant-select').first().click();
    await page.locator('.ant-select-item-option', { hasText: '区级管理员' }).click();
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByTestId('overview-title').waitFor();
    await page.getByRole('menuitem', { name: '一月一评' }).click();

    // Before the district's run: the runs list has the community's run (at least), and the month's stage is shown.
    const rows = page.locator('[data-testid="evaluation-runs"] tbody tr.ant-table-row');
    await rows.first().waitFor();
    const before = await rows.count();
    await page.getByTestId('district-month').waitFor();

    await page.getByTestId('run-evaluation').click();
    await page.getByText(/评价已完成/).waitFor();

    // The district's run heads the list, finished, every registered household graded of the total it recorded.
    const [{ registered }] = await platform.database(ServiceName.Households).query(`SELECT count(*)::int AS registered FROM household`);
    await waitFor('the runs list to show the finished district run', async () => (await rows.count()) === before + 1, UI_TIMEOUT);
    const head = rows.first();
    await expect(head.textContent()).resolves.toContain(platform.plan.district.name);
    await expect(head.textContent()).resolves.toContain('已完成');
    await expect(head.getByTestId('run-households').textContent()).resolves.toBe(`${registered} / ${registered}`);
    await expect(page.getByTestId('evaluation-runs-total').textContent()).resolves.toBe(`共 ${before + 1} 次`);

    // Published now: the month moves past 评价中, and the steps show the stage the API gives.
    await waitFor(
      'the month to leave EVALUATING',
      async () => {
        await page.getByTestId('district-month-refresh').click();
        const shown = await page.getByTestId('district-month').getAttribute('data-stage');
        return shown !== 'EVALUATING' && shown === (await stageOf());
      },
      60_000,
    );
    const stage = await page.getByTestId('district-month').getAttribute('data-stage');
    const title = { OBJECTIONS_OPEN: '异议期', FOLLOWING_UP: '后续处理', DONE: '完成' }[stage!];
    await expect(page.locator('[data-testid="district-month"] .ant-steps-item-active').textContent()).resolves.toContain(title);
    expect(problems).toEqual([]);
  });

  it('names the institution notices wait for, with its residents, as the blocker of a month that does not move', async () => {
    const blocker = page.locator('[data-testid="district-month-blockers"] [data-code="NOTICES_WAIT_FOR_INSTITUTION"]', {
      hasText: unknownInstitution,
    });
    await waitFor(
      'the month to name the unknown institution as its blocker',
      async () => {
        await page.getByTestId('district-month-refresh').click();
        return (await blocker.count()) === 1;
      },
      60_000,
    );
    await expect(blocker.textContent()).resolves.toMatch(/通知等待单位（未知单位）（1）/);
    const wait = page.locator('[data-testid="waits-unknown"] tbody tr', { hasText: unknownInstitution });
    await wait.waitFor();
    await expect(wait.locator('td').allTextContents()).resolves.toEqual([`未知单位 ${unknownInstitution}`, '单位未知', '1', '1']);
    expect(await page.getByTestId('district-month').getAttribute('data-stage')).toBe('FOLLOWING_UP');
    expect(problems).toEqual([]);
    // The one refusal expected is the table's scroll-bar measurement (see console.e2e-spec.ts).
    const violations = JSON.parse(await page.evaluate<string>('JSON.stringify(window.__violations)')) as string[];
    expect(
      violations.filter((violation) => !/^style-src-elem\s+#rc-scrollbar-measure-/.test(violation.replace(/\s+/g, ' ').trim())),
    ).toEqual([]);
  });

  it("shows a street admin its street's runs and grading, and no district month it could not read, with no error", async () => {
    const street = platform.plan.streets[0];
    const context = await browser!.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
    const own = await context.newPage();
    own.setDefaultTimeout(UI_TIMEOUT);
    own.on('pageerror', (error) => problems.push(error.message));
    await own.goto(`${origin}/sign-in`);
    await own.locator('.ant-select').nth(0).click();
    await own.locator('.ant-select-item-option', { hasText: '镇街管理员' }).click();
    await own.locator('.ant-select').nth(1).click();
    await own.keyboard.type(street.name);
    await own.locator('.ant-select-item-option', { hasText: street.name }).first().click();
    await own.getByRole('button', { name: /登\s*录/ }).click();
    await own.getByTestId('overview-title').waitFor();
    await own.getByRole('menuitem', { name: '一月一评' }).click();
    await own.getByTestId('evaluation-runs').waitFor();
    // Its runs are those the API gives it (the district's run is not among them); the grading of the month shows.
    const token = await platform.token([Role.STREET_ADMIN], street.id);
    const { totalCount } = await fieldOf(
      platform.query(token, `query($month: String!) { evaluationRuns(month: $month) { totalCount } }`, { month: MONTH }),
    );
    await expect(own.getByTestId('evaluation-runs-total').textContent()).resolves.toBe(`共 ${totalCount} 次`);
    await own.getByText('在册户数').waitFor();
    await expect(own.getByTestId('district-month').count()).resolves.toBe(0);
    await expect(own.locator('.ant-alert-error').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
