import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildSchema } from 'graphql';
import { API_SCHEMA_PATH, apiSchemaOf, printApiSchema, undescribedSchemaElements } from '../api-schema.js';
import { repoRoot } from '../repo-root.js';

const read = (path: string) => readFile(join(repoRoot(), path), 'utf8');

describe('the API schema', () => {
  it('is committed beside the supergraph as the gateway serves it (run `npm run compose` and commit when this fails)', async () => {
    const supergraph = await read('gateway/supergraph.graphql');
    expect(await read(API_SCHEMA_PATH)).toBe(printApiSchema(supergraph));
  });

  it('carries none of the federation machinery clients never see', async () => {
    const schema = buildSchema(await read(API_SCHEMA_PATH));
    const names = [...Object.keys(schema.getTypeMap()), ...schema.getDirectives().map((directive) => `@${directive.name}`)];
    expect(names.filter((name) => /^@?(join__|link__|_Service$|_Entity$|_Any$)|^@(link|join__)/.test(name))).toEqual([]);
    expect(Object.keys(schema.getQueryType()?.getFields() ?? {})).not.toEqual(expect.arrayContaining(['_entities']));
    expect(Object.keys(schema.getQueryType()?.getFields() ?? {})).not.toEqual(expect.arrayContaining(['_service']));
  });

  it('describes every type, field, argument and enum value, so front ends can read it instead of the services', async () => {
    const missing = undescribedSchemaElements(apiSchemaOf(await read('gateway/supergraph.graphql')));
    // Listing the coordinates is the point: the failure says exactly which @Field, @Args or enum value to describe.
    expect(missing).toEqual([]);
  });
});

describe('undescribedSchemaElements', () => {
  it('lists each undescribed type, field, argument, input field and enum value, and skips the root types themselves', () => {
    const schema = buildSchema(`
      type Query { "Described." things(first: Int): [Thing!]! }
      "A thing." type Thing { id: ID! "Its label." label: String! kind: Kind! }
      enum Kind { "Big." BIG SMALL }
      input Filter { "Described." kind: Kind q: String }
      type Mutation { "Described." save(filter: Filter): Boolean }
    `);
    expect(undescribedSchemaElements(schema)).toEqual([
      'Filter',
      'Filter.q',
      'Kind',
      'Kind.SMALL',
      'Mutation.save(filter:)',
      'Query.things(first:)',
      'Thing.id',
      'Thing.kind',
    ]);
  });
});
