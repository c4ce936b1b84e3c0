import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, type DocumentNode } from 'graphql';
import ts from 'typescript';

/** The repository root (this file is gateway/src/__tests__/). */
export const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));

export interface CorpusOperation {
  /** Where it was found: file and line. */
  source: string;
  text: string;
  document: DocumentNode;
}

/**
 * Every GraphQL document the platform's own clients send: the operations of the end-to-end and integration specs
 * (which play the district's front ends through the gateway) and the documentation's examples (README.md, docs/). Template literals are read
 * with the file's string constants substituted (`${CASE_FIELDS}`); an interpolated value inside quotes stands for
 * an id; a document that still does not parse (built by code, say `'parent { '.repeat(12)`) is left out.
 */
export function operationCorpus(): CorpusOperation[] {
  const operations: CorpusOperation[] = [];
  for (const file of specFiles(REPOSITORY)) operations.push(...operationsInSpec(file));
  for (const file of markdownFiles(REPOSITORY)) operations.push(...operationsInMarkdown(file));
  return operations;
}

function specFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(e2e|int)-spec\.ts$/.test(name)) found.push(path);
    }
  };
  for (const top of ['gateway', 'services', 'libs']) walk(join(root, top));
  return found.sort();
}

const LOOKS_LIKE_GRAPHQL = /^\s*(?:query\b|mutation\b|\{)/;

function operationsInSpec(path: string): CorpusOperation[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const constants = new Map<string, ts.Expression>();
  const collect = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) constants.set(node.name.text, node.initializer);
    ts.forEachChild(node, collect);
  };
  collect(source);

  const textOf = (node: ts.Expression, seen: Set<string>): string | null => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isParenthesizedExpression(node)) return textOf(node.expression, seen);
    if (ts.isIdentifier(node)) {
      const value = constants.get(node.text);
      if (!value || seen.has(node.text)) return null;
      return textOf(value, new Set([...seen, node.text]));
    }
    if (ts.isTemplateExpression(node)) {
      let text = node.head.text;
      for (const span of node.templateSpans) {
        const inQuotes = /"[^"]*$/.test(text);
        const inner = textOf(span.expression, seen);
        if (inner !== null) text += inner;
        else if (inQuotes) text += 'x';
        else if (/[:(,=]\s*$/.test(text))
          text += '1'; // a number in an argument
        else return null;
        text += span.literal.text;
      }
      return text;
    }
    return null;
  };

  const operations: CorpusOperation[] = [];
  const seenTexts = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      const text = textOf(node, new Set());
      if (text && LOOKS_LIKE_GRAPHQL.test(text) && !seenTexts.has(text)) {
        const document = tryParse(text);
        if (document) {
          seenTexts.add(text);
          const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
          operations.push({ source: `${relative(REPOSITORY, path)}:${line}`, text, document });
        }
      }
      if (!ts.isTemplateExpression(node)) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return operations;
}

/** README.md and every page under docs/. */
function markdownFiles(root: string): string[] {
  const found = [join(root, 'README.md')];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) found.push(path);
    }
  };
  walk(join(root, 'docs'));
  return found;
}

function operationsInMarkdown(path: string): CorpusOperation[] {
  const operations: CorpusOperation[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, index) => {
    for (const match of line.matchAll(/'(\{"query":.*?\})'/g)) {
      try {
        const text = (JSON.parse(match[1]) as { query: string }).query;
        const document = tryParse(text);
        if (document) operations.push({ source: `${relative(REPOSITORY, path)}:${index + 1}`, text, document });
      } catch {
        // not JSON (a shell variable inside, say): not a document we can read
      }
    }
  });
  return operations;
}

function tryParse(text: string): DocumentNode | null {
  try {
    const document = parse(text);
    return document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION) ? document : null;
  } catch {
    return null;
  }
}
