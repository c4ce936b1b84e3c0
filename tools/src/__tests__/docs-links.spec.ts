import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '../repo-root.js';

/**
 * The documentation stands alone: README.md is a short front page, and every link in it and in docs/ (and in any
 * other markdown file of the repository) leads to a file of the repository, and an `#anchor` to a heading of it.
 */

const ROOT = repoRoot();
const README_MAX_LINES = 200;

/**
 * Addresses outside the repository a document may link to. Deliberately empty: the documents explain what they need
 * in their own words (standards are named, not linked), so nothing a reader needs can move or vanish elsewhere.
 */
const EXTERNAL_ALLOWLIST: readonly string[] = [];

/** Every markdown file of the repository, relative to its root (no dependencies, build output or hidden folders). */
function markdownFiles(dir = ROOT): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...markdownFiles(path));
    else if (name.endsWith('.md')) found.push(relative(ROOT, path).split(sep).join('/'));
  }
  return found.sort();
}

/** Each line of a document, with fenced code blocks blanked (lines kept, for line numbers). */
function outsideFences(text: string): string[] {
  let fence: string | null = null;
  return text.split('\n').map((line) => {
    const marker = /^\s*(```|~~~)/.exec(line)?.[1];
    if (fence) {
      if (marker === fence) fence = null;
      return '';
    }
    if (marker) {
      fence = marker;
      return '';
    }
    return line;
  });
}

/** The text a reader sees as prose: fenced code blocks blanked and code spans removed. */
function prose(text: string): string[] {
  return outsideFences(text).map((line) => line.replace(/(`+)[^`]*?\1/g, ''));
}

/** GitHub's anchor for a heading (github-slugger): lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function slugs(text: string): Set<string> {
  const found = new Set<string>();
  const counts = new Map<string, number>();
  for (const line of outsideFences(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const plain = heading[1].replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*`]/g, '');
    const base = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const seen = counts.get(base) ?? 0;
    counts.set(base, seen + 1);
    found.add(seen === 0 ? base : `${base}-${seen}`);
  }
  return found;
}

interface Link {
  line: number;
  target: string;
}

/** Inline links and images, reference definitions, autolinks and bare web addresses in the prose of a document. */
function linksOf(text: string): Link[] {
  const links: Link[] = [];
  prose(text).forEach((line, index) => {
    const add = (target: string) => links.push({ line: index + 1, target: target.trim().replace(/^<|>$/g, '').split(/\s+"/)[0] });
    for (const match of line.matchAll(/!?\[[^\]]*\]\(([^)\s]*(?:\s+"[^"]*")?)\)/g)) add(match[1]);
    const definition = /^\s{0,3}\[[^\]]+\]:\s*(\S+)/.exec(line);
    if (definition) add(definition[1]);
    for (const match of line.matchAll(/<([a-z][a-z0-9+.-]*:[^>\s]+)>/gi)) add(match[1]);
    const withoutLinks = line.replace(/\]\([^)]*\)/g, '](').replace(/<[^>]*>/g, '');
    for (const match of withoutLinks.matchAll(/\b(?:https?:\/\/|www\.)[^\s)>\]]+/gi)) add(match[0]);
  });
  return links;
}

/** What is wrong with the links of one document (empty when nothing is). */
export function linkProblems(file: string, text: string, read: (path: string) => string | null): string[] {
  const problems: string[] = [];
  for (const { line, target } of linksOf(text)) {
    const where = `${file}:${line}: ${target}`;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//') || /^www\./i.test(target)) {
      if (!EXTERNAL_ALLOWLIST.some((allowed) => target.startsWith(allowed))) problems.push(`${where}: links outside the repository`);
      continue;
    }
    const [path, anchor] = target.split('#', 2) as [string, string | undefined];
    const resolved =
      path === ''
        ? file
        : relative(ROOT, resolve(ROOT, dirname(file), decodeURI(path)))
            .split(sep)
            .join('/');
    if (resolved.startsWith('..')) {
      problems.push(`${where}: leaves the repository`);
      continue;
    }
    const content = read(resolved);
    if (content === null) {
      problems.push(`${where}: no such file`);
      continue;
    }
    if (anchor !== undefined) {
      if (!resolved.endsWith('.md')) problems.push(`${where}: an anchor into a file that is not markdown`);
      else if (!slugs(content).has(decodeURIComponent(anchor))) problems.push(`${where}: no heading #${anchor} in ${resolved}`);
    }
  }
  return problems;
}

/**
 * "issue 6 adds…", "(#12)": the documents, the code, its comments and the schema speak of the platform as it is, not
 * of the tickets that built it. A bare `#12` counts as an issue reference unless it is a value: directly inside quotes
 * or after a colon (`'#777777'`, `color: #000`), or followed by `;` or a word character (`#999;`, `#1a2b3c`).
 */
const ISSUE_REFERENCE = /\bissues?(?:[\s-]+(?:no\.?\s*)?#?|#)\d+|(?<![\w&#/'"`]|:\s*)#\d+\b(?![\w;])/gi;

export function issueNumbers(file: string, text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, index) => [...line.matchAll(ISSUE_REFERENCE)].map((match) => `${file}:${index + 1}: "${match[0]}"`));
}

/** Folders of code (and the composed schema, gateway/supergraph.graphql); tools/ once the tooling moves there. */
const SOURCE_FOLDERS = ['services', 'libs', 'gateway', 'tools'];
const SOURCE_FILE = /\.(?:[cm]?[jt]s|graphql|gql|json|sql|ya?ml|sh)$/;

/** Every source file under the folders that exist, relative to the root; this spec itself, whose examples are issue references, left out. */
function sourceFiles(): string[] {
  const self = relative(ROOT, fileURLToPath(import.meta.url))
    .split(sep)
    .join('/');
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) return [];
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return walk(path);
      return SOURCE_FILE.test(name) ? [relative(ROOT, path).split(sep).join('/')] : [];
    });
  return SOURCE_FOLDERS.filter((folder) => existsSync(join(ROOT, folder)))
    .flatMap((folder) => walk(join(ROOT, folder)))
    .filter((file) => file !== self)
    .sort();
}

const readRepositoryFile = (path: string): string | null => {
  const absolute = join(ROOT, path);
  if (!existsSync(absolute)) return null;
  return statSync(absolute).isDirectory() ? '' : readFileSync(absolute, 'utf8');
};

describe('the documentation', () => {
  const files = markdownFiles();

  it('has a README under 200 lines and its pages under docs/', () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length;
    expect(lines).toBeLessThan(README_MAX_LINES);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/DOMAIN.md', 'docs/ARCHITECTURE.md', 'docs/security.md']));
  });

  it('links only to files and headings of the repository that exist', () => {
    const problems = files.flatMap((file) => linkProblems(file, readFileSync(join(ROOT, file), 'utf8'), readRepositoryFile));
    expect(problems).toEqual([]);
  });

  it('names no issue numbers', () => {
    const found = files.flatMap((file) => issueNumbers(file, readFileSync(join(ROOT, file), 'utf8')));
    expect(found).toEqual([]);
  });

  it('has code, comments and a GraphQL schema that name no issue numbers either', () => {
    const sources = sourceFiles();
    expect(sources).toEqual(expect.arrayContaining(['gateway/supergraph.graphql']));
    const found = sources.flatMap((file) => issueNumbers(file, readFileSync(join(ROOT, file), 'utf8')));
    expect(found).toEqual([]);
  });

  it('reaches every page of docs/ from the README, directly or through other pages', () => {
    const reached = new Set<string>();
    const queue = ['README.md'];
    while (queue.length > 0) {
      const file = queue.shift()!;
      if (reached.has(file)) continue;
      reached.add(file);
      for (const { target } of linksOf(readFileSync(join(ROOT, file), 'utf8'))) {
        const path = target.split('#')[0];
        if (!path || /^[a-z][a-z0-9+.-]*:/i.test(path)) continue;
        const resolved = relative(ROOT, resolve(ROOT, dirname(file), decodeURI(path)))
          .split(sep)
          .join('/');
        if (resolved.endsWith('.md') && existsSync(join(ROOT, resolved))) queue.push(resolved);
      }
    }
    expect(files.filter((file) => file.startsWith('docs/') && !reached.has(file))).toEqual([]);
  });
});

describe('the link check itself', () => {
  const pages: Record<string, string> = {
    'docs/a.md': '# Page A\n\n## Sign-in with the provider (OIDC)\n\n## `npm start`\n\nText.\n',
    'docs/b.md': '# B\n',
  };
  const read = (path: string) => pages[path] ?? null;
  const check = (text: string) => linkProblems('docs/b.md', text, read);

  it('accepts links to existing files and headings, and ignores code', () => {
    expect(check('[a](a.md) [b](#b) [oidc](a.md#sign-in-with-the-provider-oidc) [start](a.md#npm-start)')).toEqual([]);
    expect(check('`[x](missing.md)` and\n```\n[y](missing.md) https://example.com\n```\n')).toEqual([]);
  });

  it('refuses a missing file, a missing heading, a way out of the repository and any outside address', () => {
    expect(check('[gone](gone.md)')).toEqual(['docs/b.md:1: gone.md: no such file']);
    expect(check('[a](a.md#no-such-heading)')).toEqual(['docs/b.md:1: a.md#no-such-heading: no heading #no-such-heading in docs/a.md']);
    expect(check('[up](../../outside.md)')).toEqual(['docs/b.md:1: ../../outside.md: leaves the repository']);
    expect(check('[spec](https://example.com/spec) and http://example.org/x and <https://example.net>')).toHaveLength(3);
  });

  it('finds issue numbers but not words that merely contain one', () => {
    expect(issueNumbers('x.md', 'issue 6 adds this; Issues #12')).toHaveLength(2);
    expect(issueNumbers('x.md', 'MINOR_ISSUE 5 points; per issue: 10')).toEqual([]);
  });

  it('finds bare #12 references and issue-12 in code and comments, but not colours, entities or private fields', () => {
    expect(issueNumbers('x.ts', '// see #12\nconst a = 1; // (#7) and issue-3\n"""Fixed in #123."""')).toEqual([
      'x.ts:1: "#12"',
      'x.ts:2: "#7"',
      'x.ts:2: "issue-3"',
      'x.ts:3: "#123"',
    ]);
    expect(issueNumbers('x.ts', "axis: '#777777', color: #000; border: 1px solid #999; &#123; this.#count; #1a2b3c; issue: 4")).toEqual([]);
  });
});
