import type { CodegenConfig } from '@graphql-codegen/cli';

/** The operations a console sends, as examples of typed documents over the API schema. */
export const EXAMPLE_OPERATIONS = 'examples/operations/*.graphql';

/** DateTime is an ISO 8601 string and LocalDate a YYYY-MM-DD string on the wire. */
const scalars = { DateTime: 'string', LocalDate: 'string' };

/**
 * graphql-codegen over the API schema (gateway/api-schema.graphql, written by `npm run compose`). `npm run codegen`
 * writes, into examples/generated/ (git-ignored):
 * - schema.ts: every type and enum of the schema (`typescript`), the error enums (ErrorCode, *ErrorReason) included;
 * - graphql.ts: each operation's variables and result (`typescript-operations`, which since v6 emits the enums and
 *   inputs it needs itself, hence its own file) and a TypedDocumentNode per operation (`typed-document-node`).
 * A front end points `documents` at its own operations.
 */
export function codegenConfig(outputDir = 'examples/generated'): CodegenConfig {
  return {
    overwrite: true,
    schema: 'gateway/api-schema.graphql',
    documents: EXAMPLE_OPERATIONS,
    generates: {
      [`${outputDir}/schema.ts`]: {
        plugins: ['typescript'],
        config: { scalars, enumsAsTypes: true, strictScalars: true },
      },
      [`${outputDir}/graphql.ts`]: {
        plugins: ['typescript-operations', 'typed-document-node'],
        config: { scalars, strictScalars: true, useTypeImports: true },
      },
    },
  };
}

export default codegenConfig();
