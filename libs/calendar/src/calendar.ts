import { DomainError } from '#libs/errors';

/** The platform's calendar: dates and months are those of Asia/Shanghai (UTC+8, no daylight saving). */
export const TIME_ZONE = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3600_000;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The calendar date (YYYY-MM-DD) in Shanghai at `instant`. */
export function shanghaiDate(instant: Date = new Date()): string {
  return shanghaiWallClock(instant).toISOString().slice(0, 10);
}

/**
 * `instant` moved onto Shanghai's wall clock: its getUTC… fields (and ISO string) read the local date and time there.
 * Asia/Shanghai has kept UTC+8 without daylight saving since 1991, so no time-zone data is needed.
 */
export function shanghaiWallClock(instant: Date): Date {
  return new Date(instant.getTime() + OFFSET_MS);
}

/** The instant a Shanghai date (YYYY-MM-DD) begins, e.g. 2026-11-02 → 2026-11-01T16:00:00Z. */
export function dayBeginsAt(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS);
}

/** The month (YYYY-MM) in Shanghai at `instant`. */
export function shanghaiMonth(instant: Date = new Date()): string {
  return shanghaiDate(instant).slice(0, 7);
}

/** Validates a `YYYY-MM` month argument; BAD_USER_INPUT (INVALID_MONTH) otherwise. */
export function parseMonth(value: string, field = 'month'): string {
  if (!MONTH.test(value)) throw DomainError.badInput(`${field} must be a month as YYYY-MM`, 'INVALID_MONTH', { field });
  return value;
}

/** '2026-11' → '2026-11-01', the form months are stored in. */
export function monthStart(month: string): string {
  return `${month}-01`;
}

/** '2026-01' → '2025-12'. */
export function previousMonth(month: string): string {
  return addMonths(month, -1);
}

export function addMonths(month: string, months: number): string {
  const [year, m] = month.split('-').map(Number);
  const index = year * 12 + (m - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The instant a Shanghai month begins, e.g. 2026-11 → 2026-10-31T16:00:00Z. */
export function monthBeginsAt(month: string): Date {
  return new Date(Date.parse(`${month}-01T00:00:00Z`) - OFFSET_MS);
}

/** The Monday (YYYY-MM-DD) of the ISO week containing the Shanghai date of `instant`. */
export function weekStart(instant: Date = new Date()): string {
  return mondayOfDate(shanghaiDate(instant));
}

/** The Monday (YYYY-MM-DD) of the ISO week a YYYY-MM-DD date lies in. */
export function mondayOfDate(date: string): string {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(date, -weekday);
}

/** 'YYYY-MM-DD' plus `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400_000).toISOString().slice(0, 10);
}
