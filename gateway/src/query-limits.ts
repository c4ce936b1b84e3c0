// Owns the bounds on one GraphQL operation (cost, depth, aliases, tokens, directives) as Apollo Server options.
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type GraphQLFormattedError, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';
import { operationCost } from './query-cost.js';
import { QueryLimitCode, QueryLimitError, queryLimitErrorOf, withoutSuggestions } from './query-limit-error.js';

/**
 * The gateway's bounds on one GraphQL operation. Defaults derived from the platform's own operations (every query and
 * mutation the end-to-end specs and the documentation send, measured against the composed supergraph by
 * `gateway/src/__tests__/query-limits.spec.ts`), with headroom; see "Bounded queries" in docs/security.md for the figures.
 */
export interface QueryLimits {
  /** Estimated objects an operation may return (see `operationCost`). */
  maxCost: number;
  /** Deepest chain of nested fields, fragments expanded. */
  maxDepth: number;
  /** Aliased fields, fragments expanded (each spread counts again). */
  maxAliases: number;
  /** Lexical tokens of the whole document (names, punctuation, values). */
  maxTokens: number;
  /** Directives (`@include`, `@skip`, …) in an operation, fragments expanded. */
  maxDirectives: number;
}

export const DEFAULT_QUERY_LIMITS: Readonly<QueryLimits> = {
  /** The costliest legitimate read (50 party units with up to 500 members each) is 50,201: twice that. */
  maxCost: 100_000,
  /** The deepest legitimate operation is 7 fields deep: room for one more connection (edges → node) and a field. */
  maxDepth: 10,
  /** The most aliases in one legitimate operation is 12 (a day's collection totals side by side). */
  maxAliases: 30,
  /** The longest legitimate operation has 157 tokens, an introspection query 184. */
  maxTokens: 1_000,
  /** No operation of the platform's uses a directive today: room for @include/@skip on a few fields. */
  maxDirectives: 10,
};

/** Apollo Server plugin: refuses an operation whose cost, with its variables' values, exceeds `maxCost`. */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ schema, document, request }) {
          const cost = operationCost(schema, document, request.operationName, request.variables ?? {});
          if (cost > maxCost) {
            const shown = Number.isFinite(cost) ? Math.round(cost).toLocaleString('en') : 'unbounded';
            return Promise.reject(
              new QueryLimitError(
                QueryLimitCode.QUERY_TOO_COSTLY,
                `Query cost ${shown} exceeds the limit of ${maxCost.toLocaleString('en')}: ask for smaller pages (first) or fewer nested lists`,
                maxCost,
                Number.isFinite(cost) ? Math.round(cost) : null,
              ),
            );
          }
          return Promise.resolve();
        },
      });
    },
  };
}

/** Armor's rejection, reported as our coded error (Armor's own says BAD_USER_INPUT with "Syntax Error: …"). */
function reporter(code: QueryLimitCode, limit: number, describe: (found: number | null) => string) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const found = /found (\d+)/.exec(error.message)?.[1];
    context?.reportError(new QueryLimitError(code, describe(found ? Number(found) : null), limit, found ? Number(found) : null));
  };
}

export interface QueryLimitOptions {
  production: boolean;
  limits?: Partial<QueryLimits>;
}

export interface QueryLimitProtection {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  /** For Apollo Server's `parseOptions`: the token limit, enforced by the parser as it reads. */
  parseOptions: ParseOptions;
  /**
   * Apollo Server's `formatError`: a limit's refusal as clients see it (code, limit, found; HTTP 400 comes with it);
   * any other error as `next` formats it, in production without graphql-js's suggestions.
   */
  formatError(
    formatted: GraphQLFormattedError,
    error: unknown,
    next: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
  ): GraphQLFormattedError;
}

/**
 * GraphQL Armor's depth, alias and directive limits and (in production) its field-suggestion masking, our cost limit,
 * and graphql-js's token limit, as Apollo Server options. Every refusal answers 400 with its own `extensions.code`.
 */
export function queryLimits({ production, limits: overrides = {} }: QueryLimitOptions): QueryLimitProtection {
  const limits = { ...DEFAULT_QUERY_LIMITS, ...overrides };
  const armor = new ApolloArmor({
    // Armor's cost counts `first` only when written as a literal (not a variable, not the default page size) and
    // cannot weigh a connection by its page; `costLimitPlugin` does.
    costLimit: { enabled: false },
    // Armor's Apollo token plugin throws from a hook Apollo treats as an unexpected failure (500, logged as an
    // error); graphql-js counts tokens the same way inside the parser, which Apollo answers with 400 (below).
    maxTokens: { enabled: false },
    maxDepth: {
      n: limits.maxDepth,
      // A fragment spread is no field: `node { ...Unit }` is as deep as the fields it stands for.
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [
        reporter(
          QueryLimitCode.QUERY_TOO_DEEP,
          limits.maxDepth,
          (found) => `Query depth ${found ?? 'over the limit'} exceeds the limit of ${limits.maxDepth}`,
        ),
      ],
    },
    maxAliases: {
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [
        reporter(
          QueryLimitCode.TOO_MANY_ALIASES,
          limits.maxAliases,
          (found) => `${found ?? 'Too many'} aliases exceed the limit of ${limits.maxAliases}`,
        ),
      ],
    },
    maxDirectives: {
      n: limits.maxDirectives,
      propagateOnRejection: false,
      onReject: [
        reporter(
          QueryLimitCode.TOO_MANY_DIRECTIVES,
          limits.maxDirectives,
          (found) => `${found ?? 'Too many'} directives exceed the limit of ${limits.maxDirectives}`,
        ),
      ],
    },
    blockFieldSuggestion: { enabled: production, mask: '' },
  });
  const protection = armor.protect();
  return {
    // Armor is CommonJS and types its plugins with Apollo's CommonJS declarations: the same objects at run time.
    plugins: [...(protection.plugins as unknown as ApolloServerPlugin[]), costLimitPlugin(limits.maxCost)],
    validationRules: protection.validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
    formatError(formatted, error, next) {
      const refusal = queryLimitErrorOf(error);
      if (refusal) {
        return {
          message: refusal.message,
          locations: formatted.locations,
          extensions: { code: refusal.limitCode, limit: refusal.limit, ...(refusal.found === null ? {} : { found: refusal.found }) },
        };
      }
      if (formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && /Document contains more th\w+ \d+ tokens/.test(formatted.message)) {
        return {
          message: `The document has more than ${limits.maxTokens} tokens`,
          extensions: { code: QueryLimitCode.TOO_MANY_TOKENS, limit: limits.maxTokens },
        };
      }
      const answer = next(formatted, error);
      return production ? { ...answer, message: withoutSuggestions(answer.message) } : answer;
    },
  };
}
