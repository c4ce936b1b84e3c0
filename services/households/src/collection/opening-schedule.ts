import { shanghaiWallClock } from '#libs/calendar';
import { DomainError } from '#libs/errors';
import { CollectionPointKind } from './collection-enums.js';

/**
 * Opening hours of collection points, as pure functions: validation of what staff enter and the answer to "is this
 * point open at that instant?". Times are wall-clock times in Asia/Shanghai (UTC+8 all year: China has had no
 * daylight saving since 1991), `HH:MM`; a window is open from its opening minute up to, not including, its closing
 * minute, so 06:30–08:30 is open at 06:30 and closed at 08:30. `24:00` may close a window that runs to midnight.
 * Windows never run past midnight.
 */

/** One window of a day, e.g. 11:30–13:00. */
export interface DailyWindow {
  opensAt: string;
  closesAt: string;
}

/** A window on some weekdays (ISO: 1 = Monday … 7 = Sunday). */
export interface OpeningWindow extends DailyWindow {
  weekdays: number[];
}

export interface OpeningSchedule {
  /** Weekly windows; empty for a 24-hour late drop-off point. */
  schedule: OpeningWindow[];
  /** Extra noon opening on public holidays (节假日中午加开), for REGULAR points only. */
  holidayNoonOpening: DailyWindow | null;
}

/** What `isOpenAt` needs to know about a point. */
export interface ScheduledPoint extends OpeningSchedule {
  kind: CollectionPointKind;
  active: boolean;
}

export const MAX_WINDOWS = 28;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MINUTES_PER_DAY = 24 * 60;

/** Minutes since midnight of an `HH:MM` time; `24:00` (= 1440) only where a window closes. */
export function minuteOfDay(value: unknown, field: string, closing = false): number {
  if (closing && value === '24:00') return MINUTES_PER_DAY;
  const match = typeof value === 'string' ? TIME.exec(value) : null;
  if (!match) {
    throw DomainError.badInput(`${field} must be a time as HH:MM (00:00–23:59${closing ? ', or 24:00' : ''})`, 'INVALID_TIME', {
      field,
      value,
    });
  }
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Validates one window's times; returns its opening and closing minutes. */
export function windowMinutes(window: DailyWindow, field: string): { opens: number; closes: number } {
  const opens = minuteOfDay(window.opensAt, `${field}.opensAt`);
  const closes = minuteOfDay(window.closesAt, `${field}.closesAt`, true);
  if (opens >= closes) {
    throw DomainError.badInput(`${field} must open before it closes (${window.opensAt}–${window.closesAt})`, 'OPENS_NOT_BEFORE_CLOSES', {
      field,
      opensAt: window.opensAt,
      closesAt: window.closesAt,
    });
  }
  return { opens, closes };
}

/**
 * Validates a point's opening hours for its kind and returns them normalised (weekdays sorted, without repeats).
 * BAD_USER_INPUT with a reason naming the first problem: INVALID_TIME, OPENS_NOT_BEFORE_CLOSES, NO_WEEKDAYS,
 * INVALID_WEEKDAY, OVERLAPPING_WINDOWS, NO_WINDOWS, TOO_MANY_WINDOWS or WINDOWS_ON_LATE_DROP_OFF.
 */
export function validateOpeningSchedule(
  kind: CollectionPointKind,
  schedule: readonly OpeningWindow[],
  holidayNoonOpening: DailyWindow | null,
): OpeningSchedule {
  if (kind === CollectionPointKind.LATE_DROP_OFF) {
    if (schedule.length > 0 || holidayNoonOpening) {
      throw DomainError.badInput('A 24-hour late drop-off point is always open and carries no opening windows', 'WINDOWS_ON_LATE_DROP_OFF');
    }
    return { schedule: [], holidayNoonOpening: null };
  }
  if (schedule.length === 0) throw DomainError.badInput('A regular collection point needs at least one opening window', 'NO_WINDOWS');
  if (schedule.length > MAX_WINDOWS) {
    throw DomainError.badInput(`A collection point has at most ${MAX_WINDOWS} opening windows`, 'TOO_MANY_WINDOWS', { max: MAX_WINDOWS });
  }

  const normalised: OpeningWindow[] = [];
  const byWeekday = new Map<number, { opens: number; closes: number; index: number }[]>();
  schedule.forEach((window, index) => {
    const field = `schedule[${index}]`;
    const { opens, closes } = windowMinutes(window, field);
    if (!Array.isArray(window.weekdays) || window.weekdays.length === 0) {
      throw DomainError.badInput(`${field} names no weekday`, 'NO_WEEKDAYS', { field });
    }
    for (const weekday of window.weekdays) {
      if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) {
        throw DomainError.badInput(`${field}.weekdays must be 1 (Monday) to 7 (Sunday)`, 'INVALID_WEEKDAY', { field, weekday });
      }
    }
    const weekdays = [...new Set(window.weekdays)].sort((a, b) => a - b);
    for (const weekday of weekdays) {
      const windows = byWeekday.get(weekday) ?? [];
      const clash = windows.find((other) => opens < other.closes && other.opens < closes);
      if (clash) {
        throw DomainError.badInput(`schedule[${clash.index}] and ${field} overlap on weekday ${weekday}`, 'OVERLAPPING_WINDOWS', {
          weekday,
          windows: [clash.index, index],
        });
      }
      windows.push({ opens, closes, index });
      byWeekday.set(weekday, windows);
    }
    normalised.push({ weekdays, opensAt: window.opensAt, closesAt: window.closesAt });
  });

  if (holidayNoonOpening) windowMinutes(holidayNoonOpening, 'holidayNoonOpening');
  return {
    schedule: normalised,
    holidayNoonOpening: holidayNoonOpening ? { opensAt: holidayNoonOpening.opensAt, closesAt: holidayNoonOpening.closesAt } : null,
  };
}

/** Parses a window written as `HH:MM-HH:MM` (e.g. a preferred collection window `09:00-11:00`). */
export function parseTimeRange(value: string, field: string): DailyWindow {
  const parts = value.split('-').map((part) => part.trim());
  if (parts.length !== 2) {
    throw DomainError.badInput(`${field} must be a time range as HH:MM-HH:MM`, 'INVALID_TIME', { field, value });
  }
  const window = { opensAt: parts[0], closesAt: parts[1] };
  windowMinutes(window, field);
  return window;
}

/** The Shanghai wall clock at `instant`: its date, ISO weekday (1 = Monday) and minute of the day. */
export function shanghaiClock(instant: Date): { date: string; weekday: number; minute: number } {
  const local = shanghaiWallClock(instant);
  return {
    date: local.toISOString().slice(0, 10),
    weekday: ((local.getUTCDay() + 6) % 7) + 1,
    minute: local.getUTCHours() * 60 + local.getUTCMinutes(),
  };
}

/** Today's date (YYYY-MM-DD) in Shanghai. */
export function shanghaiToday(instant: Date = new Date()): string {
  return shanghaiClock(instant).date;
}

const contains = (window: DailyWindow, minute: number) =>
  minuteOfDay(window.opensAt, 'opensAt') <= minute && minute < minuteOfDay(window.closesAt, 'closesAt', true);

/**
 * Is the point open at `instant`? Inactive points never are; 24-hour late drop-off points always are. A regular
 * point is open inside its weekly windows and, when `holiday` is true, also inside its holiday noon opening, which
 * adds to (does not replace) the weekday's windows. Whether the day is a holiday is the district's holiday calendar's
 * to say (holiday-calendar.ts).
 */
export function isOpenAt(point: ScheduledPoint, instant: Date, holiday = false): boolean {
  if (!point.active) return false;
  if (point.kind === CollectionPointKind.LATE_DROP_OFF) return true;
  const { weekday, minute } = shanghaiClock(instant);
  if (point.schedule.some((window) => window.weekdays.includes(weekday) && contains(window, minute))) return true;
  return holiday && point.holidayNoonOpening !== null && contains(point.holidayNoonOpening, minute);
}
