import { describe, expect, it } from '@jest/globals';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError, ErrorCode } from '../domain-error.js';
import { formatGraphQLError } from '../format-graphql-error.js';

/** What a resolver's throw looks like by the time the server formats it. */
function thrownInResolver(original: Error, extensions?: Record<string, unknown>) {
  const error = new GraphQLError(original.message, { path: ['unit', 'parent'], originalError: original, extensions });
  const formatted: GraphQLFormattedError = { ...error.toJSON(), locations: [{ line: 1, column: 3 }] };
  return { error, formatted };
}

describe('formatGraphQLError', () => {
  it('keeps the code, reason and details of a domain error', () => {
    const domain = DomainError.badInput('first must be between 1 and 500', 'PAGE_SIZE_OUT_OF_RANGE', { max: 500 });
    const { error, formatted } = thrownInResolver(domain);
    expect(formatGraphQLError(formatted, error, { maskInternalErrors: true })).toEqual({
      message: 'first must be between 1 and 500',
      locations: [{ line: 1, column: 3 }],
      path: ['unit', 'parent'],
      extensions: { code: ErrorCode.BAD_USER_INPUT, reason: 'PAGE_SIZE_OUT_OF_RANGE', details: { max: 500 } },
    });
  });

  it('finds a domain error wrapped more than once', () => {
    const domain = DomainError.notFound('OrgUnit', 'abc');
    const inner = new GraphQLError('inner', { originalError: domain });
    const outer = new GraphQLError('outer', { originalError: inner });
    const result = formatGraphQLError({ message: 'outer' }, outer, { maskInternalErrors: true });
    expect(result.extensions).toEqual({ code: ErrorCode.NOT_FOUND, details: { entity: 'OrgUnit', id: 'abc' } });
    expect(result.message).toBe('OrgUnit abc was not found');
  });

  it('masks an unexpected error as an internal server error', () => {
    const { error, formatted } = thrownInResolver(new Error('relation "org_unit" does not exist'), { stacktrace: ['at x'] });
    const result = formatGraphQLError(formatted, error, { maskInternalErrors: true });
    expect(result).toEqual({
      message: 'Internal server error',
      locations: [{ line: 1, column: 3 }],
      path: ['unit', 'parent'],
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    });
  });

  it('keeps the message of an unexpected error when not masking', () => {
    const { error, formatted } = thrownInResolver(new Error('relation "org_unit" does not exist'));
    const result = formatGraphQLError(formatted, error, { maskInternalErrors: false });
    expect(result.message).toBe('relation "org_unit" does not exist');
    expect(result.extensions?.code).toBe(ErrorCode.INTERNAL_SERVER_ERROR);
  });

  it('reports an unexpected error once, unwrapped', () => {
    const original = new Error('boom');
    const { error, formatted } = thrownInResolver(original);
    const reported: unknown[] = [];
    formatGraphQLError(formatted, error, { maskInternalErrors: true, onInternalError: (e) => reported.push(e) });
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBe(original);
  });

  it('does not report domain errors or known GraphQL codes as internal', () => {
    const reported: unknown[] = [];
    const options = { maskInternalErrors: true, onInternalError: (e: unknown) => reported.push(e) };
    const { error, formatted } = thrownInResolver(DomainError.forbidden('no'));
    formatGraphQLError(formatted, error, options);
    formatGraphQLError({ message: 'bad', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, new GraphQLError('bad'), options);
    expect(reported).toEqual([]);
  });

  it('passes GRAPHQL_VALIDATION_FAILED through without its stack trace', () => {
    const formatted: GraphQLFormattedError = {
      message: 'Cannot query field "nope" on type "Query".',
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['GraphQLError: …'] },
    };
    expect(formatGraphQLError(formatted, new GraphQLError(formatted.message), { maskInternalErrors: true })).toEqual({
      message: 'Cannot query field "nope" on type "Query".',
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});
