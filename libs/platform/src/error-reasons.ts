import { registerEnumType } from '@nestjs/graphql';
import { ErrorCode } from '#libs/errors';

/**
 * Error vocabularies published in the schema. No field returns them: they document what `extensions.code` and
 * `extensions.reason` of an error can be, so front ends (and graphql-codegen) get them as enums. Every subgraph
 * publishes the common ones; each service adds its own `<Service>ErrorReason`.
 */
const published: object[] = [];

/** Registers an enum that documents errors and has it printed in the subgraph's schema although no field uses it. */
export function publishErrorEnum<E extends Record<string, string>>(
  enumRef: E,
  options: { name: string; description: string; valuesMap: Record<keyof E, { description: string }> },
): E {
  registerEnumType(enumRef, options);
  published.push(enumRef);
  return enumRef;
}

/**
 * Registers an entity type no field of this subgraph returns: one another subgraph's query leads to, which this one
 * extends with fields of its own and resolves by reference (e.g. DistrictMonth). Printed with the error enums.
 */
export function publishEntityType(type: object): void {
  published.push(type);
}

/** The error enums (and entity types) registered so far, for `buildSchemaOptions.orphanedTypes`. */
export function publishedErrorEnums(): object[] {
  return [...published];
}

publishErrorEnum(ErrorCode, {
  name: 'ErrorCode',
  description:
    'What `extensions.code` of a GraphQL error can be. Branch on it, not on the message; domain errors refine it with ' +
    "`extensions.reason` (see the `*ErrorReason` enums). Apollo's own GRAPHQL_VALIDATION_FAILED and GRAPHQL_PARSE_FAILED pass through.",
  valuesMap: {
    BAD_USER_INPUT: { description: 'An argument is wrong (inline or as a variable): fix the input; nothing was written.' },
    NOT_FOUND: { description: 'The record asked for does not exist (extensions.details names the entity and id).' },
    FORBIDDEN: { description: 'Your role or territory does not allow this (OUT_OF_SCOPE, MISSING_PERMISSION, …).' },
    UNAUTHENTICATED: { description: 'No valid token (or API key) came with the request: sign in again.' },
    CONFLICT: { description: 'The record is not in a state that allows this (already done, wrong step, stale version, …).' },
    INTERNAL_SERVER_ERROR: { description: 'Something failed on our side; the message is masked in production. Retrying may help.' },
  },
});

/** Reasons the shared libraries (pagination, ids, dates, idempotency, territory, permissions, rule sets) give in every service. */
export enum CommonErrorReason {
  OUT_OF_SCOPE = 'OUT_OF_SCOPE',
  MISSING_PERMISSION = 'MISSING_PERMISSION',
  INVALID_MONTH = 'INVALID_MONTH',
  INVALID_IDEMPOTENCY_KEY = 'INVALID_IDEMPOTENCY_KEY',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  PAGE_SIZE_OUT_OF_RANGE = 'PAGE_SIZE_OUT_OF_RANGE',
  INVALID_CURSOR = 'INVALID_CURSOR',
  INVALID_DATE = 'INVALID_DATE',
  INVALID_ID = 'INVALID_ID',
  INVALID_DESCRIPTION = 'INVALID_DESCRIPTION',
  NO_RULES = 'NO_RULES',
  RULES_EXIST_FOR_MONTH = 'RULES_EXIST_FOR_MONTH',
  RULES_IN_THE_PAST = 'RULES_IN_THE_PAST',
}

publishErrorEnum(CommonErrorReason, {
  name: 'CommonErrorReason',
  description:
    '`extensions.reason` values any service can give, from the shared libraries. Each service adds its own (`<Service>ErrorReason`).',
  valuesMap: {
    OUT_OF_SCOPE: {
      description: 'FORBIDDEN: the record or org unit lies outside your territory (or the district-wide action is beyond your role).',
    },
    MISSING_PERMISSION: { description: 'FORBIDDEN: your role does not allow this operation.' },
    INVALID_MONTH: { description: 'BAD_USER_INPUT: a month argument is not YYYY-MM.' },
    INVALID_IDEMPOTENCY_KEY: { description: 'BAD_USER_INPUT: idempotencyKey must be 8–100 letters, digits or _ . : -' },
    IDEMPOTENCY_KEY_REUSED: {
      description: 'CONFLICT: this idempotency key was already used for a different request; use a new key for new data.',
    },
    PAGE_SIZE_OUT_OF_RANGE: { description: 'BAD_USER_INPUT: `first` must be between 1 and 500.' },
    INVALID_CURSOR: { description: 'BAD_USER_INPUT: `after` is not a cursor from this list (cursors are opaque and per list).' },
    INVALID_DATE: { description: 'BAD_USER_INPUT: a LocalDate is not a real date as YYYY-MM-DD.' },
    INVALID_ID: { description: 'BAD_USER_INPUT: an id argument is not a UUID.' },
    INVALID_DESCRIPTION: { description: "BAD_USER_INPUT: a rule set's description is empty or too long." },
    NO_RULES: { description: 'BAD_USER_INPUT: no rules (grading, notice, assessment) are in force for that month.' },
    RULES_EXIST_FOR_MONTH: { description: 'CONFLICT: a rule set already takes effect from that month for that district.' },
    RULES_IN_THE_PAST: { description: 'BAD_USER_INPUT: new rules cannot reach back into months already decided.' },
  },
});
