import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { newSigningSecret, webhookHeaders } from '../webhook-signature.js';

/**
 * The verification programs the integration guide gives schools and employers (docs/integration/snippets/) accept what
 * notifications really sends and refuse what it did not: each is run as a child process, as an institution would run
 * it, on a request signed by the signing code of the webhook dispatcher. A runtime this machine lacks is skipped, by
 * name, never passed silently. The guides carry the same code as the files, so what a reader copies is what was run.
 */

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const SNIPPETS = `${ROOT}docs/integration/snippets/`;
const GUIDES = ['docs/integration/guide.en.md', 'docs/integration/guide.zh-CN.md'];

interface Runtime {
  language: string;
  file: string;
  command: string;
  versionArgs: string[];
}

const RUNTIMES: Runtime[] = [
  { language: 'Node', file: 'verify.mjs', command: process.execPath, versionArgs: ['--version'] },
  { language: 'Python', file: 'verify.py', command: 'python3', versionArgs: ['--version'] },
  { language: 'Java', file: 'Verify.java', command: 'java', versionArgs: ['-version'] },
  { language: 'PHP', file: 'verify.php', command: 'php', versionArgs: ['--version'] },
];

/** Decided when the file loads, so a missing runtime shows up as a skipped test that names it. */
const installed = (runtime: Runtime) => spawnSync(runtime.command, runtime.versionArgs, { stdio: 'ignore' }).status === 0;
const missing = RUNTIMES.filter((runtime) => !installed(runtime));
if (missing.length > 0) {
  console.warn(
    `Webhook verification snippets not run, runtime not installed: ${missing.map((runtime) => `${runtime.language} (${runtime.command})`).join(', ')}`,
  );
}

interface Outcome {
  status: number | null;
  output: string;
}

/** Runs a snippet with the secret and headers in its environment and the body on its standard input. */
function runSnippet(runtime: Runtime, secret: string, headers: Record<string, string>, body: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(runtime.command, [`${SNIPPETS}${runtime.file}`], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        WEBHOOK_SECRET: secret,
        WEBHOOK_ID: headers['webhook-id'],
        WEBHOOK_TIMESTAMP: headers['webhook-timestamp'],
        WEBHOOK_SIGNATURE: headers['webhook-signature'],
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0 && status !== 1) reject(new Error(`${runtime.file} exited with ${status}: ${errors}`));
      else resolve({ status, output: output.trim() });
    });
    child.stdin.end(body);
  });
}

/** A notice announcement as the dispatcher sends it: the JSON of type, creation time and data. */
function announcement(): { id: string; body: string } {
  const data = { kind: 'PRAISE_LETTER', month: '2026-11', noticeId: randomUUID() };
  return {
    id: `msg_${randomUUID().replace(/-/g, '')}`,
    body: JSON.stringify({ type: 'notice.created', timestamp: new Date().toISOString(), data }),
  };
}

const now = () => Math.floor(Date.now() / 1000);

describe.each(RUNTIMES)('the $language webhook verification snippet', (runtime) => {
  const available = !missing.includes(runtime);
  const test = available ? it : it.skip;
  const skipped = available ? '' : ` (skipped: ${runtime.command} is not installed here)`;

  test(`accepts a notice announcement signed by notifications${skipped}`, async () => {
    const secret = newSigningSecret();
    const { id, body } = announcement();
    expect(await runSnippet(runtime, secret, webhookHeaders([secret], id, now(), body), body)).toEqual({ status: 0, output: 'valid' });
  });

  test(`accepts either secret while a rotation overlaps${skipped}`, async () => {
    const [fresh, old] = [newSigningSecret(), newSigningSecret()];
    const { id, body } = announcement();
    const headers = webhookHeaders([fresh, old], id, now(), body);
    expect(await runSnippet(runtime, old, headers, body)).toEqual({ status: 0, output: 'valid' });
  });

  test(`refuses a body changed after signing${skipped}`, async () => {
    const secret = newSigningSecret();
    const { id, body } = announcement();
    const headers = webhookHeaders([secret], id, now(), body);
    const tampered = body.replace('PRAISE_LETTER', 'REMINDER_NOTICE');
    expect(await runSnippet(runtime, secret, headers, tampered)).toEqual({ status: 1, output: 'invalid: no matching signature' });
  });

  test(`refuses a correctly signed request ten minutes old${skipped}`, async () => {
    const secret = newSigningSecret();
    const { id, body } = announcement();
    const headers = webhookHeaders([secret], id, now() - 600, body);
    expect(await runSnippet(runtime, secret, headers, body)).toEqual({ status: 1, output: 'invalid: timestamp outside the tolerance' });
  });

  test(`refuses a request signed with another endpoint's secret${skipped}`, async () => {
    const { id, body } = announcement();
    const headers = webhookHeaders([newSigningSecret()], id, now(), body);
    expect(await runSnippet(runtime, newSigningSecret(), headers, body)).toEqual({ status: 1, output: 'invalid: no matching signature' });
  });
});

/** The fenced code block that follows the first line linking to `snippets/<file>`, or null. */
function blockAfterLink(guide: string, file: string): string | null {
  const lines = guide.split('\n');
  const link = lines.findIndex((line) => line.includes(`(snippets/${file})`));
  if (link < 0) return null;
  const open = lines.findIndex((line, index) => index > link && /^```/.test(line));
  if (open < 0) return null;
  const close = lines.findIndex((line, index) => index > open && /^```\s*$/.test(line));
  return close < 0 ? null : `${lines.slice(open + 1, close).join('\n')}\n`;
}

describe.each(GUIDES)('the integration guide %s', (guide) => {
  it.each(RUNTIMES.map((runtime) => runtime.file))('shows snippets/%s exactly as the file that the tests run', (file) => {
    const text = readFileSync(`${ROOT}${guide}`, 'utf8');
    expect(blockAfterLink(text, file)).toBe(readFileSync(`${SNIPPETS}${file}`, 'utf8'));
  });
});
