// The console's production sign-in in a real browser (the machine's Chromium) against a real OpenID provider: the
// authorization code flow with PKCE that the console runs itself, through the provider's login and consent pages, into
// a gateway that trusts that provider and serves the console built by `npm run build`.
import { existsSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startPlatform, type TestPlatform } from '#tools/test-platform';
import { defaultConsoleDirectory } from '../console-route.js';
import { createGateway, readSupergraph } from '../create-gateway.js';
import { parseGatewayEnvironment } from '../gateway-environment.js';
import { startIdentityProvider, type TestIdentityProvider } from './identity-provider.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'];
const UI_TIMEOUT = 30_000;
const AUDIENCE = 'https://waste.yinzhou.example/api';
const CLIENT_ID = 'district-console';

const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) console.warn(`console-oidc.e2e-spec: SKIPPED, no Chromium at ${CHROMIUM}`);

(hasBrowser ? describe : describe.skip)('the console signing in with the identity provider', () => {
  let platform: TestPlatform;
  let provider: TestIdentityProvider;
  let browser: Browser | undefined;
  let origin: string;
  let server: Server;
  let stopGateway: () => Promise<void>;

  beforeAll(async () => {
    if (!existsSync(join(defaultConsoleDirectory(), 'index.html'))) {
      throw new Error(`No built console in ${defaultConsoleDirectory()}: run npm run build first`);
    }
    platform = await startPlatform();
    // The gateway's address first: the provider registers the console's redirect URI on it.
    let handle: RequestListener = (_req, res) => res.end();
    server = createServer((req, res) => handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    provider = await startIdentityProvider({ 'admin-zhao': { claims: { roles: ['DISTRICT_ADMIN'] } } }, 'RS256', {
      clientId: CLIENT_ID,
      redirectUri: `${origin}/sign-in/callback`,
    });
    const env = parseGatewayEnvironment({
      ...platform.env,
      PORT: '0',
      ...Object.fromEntries([...platform.serviceUrls].map(([name, url]) => [`${name.toUpperCase()}_URL`, `${url}/graphql`])),
      OIDC_ISSUER: provider.issuer,
      OIDC_AUDIENCE: AUDIENCE,
      CONSOLE_CLIENT_ID: CLIENT_ID,
    });
    const gateway = createGateway(env, await readSupergraph());
    handle = gateway.app;
    await gateway.start(server);
    stopGateway = () => gateway.stop();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    // Each is unset when beforeAll failed before it started.
    await (stopGateway as (() => Promise<void>) | undefined)?.();
    const listening = server as Server | undefined;
    listening?.closeAllConnections();
    await new Promise((resolve) => (listening ? listening.close(resolve) : resolve(undefined)));
    await (provider as TestIdentityProvider | undefined)?.stop();
    await (platform as TestPlatform | undefined)?.stop();
  });

  async function newPage(): Promise<{ page: Page; problems: string[] }> {
    const context = await browser!.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    // Refusals of the console page's policy (the token exchange with the provider would be one without connect-src).
    await context.addInitScript(
      "window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI));",
    );
    return { page, problems };
  }

  /** From the console's sign-in button through the provider's login and consent pages, as a person would. */
  async function throughProvider(page: Page, account: string, atProvider?: () => Promise<unknown>): Promise<void> {
    await page.goto(`${origin}/overview`);
    await page.getByRole('button', { name: '统一身份认证登录' }).click();
    await page.waitForURL(`${provider.issuer}/interaction/**`);
    await atProvider?.();
    await page.locator('input[name="login"]').fill(account);
    await page.locator('input[name="password"]').fill('x');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${provider.issuer}/interaction/**`);
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('offers the provider, not the development sign-in, and allows the page to reach the provider', async () => {
    const config = (await (await fetch(`${origin}/console/config.json`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ signIn: 'oidc', issuer: provider.issuer, clientId: CLIENT_ID, audience: AUDIENCE });
    expect((await fetch(`${origin}/dev/sign-in`, { method: 'POST' })).status).toBe(404);
    const page = await fetch(`${origin}/sign-in`, { headers: { accept: 'text/html' } });
    const connect = /connect-src ([^;]+)/.exec(page.headers.get('content-security-policy') ?? '')?.[1].split(' ');
    expect(connect).toEqual(["'self'", new URL(provider.issuer).origin]);
  });

  it("signs a district admin in through the provider's pages into the console, with the role the token carries", async () => {
    const { page, problems } = await newPage();
    await throughProvider(page, 'admin-zhao');
    await page.getByTestId('overview-title').waitFor();
    expect(new URL(page.url()).pathname).toBe('/overview');
    await expect(page.getByTestId('viewer').textContent()).resolves.toContain('区级管理员');
    await expect(page.getByTestId('overview-title').textContent()).resolves.toContain(platform.plan.district.name);
    // The provider's access token is what the console keeps and sends; the flow's secrets are gone.
    const stored = JSON.parse(await page.evaluate<string>('JSON.stringify(Object.keys(sessionStorage))')) as string[];
    expect(stored).toEqual(['console.token']);
    const token = await page.evaluate<string>("sessionStorage.getItem('console.token')");
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: provider.issuer, aud: AUDIENCE, sub: 'admin-zhao', roles: ['DISTRICT_ADMIN'] });
    // (The one other refusal, of the table's scroll-bar measuring <style>, is console.e2e-spec's to check.)
    const violations = JSON.parse(await page.evaluate<string>('JSON.stringify(window.__violations)')) as string[];
    expect(violations.filter((violation) => !violation.startsWith('style-src-elem'))).toEqual([]);

    // Signing out forgets the token: the next page is the sign-in again.
    await page.getByRole('button', { name: /退\s*出/ }).click();
    await page.getByRole('button', { name: '统一身份认证登录' }).waitFor();
    await expect(page.evaluate("sessionStorage.getItem('console.token')")).resolves.toBeNull();
    expect(problems).toEqual([]);
  });

  it('refuses a way back whose state is not the one this tab sent, and keeps no token', async () => {
    const { page } = await newPage();
    // The provider's real answer, held back before the console acts on it: once the browser has left for the
    // provider, the console back on the callback cannot load its settings, so it leaves the answer alone.
    await throughProvider(page, 'admin-zhao', () => page.route(`${origin}/console/config.json`, (route) => route.abort()));
    await page.waitForURL((url) => url.origin === origin && url.pathname === '/sign-in/callback');
    await page.getByTestId('sign-in-error').waitFor();
    await page.unrouteAll();
    const answer = new URL(page.url());
    expect(answer.searchParams.get('code')).toBeTruthy();

    answer.searchParams.set('state', 'forged');
    await page.goto(answer.toString());
    await expect(page.getByTestId('sign-in-error').textContent()).resolves.toContain('state 不符');
    await expect(page.evaluate("sessionStorage.getItem('console.token')")).resolves.toBeNull();
    expect(new URL(page.url()).pathname).toBe('/sign-in/callback');
  });

  it('refuses an ID token without the nonce this tab sent, and keeps no token', async () => {
    const { page } = await newPage();
    await throughProvider(page, 'admin-zhao', () => page.route(`${origin}/console/config.json`, (route) => route.abort()));
    await page.waitForURL((url) => url.origin === origin && url.pathname === '/sign-in/callback');
    await page.getByTestId('sign-in-error').waitFor();
    // The provider's answer stays as it is (state and code); only the nonce this tab expects differs from the one sent.
    await page.evaluate(
      "const flow = JSON.parse(sessionStorage.getItem('console.oidc-flow')); sessionStorage.setItem('console.oidc-flow', JSON.stringify({ ...flow, nonce: 'another' }))",
    );
    await page.unrouteAll();
    await page.reload();
    await expect(page.getByTestId('sign-in-error').textContent()).resolves.toContain('nonce');
    await expect(page.evaluate("sessionStorage.getItem('console.token')")).resolves.toBeNull();
  });
});
