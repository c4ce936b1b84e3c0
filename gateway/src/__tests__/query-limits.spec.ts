import { describe, expect, it } from '@jest/globals';
import { buildSchema, parse, validate } from 'graphql';
import { maxAliasesRule, maxDepthRule } from '../query-limits.js';

const schema = buildSchema(`
  type Query { unit: Unit }
  type Unit { id: ID! name: String parent: Unit }
`);

const errorsOf = (query: string) =>
  validate(schema, parse(query), [maxDepthRule(3), maxAliasesRule(2)]).map((error) => error.message);

describe('maxDepthRule', () => {
  it('accepts a query at the depth limit', () => {
    expect(errorsOf('{ unit { parent { id } } }')).toEqual([]);
  });

  it('refuses a query one level deeper', () => {
    expect(errorsOf('{ unit { parent { parent { id } } } }')).toEqual(['Query depth 4 exceeds the limit of 3']);
  });

  it('measures depth through fragments and inline fragments', () => {
    expect(errorsOf('{ unit { ...Up } } fragment Up on Unit { parent { ... on Unit { parent { id } } } }')).toEqual([
      'Query depth 4 exceeds the limit of 3',
    ]);
    expect(errorsOf('{ unit { ...Up } } fragment Up on Unit { parent { id } }')).toEqual([]);
  });

  it('measures each operation of a document on its own', () => {
    expect(errorsOf('query A { unit { id } } query B { unit { parent { parent { id } } } }')).toEqual([
      'Query depth 4 exceeds the limit of 3',
    ]);
  });

  it('stops at a fragment cycle instead of hanging', () => {
    const query = '{ unit { ...A } } fragment A on Unit { parent { ...B } } fragment B on Unit { parent { ...A } }';
    const errors = validate(schema, parse(query), [maxDepthRule(2)]).map((error) => error.message);
    expect(errors).toEqual(['Query depth 3 exceeds the limit of 2']);
  });
});

describe('maxAliasesRule', () => {
  it('accepts up to the alias limit', () => {
    expect(errorsOf('{ a: unit { id } b: unit { id } }')).toEqual([]);
  });

  it('refuses more aliases than the limit', () => {
    expect(errorsOf('{ a: unit { id } b: unit { id } c: unit { x: id } }')).toEqual(['4 aliases exceed the limit of 2']);
  });

  it('counts the aliases of a fragment each time it is spread', () => {
    const chain = Array.from({ length: 8 }, (_, i) => `fragment F${i} on Unit { a${i}: parent { ...F${i + 1} } b${i}: parent { ...F${i + 1} } }`).join(' ');
    const query = `{ unit { ...F0 } } ${chain} fragment F8 on Unit { id }`;
    expect(validate(schema, parse(query), [maxAliasesRule(30)]).map((error) => error.message)).toEqual(['510 aliases exceed the limit of 30']);
  });

  it('checks a document whose fragments spread each other exponentially in linear time', () => {
    const chain = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Unit { parent { ...F${i + 1} } parent { ...F${i + 1} } }`).join(' ');
    const query = `{ unit { ...F0 } } ${chain} fragment F40 on Unit { id }`;
    // Expanded, this document has 2^40 paths; measuring it must still finish (a hang fails the test by timeout).
    expect(validate(schema, parse(query), [maxDepthRule(100)]).map((error) => error.message)).toEqual([]);
  });

  it('counts aliases inside fragments', () => {
    expect(errorsOf('{ a: unit { ...F } } fragment F on Unit { b: id c: name }')).toEqual(['3 aliases exceed the limit of 2']);
  });
});
