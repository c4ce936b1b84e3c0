import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** Where a DomainError's reason could not be read from the source: the scan cannot vouch for it. */
export interface UnresolvedReason {
  file: string;
  line: number;
  text: string;
}

/** One place a reason is thrown: the `extensions.code` it comes with and its message, placeholders shown as …. */
export interface ReasonSite {
  file: string;
  code: string;
  message: string;
}

export interface ThrownReasons {
  /** Each reason thrown, with the places that throw it. */
  reasons: Map<string, ReasonSite[]>;
  unresolved: UnresolvedReason[];
}

const FACTORIES: Record<string, string> = { badInput: 'BAD_USER_INPUT', forbidden: 'FORBIDDEN', conflict: 'CONFLICT' };
const REASON = /^[A-Z][A-Z0-9_]*$/;

/**
 * The shared validators (libs/errors) that throw BAD_USER_INPUT with the reason their caller passes, by the index of
 * that argument: a call to one is a throw site of the caller's service, and their own throw is not a reason of the
 * libraries.
 */
const REASON_PASSING_VALIDATORS: Record<string, number> = { requireText: 3, optionalText: 3 };

/** `requireText(value, field, max, reason)` and the like: the reason argument of a call to a shared validator. */
function validatorReasonAt(node: ts.Node): ts.Expression | null {
  if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression)) return null;
  const index = REASON_PASSING_VALIDATORS[node.expression.text] as number | undefined;
  return index === undefined ? null : (node.arguments.at(index) ?? null);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__tests__' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

interface Thrown {
  code: string;
  message: ts.Expression | undefined;
  reason: ts.Expression | undefined;
}

/** `DomainError.badInput(message, reason)` or `new DomainError(code, message, reason)`, outside DomainError's own factories. */
function domainErrorAt(node: ts.Node): Thrown | null {
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'DomainError') {
    if (insideClass(node, 'DomainError')) return null;
    const args: readonly (ts.Expression | undefined)[] = node.arguments ?? [];
    const [code, message, reason] = args;
    const codeName = code === undefined ? '?' : ts.isPropertyAccessExpression(code) ? code.name.text : code.getText();
    return { code: codeName, message, reason };
  }
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    ts.isIdentifier(node.expression.expression) &&
    node.expression.expression.text === 'DomainError' &&
    node.expression.name.text in FACTORIES
  ) {
    const args: readonly (ts.Expression | undefined)[] = node.arguments;
    const [message, reason] = args;
    return { code: FACTORIES[node.expression.name.text], message, reason };
  }
  return null;
}

/** A node's parent, typed as what it is at the top of the tree: absent. */
const parentOf = (node: ts.Node): ts.Node | undefined => node.parent;

function insideClass(node: ts.Node, name: string): boolean {
  for (let current = parentOf(node); current; current = parentOf(current)) {
    if (ts.isClassDeclaration(current) && current.name?.text === name) return true;
  }
  return false;
}

/** A message as a reader sees it: literal text, with each template placeholder shown as …. */
function messageText(expression: ts.Expression | undefined): string {
  if (!expression) return '';
  if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return expression.text;
  if (ts.isTemplateExpression(expression))
    return expression.head.text + expression.templateSpans.map((span) => `…${span.literal.text}`).join('');
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return messageText(expression.left) + messageText(expression.right);
  }
  return '…';
}

/** The function a node sits in, with its name when it has one (a declaration, or an arrow or function assigned to a const). */
function enclosingFunction(node: ts.Node): { fn: ts.SignatureDeclaration; name: string | null } | null {
  for (let current = parentOf(node); current; current = parentOf(current)) {
    if (ts.isFunctionDeclaration(current) || ts.isMethodDeclaration(current)) {
      return {
        fn: current,
        name: current.name && (ts.isIdentifier(current.name) || ts.isPrivateIdentifier(current.name)) ? current.name.text : null,
      };
    }
    if (ts.isArrowFunction(current) || ts.isFunctionExpression(current)) {
      const holder = current.parent;
      return { fn: current, name: ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) ? holder.name.text : null };
    }
  }
  return null;
}

/** The initializer of the `const` an identifier names, when it is declared in a block enclosing the identifier. */
function localConstant(identifier: ts.Identifier): ts.Expression | null {
  for (let scope = parentOf(identifier); scope; scope = parentOf(scope)) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      const declaration = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === identifier.text);
      if (declaration?.initializer) return declaration.initializer;
    }
  }
  return null;
}

/** Every call in the file of a function (or method) by that name. */
function callsOf(source: ts.SourceFile, name: string): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const calleeName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : null;
      if (calleeName === name) calls.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return calls;
}

/**
 * The reason literals an expression can take: a string literal, either branch of a conditional, a local constant, or a
 * parameter of the enclosing function whose callers (in any scanned file) pass literals. Null when any path is not.
 */
function literalsOf(expression: ts.Expression, sources: readonly ts.SourceFile[], depth = 0): string[] | null {
  if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return [expression.text];
  if (ts.isParenthesizedExpression(expression)) return literalsOf(expression.expression, sources, depth);
  if (ts.isConditionalExpression(expression)) {
    const whenTrue = literalsOf(expression.whenTrue, sources, depth);
    const whenFalse = literalsOf(expression.whenFalse, sources, depth);
    return whenTrue && whenFalse ? [...whenTrue, ...whenFalse] : null;
  }
  if (ts.isIdentifier(expression) && depth < 3) {
    const local = localConstant(expression);
    if (local) return literalsOf(local, sources, depth + 1);
    const owner = enclosingFunction(expression);
    const index =
      owner?.fn.parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === expression.text) ?? -1;
    if (!owner?.name || index < 0) return null;
    const calls = sources.flatMap((source) => callsOf(source, owner.name!));
    if (calls.length === 0) return null;
    const found: string[] = [];
    for (const call of calls) {
      const argument = call.arguments.at(index);
      const literals = argument ? literalsOf(argument, sources, depth + 1) : null;
      if (!literals) return null;
      found.push(...literals);
    }
    return found;
  }
  return null;
}

/** Inside one of the shared validators, whose reason is its caller's. */
function insideValidator(node: ts.Node): boolean {
  const name = enclosingFunction(node)?.name;
  return name !== undefined && name !== null && name in REASON_PASSING_VALIDATORS;
}

/**
 * Reads every DomainError thrown under `dir` (tests left out) and collects the `extensions.reason` values it can
 * carry. A reason that is not a literal, nor a parameter fed literals by its callers, is listed as unresolved so
 * the enum built from this scan cannot silently miss it.
 */
export function thrownReasons(dir: string, root = dir): ThrownReasons {
  const reasons = new Map<string, ReasonSite[]>();
  const unresolved: UnresolvedReason[] = [];
  const sources = sourceFiles(dir).map((path) => ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true));
  for (const source of sources) {
    if (!source.text.includes('DomainError') && !Object.keys(REASON_PASSING_VALIDATORS).some((name) => source.text.includes(name)))
      continue;
    const file = relative(root, source.fileName);
    const visit = (node: ts.Node) => {
      const passed = validatorReasonAt(node);
      if (passed) {
        const literals = literalsOf(passed, sources);
        if (literals && literals.every((reason) => REASON.test(reason))) {
          const site = { file, code: 'BAD_USER_INPUT', message: `${(node as ts.CallExpression).expression.getText()}(…)` };
          for (const reason of literals) reasons.set(reason, [...(reasons.get(reason) ?? []), site]);
        } else {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart());
          unresolved.push({ file, line: line + 1, text: node.getText().replace(/\s+/g, ' ').slice(0, 160) });
        }
      }
      const thrown = insideValidator(node) ? null : domainErrorAt(node);
      // DomainError.notFound and the like carry no reason: `extensions.code` says it all.
      if (thrown?.reason && thrown.reason.kind !== ts.SyntaxKind.UndefinedKeyword && thrown.reason.getText() !== 'undefined') {
        const literals = literalsOf(thrown.reason, sources);
        if (literals && literals.every((reason) => REASON.test(reason))) {
          const site = { file, code: thrown.code, message: messageText(thrown.message) };
          for (const reason of literals) reasons.set(reason, [...(reasons.get(reason) ?? []), site]);
        } else {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart());
          unresolved.push({ file, line: line + 1, text: node.getText().replace(/\s+/g, ' ').slice(0, 160) });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { reasons, unresolved };
}
