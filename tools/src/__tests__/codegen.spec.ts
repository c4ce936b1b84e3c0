import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { generate } from '@graphql-codegen/cli';
import * as addPlugin from '@graphql-codegen/add';
import type { CodegenPlugin } from '@graphql-codegen/plugin-helpers';
import * as typedDocumentNode from '@graphql-codegen/typed-document-node';
import * as typescriptPlugin from '@graphql-codegen/typescript';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import { buildSchema, Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import ts from 'typescript';
import { CONSOLE_GENERATED, codegenConfig, consoleCodegenConfig } from '../../../codegen.js';
import { operationCost } from '#gateway/query-cost';
import { DEFAULT_QUERY_LIMITS, queryLimits } from '#gateway/query-limits';
import { repoRoot } from '../repo-root.js';

const root = repoRoot();
const operationsDir = join(root, 'examples/operations');
const operationFiles = readdirSync(operationsDir)
  .filter((name) => name.endsWith('.graphql'))
  .sort();
/**
 * The plugins, imported here rather than by name: under Jest's ESM support the CLI's own loader picks their CommonJS
 * builds, which cannot require their ESM-only dependencies. The CLI (npm run codegen) loads the same packages by name.
 */
const PLUGINS: Record<string, CodegenPlugin> = {
  '@graphql-codegen/add': addPlugin,
  '@graphql-codegen/typescript': typescriptPlugin,
  '@graphql-codegen/typescript-operations': typescriptOperations,
  '@graphql-codegen/typed-document-node': typedDocumentNode,
};
const pluginLoader = (name: string): CodegenPlugin => {
  if (!(name in PLUGINS)) throw new Error(`No plugin ${name} in this spec`);
  return PLUGINS[name];
};

const schema = buildSchema(readFileSync(join(root, 'gateway/api-schema.graphql'), 'utf8'));

describe('the example operations', () => {
  it('cover the console pages the documentation names', () => {
    const names = operationFiles.flatMap((file) =>
      parse(readFileSync(join(operationsDir, file), 'utf8'))
        .definitions.filter((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION)
        .map((operation) => operation.name?.value),
    );
    expect(names).toEqual(
      expect.arrayContaining(['HouseholdsPage', 'HouseholdMonthlyGrades', 'Notices', 'JointActions', 'Cases', 'OpenCase']),
    );
    expect(names.every(Boolean)).toBe(true);
  });

  it.each(operationFiles)('%s is valid against the API schema', (file) => {
    const errors = validate(schema, parse(readFileSync(join(operationsDir, file), 'utf8')));
    expect(errors.map((error) => error.message)).toEqual([]);
  });

  it.each(operationFiles)("%s stays within the gateway's query limits (depth, aliases, tokens, cost)", (file) => {
    const limits = queryLimits({ production: true });
    const document = parse(readFileSync(join(operationsDir, file), 'utf8'), limits.parseOptions);
    expect(validate(schema, document, limits.validationRules).map((error) => error.message)).toEqual([]);
    for (const operation of document.definitions.filter(
      (node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION,
    )) {
      expect(operationCost(schema, document, operation.name?.value)).toBeLessThanOrEqual(DEFAULT_QUERY_LIMITS.maxCost);
    }
  });
});

describe('the codegen example', () => {
  it('generates typed documents that, with the example client using them, type-check', async () => {
    const outputs = (await generate({ ...codegenConfig(), cwd: root, pluginLoader, silent: true }, true)) as { filename: string }[];
    expect(outputs.map((output) => output.filename).sort()).toEqual(['examples/generated/graphql.ts', 'examples/generated/schema.ts']);

    const program = ts.createProgram([join(root, 'examples/console-client.ts')], {
      strict: true,
      noEmit: true,
      noUnusedLocals: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      // A console runs in a browser: fetch and the DOM types come from there, not from Node.
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      types: [],
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => `${diagnostic.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
    // The client was compiled against the generated files, not against something else of the same name.
    expect(program.getSourceFiles().map((file) => file.fileName)).toEqual(
      expect.arrayContaining([join(root, 'examples/generated/graphql.ts'), join(root, 'examples/generated/schema.ts')]),
    );
  });
});

describe("the console's generated types", () => {
  it('are what npm run codegen writes from the committed schema and console/src/queries.ts (run it after changing either)', async () => {
    const outputs = (await generate({ ...consoleCodegenConfig(), cwd: root, pluginLoader, silent: true }, false)) as {
      filename: string;
      content: string;
    }[];
    expect(outputs.map((output) => output.filename)).toEqual([CONSOLE_GENERATED]);
    // Every operation of queries.ts has its types (none was left out by the plucking of its gql tags).
    const operations = [...readFileSync(join(root, 'console/src/queries.ts'), 'utf8').matchAll(/^\s*(?:query|mutation) (\w+)/gm)].map(
      (match) => match[1],
    );
    expect(operations.length).toBeGreaterThan(0);
    for (const name of operations) expect(outputs[0].content).toMatch(new RegExp(`export type ${name}(Query|Mutation) = `));
    expect(readFileSync(join(root, CONSOLE_GENERATED), 'utf8')).toBe(outputs[0].content);
  });
});
