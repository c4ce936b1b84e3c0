// Owns how a refusal by the query limits looks: its codes, its error, and how it is found again behind wrappers.
import { GraphQLError } from 'graphql';

/** `extensions.code` of each refusal (HTTP 400, with `extensions.limit` and `extensions.found`). */
export const QueryLimitCode = {
  QUERY_TOO_COSTLY: 'QUERY_TOO_COSTLY',
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  TOO_MANY_TOKENS: 'TOO_MANY_TOKENS',
  TOO_MANY_DIRECTIVES: 'TOO_MANY_DIRECTIVES',
} as const;
export type QueryLimitCode = (typeof QueryLimitCode)[keyof typeof QueryLimitCode];

/** A refusal by one of the limits; the gateway answers it with its own code and 400. */
export class QueryLimitError extends GraphQLError {
  constructor(
    readonly limitCode: QueryLimitCode,
    message: string,
    readonly limit: number,
    readonly found: number | null,
  ) {
    super(message, { extensions: { code: limitCode, limit, ...(found === null ? {} : { found }), http: { status: 400 } } });
    this.name = 'QueryLimitError';
  }
}

/** The refusal behind a (possibly wrapped) error, if a limit refused it. */
export function queryLimitErrorOf(error: unknown): QueryLimitError | null {
  let current = error as { originalError?: unknown } | undefined;
  for (let hops = 0; current && hops < 5; hops++) {
    if (current instanceof QueryLimitError) return current;
    current = current.originalError as { originalError?: unknown } | undefined;
  }
  return null;
}

/**
 * Removes graphql-js's suggestions ("Did you mean "name"?", "Did you mean the enum value "STREET"?") from a message:
 * in production they would map the schema for someone without introspection. Armor masks the field form; this also
 * catches the enum-value form and the question mark Armor leaves behind.
 */
export function withoutSuggestions(message: string): string {
  return message
    .replace(/\s*Did you mean [^?]*\?/g, '')
    .replace(/\s+\?$/, '')
    .trim();
}
