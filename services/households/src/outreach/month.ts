import { DomainError } from '#libs/errors';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * A month `YYYY-MM` (Asia/Shanghai) as the `date` of its first day, the form `monthly_grade.month` stores;
 * BAD_USER_INPUT (INVALID_MONTH) for anything else. `field` names the argument in the message.
 */
export function parseMonth(value: unknown, field = 'month'): string {
  const match = typeof value === 'string' ? MONTH.exec(value) : null;
  if (!match || Number(match[1]) < 1900) {
    throw DomainError.badInput(`${field} must be a month (YYYY-MM)`, 'INVALID_MONTH', { field, value: String(value) });
  }
  return `${match[1]}-${match[2]}-01`;
}

/** `YYYY-MM` of a `date` column value (`YYYY-MM-DD`). */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}
