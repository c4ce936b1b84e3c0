import { IntrinsicException } from '@nestjs/common';

/**
 * The codes clients branch on, carried in GraphQL `extensions.code`. Apollo's own codes
 * (GRAPHQL_VALIDATION_FAILED, GRAPHQL_PARSE_FAILED, BAD_USER_INPUT for variable coercion) pass through unchanged.
 */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  FORBIDDEN = 'FORBIDDEN',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  CONFLICT = 'CONFLICT',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/**
 * An expected failure a caller can act on. `reason` is a stable, domain-specific refinement of the code
 * (e.g. `INVALID_PARENT_KIND`), so front ends can show a precise message without parsing text.
 *
 * An IntrinsicException, so Nest's handler does not log it as a server ERROR with its stack: it is the caller's
 * mistake, answered with `extensions.code`, and logging every refused request would bury the real errors.
 */
export class DomainError extends IntrinsicException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly reason?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static badInput(message: string, reason?: string, details?: Record<string, unknown>): DomainError {
    return new DomainError(ErrorCode.BAD_USER_INPUT, message, reason, details);
  }

  static notFound(entity: string, id: string): DomainError {
    return new DomainError(ErrorCode.NOT_FOUND, `${entity} ${id} was not found`, undefined, { entity, id });
  }

  static forbidden(message: string, reason?: string): DomainError {
    return new DomainError(ErrorCode.FORBIDDEN, message, reason);
  }

  static conflict(message: string, reason?: string, details?: Record<string, unknown>): DomainError {
    return new DomainError(ErrorCode.CONFLICT, message, reason, details);
  }
}
