// The district console in a real browser (the machine's Chromium, driven by playwright-core) against the real stack:
// the test platform's services and gateway, which serves the console built by `npm run build` into dist/console.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Role, signAccessToken } from '#libs/auth';
import { waitFor } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';
import { defaultConsoleDirectory } from '../console-route.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BROWSER_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** How long the browser may take to show what a step waits for, on a busy 2-core machine. */
const UI_TIMEOUT = 30_000;

/** What the pixel check reads of a canvas element. */
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray } } | null;
}

const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) {
  console.warn(`console.e2e-spec: SKIPPED, no Chromium at ${CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH)`);
}

(hasBrowser ? describe : describe.skip)('the district console in a browser', () => {
  let platform: TestPlatform;
  // Unset when beforeAll failed before launching it.
  let browser: Browser | undefined;
  let origin: string;
  /** Uncaught errors seen by any page: the console must cause none. */
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(defaultConsoleDirectory(), 'index.html'))) {
      throw new Error(`No built console in ${defaultConsoleDirectory()}: run npm run build first`);
    }
    platform = await startPlatform();
    origin = new URL(platform.gatewayUrl).origin;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    // Unset when beforeAll failed before it started.
    await (platform as TestPlatform | undefined)?.stop();
  });

  const [ownStreet, otherStreet] = [0, 1].map((index) => () => platform.plan.streets[index]);

  async function newPage(): Promise<Page> {
    const context = await browser!.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    page.on('pageerror', (error) => problems.push(error.message));
    // Every refusal of the page's Content-Security-Policy, with the start of what was refused ('report-sample').
    await context.addInitScript(
      "window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.effectiveDirective + ' ' + e.sample));",
    );
    return page;
  }

  /**
   * The policy's refusals, but for the one expected: the table measures the scroll bar with a <style> element it
   * writes without a nonce, in a try/catch made for pages with a CSP (it falls back to the computed width).
   */
  async function policyViolations(page: Page): Promise<string[]> {
    const violations = JSON.parse(await page.evaluate<string>('JSON.stringify(window.__violations)')) as string[];
    return violations.filter((violation) => !/^style-src-elem\s+#rc-scrollbar-measure-/.test(violation.replace(/\s+/g, ' ').trim()));
  }

  /** Signs in on the development sign-in page as a street admin of `street`, by picking role and unit as a person would. */
  async function signInAsStreetAdmin(page: Page, streetName: string): Promise<void> {
    await page.goto(`${origin}/sign-in`);
    await page.locator('.ant-select').nth(0).click();
    await page.locator('.ant-select-item-option', { hasText: '镇街管理员' }).click();
    await page.locator('.ant-select').nth(1).click();
    await page.keyboard.type(streetName);
    await page.locator('.ant-select-item-option', { hasText: streetName }).first().click();
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByTestId('overview-title').waitFor();
  }

  /** One household of a street, as a district admin reads it through the graph. */
  async function householdOf(streetId: string): Promise<{ id: string; compound: { name: string } }> {
    const token = await platform.token([Role.DISTRICT_ADMIN]);
    const response = await platform.query(
      token,
      'query($id: ID!) { households(orgUnitId: $id, first: 1) { edges { node { id compound { name } } } } }',
      {
        id: streetId,
      },
    );
    return response.data!.households.edges[0].node;
  }

  it('signs a street admin in and shows that street with only its own communities, with a drawn 12-month chart', async () => {
    const page = await newPage();
    await signInAsStreetAdmin(page, ownStreet().name);
    await expect(page.getByTestId('viewer').textContent()).resolves.toContain(ownStreet().name);
    await expect(page.getByTestId('overview-title').textContent()).resolves.toContain(ownStreet().name);

    const rows = page.locator('[data-testid="units"] tbody tr.ant-table-row');
    await rows.first().waitFor();
    const shown = (await rows.locator('td:first-child').allTextContents()).map((text) => text.trim()).sort();
    const own = platform.plan.communities.filter((unit) => unit.parentId === ownStreet().id).map((unit) => unit.name);
    const others = platform.plan.communities.filter((unit) => unit.parentId !== ownStreet().id).map((unit) => unit.name);
    expect(own.length).toBeGreaterThan(0);
    expect(shown).toEqual([...own].sort());
    expect(shown.filter((name) => others.includes(name) && !own.includes(name))).toEqual([]);

    // The chart is loaded on demand; once drawn, its container says how many lines it has and its canvas has colour.
    const chart = page.getByTestId('trend-chart');
    await waitFor('the chart to draw its lines', async () => Number(await chart.getAttribute('data-series')) > 0, UI_TIMEOUT);
    const colouredPixels = await chart.locator('canvas').evaluate((canvas: Canvas) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60) count++;
      }
      return count;
    });
    expect(colouredPixels).toBeGreaterThan(100);
    expect(problems).toEqual([]);
    expect(await policyViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('finds a household of the street by address and opens it masked as the API masks it, but not one of another street', async () => {
    const own = await householdOf(ownStreet().id);
    const other = await householdOf(otherStreet().id);
    const page = await newPage();
    await signInAsStreetAdmin(page, ownStreet().name);
    await page.getByRole('menuitem', { name: '户' }).click();
    const search = page.getByPlaceholder('地址（小区、幢、单元）或户编号');
    const results = page.locator('[data-testid="household-results"] tbody tr.ant-table-row');

    await search.fill(own.compound.name);
    await search.press('Enter');
    await results.first().waitFor();
    const addresses = await results.locator('td:first-child').allTextContents();
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.every((address) => address.includes(own.compound.name))).toBe(true);

    if (other.compound.name !== own.compound.name) {
      await search.fill(other.compound.name);
      await search.press('Enter');
      await page.getByText(`辖区内没有地址包含“${other.compound.name}”的户`).waitFor();
      await expect(results.count()).resolves.toBe(0);
    }

    // By id: its own household opens with the address the API gives this street admin; another street's is refused.
    const streetToken = await platform.token([Role.STREET_ADMIN], ownStreet().id);
    const answered = await platform.query(streetToken, 'query($id: ID!) { household(id: $id) { address } }', { id: own.id });
    await search.fill(own.id);
    await search.press('Enter');
    await expect(page.getByTestId('household-address').textContent()).resolves.toBe(answered.data!.household.address);

    await page.getByRole('button', { name: '返回查询' }).click();
    await page.getByPlaceholder('地址（小区、幢、单元）或户编号').fill(other.id);
    await page.getByPlaceholder('地址（小区、幢、单元）或户编号').press('Enter');
    await expect(page.getByTestId('household-error').textContent()).resolves.toMatch(/无权访问|不在您的辖区/);
    await expect(page.getByTestId('household-address').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    expect(await policyViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('lets no page of another origin call the development sign-in: its preflight gets no CORS headers', async () => {
    const preflightOf = (url: string) =>
      fetch(url, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://elsewhere.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    expect((await preflightOf(`${origin}/dev/sign-in`)).headers.get('access-control-allow-origin')).toBeNull();
    // The same gateway does answer the graph's preflight (CORS_ORIGINS is * outside production): the check can fail.
    expect((await preflightOf(platform.gatewayUrl)).headers.get('access-control-allow-origin')).not.toBeNull();
  });

  it("says in Chinese that a refused token needs a new sign-in, with the API's reason, and offers it", async () => {
    const page = await newPage();
    await page.goto(`${origin}/sign-in`);
    const forged = await signAccessToken({ sub: 'mallory', roles: [Role.DISTRICT_ADMIN], orgUnitId: null }, 'x'.repeat(40));
    await page.evaluate(`sessionStorage.setItem('console.token', ${JSON.stringify(forged)})`);
    await page.goto(`${origin}/overview`);
    const alert = page.locator('.ant-alert-error');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/登录.*（[A-Z_]+：.+）/);
    await alert.getByRole('button', { name: '重新登录' }).click();
    await page.getByText('演示登录（仅开发环境）').waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("runs the street's evaluation of last month on demand and follows it to the end", async () => {
    const page = await newPage();
    await signInAsStreetAdmin(page, ownStreet().name);
    await page.getByRole('menuitem', { name: '一月一评' }).click();
    await page.getByTestId('run-evaluation').click();
    const status = page.getByTestId('evaluation-run-status');
    await page.getByText(/评价已完成/).waitFor();
    const [, evaluated] = /已评 (\d+)/.exec((await status.textContent())!)!;
    // Every household of the street with inspections that month is graded; the seed inspects most of them.
    const token = await platform.token([Role.STREET_ADMIN], ownStreet().id);
    const month = /^(\d{4}-\d{2})/.exec((await status.textContent())!)![1];
    const stats = await platform.query(
      token,
      'query($id: ID!, $month: String!) { sortingStats(orgUnitId: $id, month: $month) { households } }',
      {
        id: ownStreet().id,
        month,
      },
    );
    expect(Number(evaluated)).toBeGreaterThan(0);
    expect(Number(evaluated)).toBeLessThanOrEqual(stats.data!.sortingStats.households);
    expect(problems).toEqual([]);
    expect(await policyViolations(page)).toEqual([]);
    await page.context().close();
  });
});
