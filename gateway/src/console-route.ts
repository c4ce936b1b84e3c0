// Owns serving the district console (console/, built by Vite into dist/console): its files, its page with a
// per-response CSP nonce on every client route, and, outside production only, its development sign-in.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { ConsoleSignIn } from './console-sign-in.js';
import { mountDevSignIn } from './dev-sign-in.js';
import type { RouteContext } from './route-context.js';

/**
 * The console's client routes. The page is served only on these, never as a catch-all, so every other gateway route
 * (/graphql, /health, /metrics, /open311, /operations, uploads, reports, …) and every unknown path answer exactly as
 * they would without the console. A new screen adds its first path segment here.
 */
const CLIENT_ROUTES = /^\/(?:|sign-in|overview|households|evaluations|joint-actions|reports|cases)(?:\/[\w-]*)*$/;

/**
 * Where the build put the console: beside the compiled gateway (dist/gateway/src → dist/console), or, when the gateway
 * runs from source (the tests), in the repository's dist/console.
 */
export function defaultConsoleDirectory(): string {
  const above = fileURLToPath(new URL('../../', import.meta.url));
  const compiled = join(above, 'console');
  // From source, ../../console is the console's sources (its index.html too); only a build has Vite's manifest.
  return existsSync(join(compiled, '.vite', 'manifest.json')) ? compiled : join(above, 'dist', 'console');
}

/**
 * The page's policy, replacing the gateway's strict default (which allows nothing to load): scripts from this origin
 * only, never inline or eval'd; <style> elements only with this response's nonce, which Ant Design's CSS-in-JS writes
 * on each of its style elements, so no injected style sheet applies (selectors in a sheet can read the page out);
 * style attributes inline (style-src-attr 'unsafe-inline'), since Ant Design and ECharts position popups and tooltips
 * with them and an attribute styles only its own element; data: images for icons; the graph and the sign-in endpoint
 * on this origin, and, with the identity provider's sign-in, the provider's origin (the console exchanges its code there). The one <style> refused is the table's scroll-bar measurement, written without a nonce inside a
 * try/catch its library made for CSP (it falls back to the computed width). style-src is the fallback of browsers without the -elem/-attr directives: nonce only, so there an
 * attribute-styled popup may be misplaced, never a script run.
 */
function pagePolicy(nonce: string, connect: string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    // 'report-sample': a refusal says what it refused (the first characters), so a test can tell refusals apart.
    `style-src-elem 'self' 'nonce-${nonce}' 'report-sample'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    ["connect-src 'self'", ...connect].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface ConsoleOptions {
  /** The built console (default: defaultConsoleDirectory()). */
  directory?: string;
}

/** Mounts the console when it was built; without a build (a gateway-only image, a spec) the gateway runs without it. */
export function mountConsole(app: express.Express, context: RouteContext, options: ConsoleOptions = {}): boolean {
  const { NODE_ENV, JWT_SECRET } = context.env;
  // With the provider's sign-in configured, the console offers only that one, so no development token is minted either.
  const signIn = new ConsoleSignIn(context.env);
  if (NODE_ENV !== 'production' && JWT_SECRET && !signIn.enabled) mountDevSignIn(app, JWT_SECRET);
  signIn.mount(app);
  const directory = options.directory ?? defaultConsoleDirectory();
  const indexPath = join(directory, 'index.html');
  if (!existsSync(indexPath)) return false;
  const page = readFileSync(indexPath, 'utf8');

  // Vite names every asset by its content hash, so a browser may keep them for good.
  app.use('/assets', express.static(join(directory, 'assets'), { index: false, immutable: true, maxAge: '365d', fallthrough: false }));
  app.get(CLIENT_ROUTES, (req, res, next) => {
    if (!req.accepts('html')) return next();
    const nonce = randomBytes(16).toString('base64');
    res.setHeader('Content-Security-Policy', pagePolicy(nonce, signIn.connectOrigins()));
    // The nonce differs on every response, so the page is never cached; the assets it names are.
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(page.replaceAll('__CSP_NONCE__', nonce));
  });
  return true;
}
