import { DomainError } from './domain-error.js';

/*
 * The checks every service makes of the text and ids it is given, each failing with the same coded BAD_USER_INPUT.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID (any case). A string stays a string either way (no narrowing to `never`). */
export function isUuid(value: string): boolean;
export function isUuid(value: unknown): value is string;
export function isUuid(value: unknown): boolean {
  return typeof value === 'string' && UUID.test(value);
}

/** Throws BAD_USER_INPUT unless `value` is a UUID; `field` names the argument in the message. */
export function requireUuid(value: unknown, field: string): string {
  if (!isUuid(value)) throw DomainError.badInput(`${field} must be an id (UUID)`, 'INVALID_ID', { field });
  return value.toLowerCase();
}

/**
 * `value` trimmed, of 1 to `max` characters (counted as PostgreSQL counts them: code points), or BAD_USER_INPUT with
 * `code`.
 */
export function requireText(value: string | null | undefined, field: string, max: number, code: string): string {
  const text = (value ?? '').trim();
  if (text.length === 0 || [...text].length > max) throw DomainError.badInput(`${field} must be 1–${max} characters`, code, { field });
  return text;
}

/** `value` trimmed, null when nothing is left, or BAD_USER_INPUT with `code` when longer than `max` characters. */
export function optionalText(value: string | null | undefined, field: string, max: number, code: string): string | null {
  const text = value?.trim() || null;
  if (text && [...text].length > max) throw DomainError.badInput(`${field} must be at most ${max} characters`, code, { field });
  return text;
}
