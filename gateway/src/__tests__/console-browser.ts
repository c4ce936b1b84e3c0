// What the console's browser specs share: the machine's Chromium, a page that records errors and policy refusals, and
// signing in on the development sign-in page as a person would.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { defaultConsoleDirectory } from '../console-route.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
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
export const UI_TIMEOUT = 30_000;

/** Whether the spec can run; when not, it says why once (and is skipped by the caller). */
export function browserAvailable(spec: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  console.warn(`${spec}: SKIPPED, no Chromium at ${CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH)`);
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(join(defaultConsoleDirectory(), 'index.html'))) {
    throw new Error(`No built console in ${defaultConsoleDirectory()}: run npm run build first`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
}

/** A fresh page (its own context) whose uncaught errors go to `problems` and policy refusals to window.__violations. */
export async function newPage(browser: Browser, problems: string[]): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
  page.on('pageerror', (error) => problems.push(error.message));
  await context.addInitScript(
    "window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.effectiveDirective + ' ' + e.sample));",
  );
  return page;
}

/**
 * The policy's refusals, but for the one expected: the table measures the scroll bar with a <style> element it
 * writes without a nonce, in a try/catch made for pages with a CSP (it falls back to the computed width).
 */
export async function policyViolations(page: Page): Promise<string[]> {
  const violations = JSON.parse(await page.evaluate<string>('JSON.stringify(window.__violations)')) as string[];
  return violations.filter((violation) => !/^style-src-elem\s+#rc-scrollbar-measure-/.test(violation.replace(/\s+/g, ' ').trim()));
}

/** Signs in on the development sign-in page with a district-wide demo role, which needs no unit (by its label). */
export async function signInDistrictWide(page: Page, origin: string, role: '区级管理员' | '执法部门人员'): Promise<void> {
  await page.goto(`${origin}/sign-in`);
  await page.locator('.ant-select').nth(0).click();
  await page.locator('.ant-select-item-option', { hasText: role }).click();
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('overview-title').waitFor();
}
