import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { Kind, Lexer, Source, TokenKind, parse, validate, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { readSupergraph } from '../create-gateway.js';
import { operationCost } from '../query-cost.js';
import { queryLimitErrorOf, withoutSuggestions } from '../query-limit-error.js';
import { DEFAULT_QUERY_LIMITS, queryLimits, type QueryLimits } from '../query-limits.js';
import { operationCorpus } from './operation-corpus.js';

/** The API schema clients see: the committed supergraph, as the gateway serves it. */
let schema: GraphQLSchema;
const servers: ApolloServer[] = [];

beforeAll(async () => {
  ({ schema } = await new ApolloGateway({ supergraphSdl: await readSupergraph() }).load());
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

/** An Apollo Server over the real schema with the gateway's limits and error formatting (nothing is resolved). */
async function serverWith(production: boolean, limits: Partial<QueryLimits> = {}) {
  const protection = queryLimits({ production, limits });
  const server = new ApolloServer({
    schema,
    validationRules: protection.validationRules,
    parseOptions: protection.parseOptions,
    plugins: protection.plugins,
    formatError: (formatted, error) => protection.formatError(formatted, error, (other) => other),
  });
  await server.start();
  servers.push(server);
  return async (query: string, variables?: Record<string, unknown>) => {
    const response = await server.executeOperation({ query, variables });
    const errors: GraphQLFormattedError[] = response.body.kind === 'single' ? [...(response.body.singleResult.errors ?? [])] : [];
    return { status: response.http.status ?? 200, errors, codes: errors.map((e) => e.extensions?.code) };
  };
}

let run: Awaited<ReturnType<typeof serverWith>>;
beforeAll(async () => {
  run = await serverWith(false);
});

const LIMIT_CODES = ['QUERY_TOO_COSTLY', 'QUERY_TOO_DEEP', 'TOO_MANY_ALIASES', 'TOO_MANY_TOKENS', 'TOO_MANY_DIRECTIVES'];
/** Admitted: whatever else happens (nothing resolves here), no limit refused it. */
const expectAdmitted = (result: { codes: unknown[] }) =>
  expect(result.codes.filter((code) => LIMIT_CODES.includes(String(code)))).toEqual([]);

describe('the cost limit', () => {
  const NESTED = `query($units: Int, $liaisons: Int) { orgUnits(first: $units) { edges { node { id liaisons(first: $liaisons) { edges { node { id } } } } } } }`;

  it('weighs connections by their page size, from literals, variables, variable defaults or the default of 50', () => {
    const cost = (query: string, variables?: Record<string, unknown>) => operationCost(schema, parse(query), null, variables);
    // orgUnits 1 + 10 edges × (edge 1 + node 1)
    expect(cost('{ orgUnits(first: 10) { totalCount edges { node { id name } } } }')).toBe(21);
    expect(cost('query($n: Int) { orgUnits(first: $n) { edges { node { id } } } }', { n: 10 })).toBe(21);
    expect(cost('query($n: Int = 10) { orgUnits(first: $n) { edges { node { id } } } }')).toBe(21);
    expect(cost('{ orgUnits { edges { node { id } } } }')).toBe(101);
    // Above 500 the services refuse the page before any SQL: it counts as 500.
    expect(cost('{ orgUnits(first: 100000) { edges { node { id } } } }')).toBe(1001);
    // Nested: 1 + 500 × (edge 1 + node 1 + liaisons 1 + 500 × 2)
    expect(cost(NESTED, { units: 500, liaisons: 500 })).toBe(501_501);
    // Fragments and inline fragments count like the fields they stand for.
    expect(
      cost('{ orgUnits(first: 10) { ...Page } } fragment Page on OrgUnitConnection { edges { ... on OrgUnitEdge { node { id } } } }'),
    ).toBe(21);
  });

  it('refuses a costly nested query with 400 QUERY_TOO_COSTLY, its cost and the limit', async () => {
    const result = await run(NESTED, { units: 500, liaisons: 500 });
    expect(result.status).toBe(400);
    expect(result.codes).toEqual(['QUERY_TOO_COSTLY']);
    expect(result.errors[0].message).toBe(
      'Query cost 501,501 exceeds the limit of 100,000: ask for smaller pages (first) or fewer nested lists',
    );
    expect(result.errors[0].extensions).toMatchObject({ limit: 100_000, found: 501_501 });
  });

  it('accepts a query costing exactly the limit and refuses one costing one more', async () => {
    // 1 + 131 × (3 + 2 × 113) = 30,000
    const atLimit = await serverWith(false, { maxCost: 30_000 });
    expectAdmitted(await atLimit(NESTED, { units: 131, liaisons: 113 }));
    const over = NESTED.replace('orgUnits(first: $units) {', 'orgUnits(first: $units) { pageInfo { hasNextPage }');
    const refused = await atLimit(over, { units: 131, liaisons: 113 });
    expect(refused.codes).toEqual(['QUERY_TOO_COSTLY']);
    expect(refused.errors[0].extensions).toMatchObject({ limit: 30_000, found: 30_001 });
  });
});

describe('depth, aliases, tokens and directives at their default limits', () => {
  /** `orgUnits edges node` and `parents` nested parents, ending in `id`: 4 + parents fields deep. */
  const deep = (parents: number) => `{ orgUnits { edges { node { ${'parent { '.repeat(parents)}id${' }'.repeat(parents)} } } } }`;

  it(`accepts ${DEFAULT_QUERY_LIMITS.maxDepth} fields deep and refuses one more with QUERY_TOO_DEEP`, async () => {
    expectAdmitted(await run(deep(DEFAULT_QUERY_LIMITS.maxDepth - 4)));
    const refused = await run(deep(DEFAULT_QUERY_LIMITS.maxDepth - 3));
    expect(refused.status).toBe(400);
    expect(refused.codes).toEqual(['QUERY_TOO_DEEP']);
    expect(refused.errors[0]).toMatchObject({ message: 'Query depth 11 exceeds the limit of 10', extensions: { limit: 10, found: 11 } });
  });

  it('counts depth through fragments as the fields they stand for', async () => {
    const viaFragment = (parents: number) =>
      `{ orgUnits { edges { node { ...Up } } } } fragment Up on OrgUnit { ... on OrgUnit { ${'parent { '.repeat(parents)}id${' }'.repeat(parents)} } }`;
    expectAdmitted(await run(viaFragment(DEFAULT_QUERY_LIMITS.maxDepth - 4)));
    expect((await run(viaFragment(DEFAULT_QUERY_LIMITS.maxDepth - 3))).codes).toEqual(['QUERY_TOO_DEEP']);
  });

  const aliased = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: viewer { roles }`).join(' ')} }`;

  it(`accepts ${DEFAULT_QUERY_LIMITS.maxAliases} aliases and refuses one more with TOO_MANY_ALIASES`, async () => {
    expectAdmitted(await run(aliased(DEFAULT_QUERY_LIMITS.maxAliases)));
    const refused = await run(aliased(DEFAULT_QUERY_LIMITS.maxAliases + 1));
    expect(refused.status).toBe(400);
    expect(refused.codes).toEqual(['TOO_MANY_ALIASES']);
    expect(refused.errors[0].extensions).toMatchObject({ limit: 30, found: 31 });
  });

  // `{ viewer { ` and ` } }` are 5 tokens, each `roles` one more.
  const tokens = (count: number) => `{ viewer { ${'roles '.repeat(count - 5)}} }`;

  it(`accepts ${DEFAULT_QUERY_LIMITS.maxTokens} tokens and refuses one more with TOO_MANY_TOKENS`, async () => {
    expectAdmitted(await run(tokens(DEFAULT_QUERY_LIMITS.maxTokens)));
    const refused = await run(tokens(DEFAULT_QUERY_LIMITS.maxTokens + 1));
    expect(refused.status).toBe(400);
    expect(refused.codes).toEqual(['TOO_MANY_TOKENS']);
    expect(refused.errors[0]).toMatchObject({ message: 'The document has more than 1000 tokens', extensions: { limit: 1000 } });
  });

  const directed = (count: number) => `{ viewer { ${'roles @include(if: true) '.repeat(count)}} }`;

  it(`accepts ${DEFAULT_QUERY_LIMITS.maxDirectives} directives and refuses one more with TOO_MANY_DIRECTIVES`, async () => {
    expectAdmitted(await run(directed(DEFAULT_QUERY_LIMITS.maxDirectives)));
    const refused = await run(directed(DEFAULT_QUERY_LIMITS.maxDirectives + 1));
    expect(refused.status).toBe(400);
    expect(refused.codes).toEqual(['TOO_MANY_DIRECTIVES']);
    expect(refused.errors[0].extensions).toMatchObject({ limit: 10, found: 11 });
  });
});

describe('suggestions', () => {
  const MISTAKES = [
    '{ orgUnits { totalCont } }', // a field
    '{ orgUnits(frist: 3) { totalCount } }', // an argument
    '{ orgUnits(kind: STRET) { totalCount } }', // an enum value
  ];

  it('are hidden in production (NODE_ENV=production), the error itself kept', async () => {
    const production = await serverWith(true);
    for (const query of MISTAKES) {
      const result = await production(query);
      expect(result.status).toBe(400);
      expect(result.codes).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(result.errors[0].message).not.toMatch(/Did you mean|totalCount"|"first"|"STREET"|\?$/);
    }
    const variable = await production('query($k: OrgUnitKind) { orgUnits(kind: $k) { totalCount } }', { k: 'STRET' });
    expect(variable.errors[0].message).toBe('Variable "$k" got invalid value "STRET"; Value "STRET" does not exist in "OrgUnitKind" enum.');
  });

  it('are kept in development', async () => {
    expect((await run(MISTAKES[0])).errors[0].message).toMatch(/Did you mean "totalCount"\?/);
  });

  it('are removed whatever their form', () => {
    expect(withoutSuggestions('Unknown type "Strt". Did you mean "Street", "State", or "Stat"?')).toBe('Unknown type "Strt".');
    expect(withoutSuggestions('Cannot query field "x" on type "Y". ?')).toBe('Cannot query field "x" on type "Y".');
  });
});

describe("the platform's own operations", () => {
  it('are all admitted by the default limits (the figures the defaults were derived from)', () => {
    const corpus = operationCorpus();
    // Every end-to-end and integration spec's operations and the documentation's examples: hundreds of documents.
    expect(corpus.length).toBeGreaterThan(300);
    const rules = queryLimits({ production: false }).validationRules;
    const highest = { cost: 0, depth: 0, aliases: 0, tokens: 0, directives: 0 };
    const measuring = queryLimits({ production: false, limits: { maxDepth: 0, maxAliases: 0, maxDirectives: 0 } }).validationRules;
    const refused: string[] = [];
    for (const { source, text, document } of corpus) {
      // A few specs send invalid documents on purpose (an unknown enum value, a subgraph's own _entities query).
      if (validate(schema, document).length > 0) continue;
      for (const error of validate(schema, document, rules)) refused.push(`${source}: ${error.message}`);
      for (const error of validate(schema, document, measuring)) {
        const refusal = queryLimitErrorOf(error)!;
        const key = ({ QUERY_TOO_DEEP: 'depth', TOO_MANY_ALIASES: 'aliases', TOO_MANY_DIRECTIVES: 'directives' } as const)[
          refusal.limitCode as 'QUERY_TOO_DEEP'
        ];
        highest[key] = Math.max(highest[key], refusal.found ?? 0);
      }
      const lexer = new Lexer(new Source(text));
      let tokens = 0;
      while (lexer.advance().kind !== TokenKind.EOF) tokens++;
      highest.tokens = Math.max(highest.tokens, tokens);
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        // Variables the spec passes are not read here: each counts as its default (50 for a page size).
        const cost = operationCost(schema, document, definition.name?.value ?? null);
        if (cost > DEFAULT_QUERY_LIMITS.maxCost) refused.push(`${source}: cost ${cost}`);
        highest.cost = Math.max(highest.cost, cost);
      }
    }
    expect(refused).toEqual([]);
    // docs/security.md gives the highest figures (cost 50,151, depth 7, 12 aliases, 157 tokens, no directive) and the
    // headroom each default leaves above them.
    expect(highest.cost).toBeLessThanOrEqual(DEFAULT_QUERY_LIMITS.maxCost);
    expect(highest.tokens).toBeLessThanOrEqual(DEFAULT_QUERY_LIMITS.maxTokens);
    expect(highest.depth).toBeGreaterThan(0);
  });
});
