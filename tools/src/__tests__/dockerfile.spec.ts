import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '../repo-root.js';

/**
 * The production image (Dockerfile at the repository root). Docker is not needed: dockerfilelint reads the file, and
 * the essentials of a production image are checked on its instructions.
 */
interface LintItem {
  title: string;
  line: number;
  rule: string;
}
// dockerfilelint is CommonJS without type declarations: loaded through require, with the one function used typed here.
const dockerfilelint = createRequire(import.meta.url)('dockerfilelint') as { run(configPath: string, content: string): LintItem[] };

const ROOT = repoRoot();
const source = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

/** The instructions, continuation lines joined, comments dropped, each as [INSTRUCTION, arguments]. */
const instructions = source
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'))
  .map((line) => {
    const [word, ...rest] = line.split(/\s+/);
    return [word.toUpperCase(), rest.join(' ')] as const;
  });
const stages: (readonly [string, string])[][] = [];
for (const instruction of instructions) {
  if (instruction[0] === 'FROM') stages.push([]);
  stages.at(-1)?.push(instruction);
}
const runtime = stages.at(-1) ?? [];
const argsOf = (stage: (readonly [string, string])[], word: string) => stage.filter(([name]) => name === word).map(([, args]) => args);

describe('Dockerfile', () => {
  it('passes dockerfilelint with no finding', () => {
    expect(dockerfilelint.run(ROOT, source)).toEqual([]);
  });

  it('builds in one stage with dev dependencies and runs from node:20 slim with production dependencies and dist/ only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages[0];
    expect(argsOf(build, 'RUN')).toEqual(expect.arrayContaining([expect.stringMatching(/^npm ci\b/), 'npm run build']));
    for (const stage of stages) expect(argsOf(stage, 'FROM')[0]).toMatch(/^node:20[\w.-]*-slim\b/);
    const runs = argsOf(runtime, 'RUN');
    expect(runs.some((run) => /^npm ci\b.*--omit=dev/.test(run))).toBe(true);
    expect(runs.some((run) => /npm run build|swc|tsc/.test(run))).toBe(false);
    // Sources never reach the runtime stage: only the build's dist/ and the files npm and the tools need.
    const copies = argsOf(runtime, 'COPY');
    expect(copies).toContain('--from=build /app/dist ./dist');
    for (const copy of copies.filter((args) => !args.startsWith('--from='))) {
      for (const file of copy.split(/\s+/).slice(0, -1)) expect(['package.json', 'package-lock.json', 'nx.json']).toContain(file);
    }
  });

  it('runs as an unprivileged user', () => {
    const users = argsOf(runtime, 'USER');
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    // Nothing after USER switches back.
    expect(runtime.findIndex(([word]) => word === 'USER')).toBeGreaterThan(runtime.findIndex(([word]) => word === 'RUN'));
  });

  it('checks /health, and starts a process whose source exists', () => {
    expect(argsOf(runtime, 'HEALTHCHECK').join(' ')).toMatch(/\/health/);
    const [cmd] = argsOf(runtime, 'CMD');
    const script = (JSON.parse(cmd) as string[]).find((word) => word.startsWith('dist/'))!;
    expect(existsSync(join(ROOT, script.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
  });

  it('keeps installed packages, build output and local secrets out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.env*', '.git']));
  });
});
