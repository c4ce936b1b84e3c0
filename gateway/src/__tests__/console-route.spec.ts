import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { verifyAccessToken } from '#libs/auth';
import { mountConsole } from '../console-route.js';
import type { RouteContext } from '../route-context.js';
import { securityHeaders } from '../security-headers.js';

const SECRET = 'console-route-spec-secret-of-at-least-32-characters';
const STREET = '0b9b2f1e-8c1e-4a4e-9d55-6a1f4f1c2b3a';

/** A built console in a folder of its own: the page with its nonce placeholder and one hashed asset. */
function fakeBuild(): string {
  const directory = mkdtempSync(join(tmpdir(), 'console-'));
  mkdirSync(join(directory, 'assets'));
  writeFileSync(
    join(directory, 'index.html'),
    '<meta name="csp-nonce" content="__CSP_NONCE__"><script src="/assets/index-abc.js"></script>',
  );
  writeFileSync(join(directory, 'assets/index-abc.js'), 'console.log(1)');
  return directory;
}

/** The gateway's headers and the console, as create-gateway.ts mounts them, on a real HTTP server. */
async function serve(nodeEnv: string, directory: string): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(securityHeaders(nodeEnv === 'production'));
  const env = { NODE_ENV: nodeEnv, JWT_SECRET: nodeEnv === 'production' ? undefined : SECRET };
  mountConsole(app, { env } as unknown as RouteContext, { directory });
  app.get('/health', (_req, res) => void res.json({ ok: true }));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const signIn = (url: string, body: unknown) =>
  fetch(`${url}/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the console route', () => {
  const directory = fakeBuild();
  let development: { url: string; server: Server };
  let production: { url: string; server: Server };

  beforeAll(async () => {
    development = await serve('development', directory);
    production = await serve('production', directory);
  });
  afterAll(async () => {
    await Promise.all([development, production].map(({ server }) => new Promise((resolve) => server.close(resolve))));
    rmSync(directory, { recursive: true, force: true });
  });

  it('serves the page on client routes with a fresh nonce that its style policy names, and never caches it', async () => {
    const nonces = new Set<string>();
    for (const path of ['/', '/overview', '/households/2f1c', '/sign-in']) {
      const response = await fetch(`${production.url}${path}`, { headers: { accept: 'text/html' } });
      expect([path, response.status]).toEqual([path, 200]);
      const nonce = /content="([^"]+)"/.exec(await response.text())![1];
      expect(nonce).not.toBe('__CSP_NONCE__');
      const policy = response.headers.get('content-security-policy')!;
      expect(policy).toContain(`style-src 'self' 'nonce-${nonce}'`);
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain(`style-src-elem 'self' 'nonce-${nonce}' 'report-sample'`);
      // Inline style attributes only: never inline scripts, nor style elements without the nonce.
      expect(policy.split('; ').filter((directive) => directive.includes('unsafe'))).toEqual(["style-src-attr 'unsafe-inline'"]);
      expect(response.headers.get('cache-control')).toBe('no-store');
      nonces.add(nonce);
    }
    expect(nonces.size).toBe(4);
  });

  it('serves hashed assets for good, and leaves other routes and unknown paths as they were', async () => {
    const asset = await fetch(`${production.url}/assets/index-abc.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${production.url}/assets/missing.js`)).status).toBe(404);
    expect(await (await fetch(`${production.url}/health`, { headers: { accept: 'text/html' } })).json()).toEqual({ ok: true });
    for (const path of ['/graphql', '/operations', '/metrics', '/open311/v2/services.json', '/no-such-page']) {
      const response = await fetch(`${production.url}${path}`, { headers: { accept: 'text/html' } });
      expect([path, response.status]).toEqual([path, 404]);
    }
  });

  it('has no development sign-in in production', async () => {
    expect((await signIn(production.url, { role: 'DISTRICT_ADMIN', orgUnitId: null })).status).toBe(404);
  });

  it('mints a development token for a role and unit outside production, and refuses a scope the role cannot have', async () => {
    const response = await signIn(development.url, { role: 'STREET_ADMIN', orgUnitId: STREET });
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    expect(await verifyAccessToken(token, SECRET)).toMatchObject({ roles: ['STREET_ADMIN'], orgUnitId: STREET });
    expect((await signIn(development.url, { role: 'STREET_ADMIN', orgUnitId: null })).status).toBe(400);
    expect((await signIn(development.url, { role: 'ROOT', orgUnitId: null })).status).toBe(400);
  });
});
