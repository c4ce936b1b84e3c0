import type { GraphQLFormattedError } from 'graphql';
import { DomainError, ErrorCode } from './domain-error.js';

export interface FormatOptions {
  /** Hide messages of unexpected errors: they may carry SQL, hostnames or personal data. */
  maskInternalErrors: boolean;
  /** Called with each unexpected error so it is logged once, with context, where it happened. */
  onInternalError?: (error: unknown) => void;
}

const PASS_THROUGH_CODES = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.NOT_FOUND,
  ErrorCode.FORBIDDEN,
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.CONFLICT,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/**
 * The one mapping from thrown errors to what clients see. Domain errors keep their code, reason and details;
 * known GraphQL codes pass through; anything else is an internal error, masked when asked.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown, options: FormatOptions): GraphQLFormattedError {
  const original = unwrap(error);
  if (original instanceof DomainError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: {
        code: original.code,
        ...(original.reason ? { reason: original.reason } : {}),
        ...(original.details ? { details: original.details } : {}),
      },
    };
  }
  const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
  if (code && PASS_THROUGH_CODES.has(code)) {
    return { ...formatted, extensions: withoutStacktrace(formatted.extensions) };
  }
  options.onInternalError?.(original ?? error);
  return {
    message: options.maskInternalErrors ? 'Internal server error' : formatted.message,
    locations: formatted.locations,
    path: formatted.path,
    extensions: options.maskInternalErrors
      ? { code: ErrorCode.INTERNAL_SERVER_ERROR }
      : { ...formatted.extensions, code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

function unwrap(error: unknown): unknown {
  let current = error as { originalError?: unknown } | undefined;
  while (current && typeof current === 'object' && 'originalError' in current && current.originalError) {
    current = current.originalError;
  }
  return current;
}

function withoutStacktrace(extensions: GraphQLFormattedError['extensions']) {
  if (!extensions) return extensions;
  const { stacktrace: _stacktrace, ...rest } = extensions as Record<string, unknown>;
  return rest;
}
