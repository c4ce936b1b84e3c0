import { addDays, mondayOfDate, weekStart } from '#libs/calendar';
import { DomainError } from '#libs/errors';

/**
 * The rules of party members' photo check-ins (党员晒图打卡), in one place.
 *
 * 双报到双管理 (DOMAIN.md §1): a civil-servant party member posts a photo of the household's kitchen-waste sorting at
 * least three times a week; the work-unit branch and the community branch both review them. A check-in counts
 * towards its week's quota unless a branch rejected it.
 */
export const CHECK_IN_RULES = {
  /** Counting check-ins a member owes per ISO week (Monday–Sunday, Asia/Shanghai); fewer and the week is flagged. */
  weeklyQuota: 3,
  /**
   * How old a photo may be when it is submitted. Eight days lets a member post Sunday evening's photo on the next
   * Monday, after the week has closed; the weekly flag, written Monday 01:00, keeps the count it saw then.
   */
  maxAgeDays: 8,
  /** Phones' clocks run a little fast: a photo "taken" up to this far in the future is taken as taken now. */
  clockSkewMs: 5 * 60_000,
  /** Notes of members and reviewers, in characters. */
  maxNoteLength: 500,
} as const;

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a `YYYY-MM-DD` date that is a Monday. */
export function isMonday(date: string): boolean {
  return LOCAL_DATE.test(date) && new Date(`${date}T00:00:00Z`).getUTCDay() === 1;
}

/** Validates a `week` argument: the Monday a week starts on; BAD_USER_INPUT (NOT_A_MONDAY) otherwise. */
export function parseWeek(date: string, field = 'week'): string {
  if (!isMonday(date)) {
    throw DomainError.badInput(`${field} must be the Monday a week starts on`, 'NOT_A_MONDAY', { field, date, monday: mondayOf(date) });
  }
  return date;
}

/** The Monday of the week a `YYYY-MM-DD` date lies in (null for something that is not a date). */
export function mondayOf(date: string): string | null {
  if (!LOCAL_DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) return null;
  return mondayOfDate(date);
}

/** The week a photo taken at `takenAt` counts for: the Monday of its Shanghai ISO week. */
export function checkInWeek(takenAt: Date): string {
  return weekStart(takenAt);
}

/** The week that ended last before `instant`: when the Monday job fires, the week just closed. */
export function weekJustEnded(instant: Date): string {
  return addDays(weekStart(instant), -7);
}

/**
 * Checks when a photo was taken against the time of submission: not in the future (beyond clock skew) and at most
 * `maxAgeDays` old. BAD_USER_INPUT with reason FUTURE_DATE or TOO_OLD otherwise.
 */
export function requireSubmittable(takenAt: Date, now: Date): void {
  const at = takenAt.getTime();
  if (Number.isNaN(at)) throw DomainError.badInput('takenAt is not a time', 'INVALID_TIME');
  if (at > now.getTime() + CHECK_IN_RULES.clockSkewMs) {
    throw DomainError.badInput('takenAt is in the future', 'FUTURE_DATE');
  }
  if (at < now.getTime() - CHECK_IN_RULES.maxAgeDays * 86400_000) {
    throw DomainError.badInput(`takenAt is more than ${CHECK_IN_RULES.maxAgeDays} days ago`, 'TOO_OLD', {
      maxAgeDays: CHECK_IN_RULES.maxAgeDays,
    });
  }
}
