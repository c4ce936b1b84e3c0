import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#libs/errors';
import { CollectionPointKind } from '../collection-enums.js';
import {
  isOpenAt,
  MAX_WINDOWS,
  parseTimeRange,
  shanghaiClock,
  shanghaiToday,
  validateOpeningSchedule,
  type OpeningWindow,
  type ScheduledPoint,
} from '../opening-schedule.js';

const { REGULAR, LATE_DROP_OFF } = CollectionPointKind;
const WEEKDAYS = [1, 2, 3, 4, 5];

/** The instant of a Shanghai wall-clock time (UTC+8). */
const shanghai = (local: string) => new Date(`${local}:00+08:00`);

function reasonOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    return (error as DomainError).reason;
  }
  throw new Error('expected a BAD_USER_INPUT error');
}

describe('validateOpeningSchedule', () => {
  it('accepts morning and evening windows and normalises the weekdays', () => {
    const result = validateOpeningSchedule(
      REGULAR,
      [
        { weekdays: [5, 1, 3, 3], opensAt: '06:30', closesAt: '08:30' },
        { weekdays: [7, 6], opensAt: '07:00', closesAt: '09:00' },
        { weekdays: [1, 2, 3, 4, 5, 6, 7], opensAt: '18:00', closesAt: '24:00' },
      ],
      { opensAt: '11:30', closesAt: '13:00' },
    );
    expect(result).toEqual({
      schedule: [
        { weekdays: [1, 3, 5], opensAt: '06:30', closesAt: '08:30' },
        { weekdays: [6, 7], opensAt: '07:00', closesAt: '09:00' },
        { weekdays: [1, 2, 3, 4, 5, 6, 7], opensAt: '18:00', closesAt: '24:00' },
      ],
      holidayNoonOpening: { opensAt: '11:30', closesAt: '13:00' },
    });
  });

  it('lets a window start the minute another closes', () => {
    expect(() =>
      validateOpeningSchedule(
        REGULAR,
        [
          { weekdays: [1], opensAt: '06:30', closesAt: '08:30' },
          { weekdays: [1], opensAt: '08:30', closesAt: '09:00' },
        ],
        null,
      ),
    ).not.toThrow();
  });

  it('lets windows on different weekdays cover the same hours', () => {
    expect(() =>
      validateOpeningSchedule(
        REGULAR,
        [
          { weekdays: [1, 2], opensAt: '06:00', closesAt: '09:00' },
          { weekdays: [3], opensAt: '07:00', closesAt: '08:00' },
        ],
        null,
      ),
    ).not.toThrow();
  });

  it.each<[string, OpeningWindow[], string]>([
    ['an hour past 23', [{ weekdays: WEEKDAYS, opensAt: '24:30', closesAt: '25:00' }], 'INVALID_TIME'],
    ['24:00 as an opening time', [{ weekdays: WEEKDAYS, opensAt: '24:00', closesAt: '24:00' }], 'INVALID_TIME'],
    ['minutes past 59', [{ weekdays: WEEKDAYS, opensAt: '06:60', closesAt: '08:30' }], 'INVALID_TIME'],
    ['a time without a leading zero', [{ weekdays: WEEKDAYS, opensAt: '6:30', closesAt: '08:30' }], 'INVALID_TIME'],
    ['a time with seconds', [{ weekdays: WEEKDAYS, opensAt: '06:30:00', closesAt: '08:30' }], 'INVALID_TIME'],
    ['a window closing before it opens', [{ weekdays: WEEKDAYS, opensAt: '08:30', closesAt: '06:30' }], 'OPENS_NOT_BEFORE_CLOSES'],
    ['a window closing the minute it opens', [{ weekdays: WEEKDAYS, opensAt: '08:30', closesAt: '08:30' }], 'OPENS_NOT_BEFORE_CLOSES'],
    ['a window over midnight', [{ weekdays: WEEKDAYS, opensAt: '22:00', closesAt: '02:00' }], 'OPENS_NOT_BEFORE_CLOSES'],
    ['a window on no weekday', [{ weekdays: [], opensAt: '06:30', closesAt: '08:30' }], 'NO_WEEKDAYS'],
    ['weekday 0', [{ weekdays: [0, 1], opensAt: '06:30', closesAt: '08:30' }], 'INVALID_WEEKDAY'],
    ['weekday 8', [{ weekdays: [8], opensAt: '06:30', closesAt: '08:30' }], 'INVALID_WEEKDAY'],
    [
      'overlapping windows on a shared weekday',
      [
        { weekdays: [1, 2, 3], opensAt: '06:30', closesAt: '08:30' },
        { weekdays: [3, 4], opensAt: '08:00', closesAt: '09:00' },
      ],
      'OVERLAPPING_WINDOWS',
    ],
    [
      'a window inside another',
      [
        { weekdays: [6], opensAt: '06:00', closesAt: '10:00' },
        { weekdays: [6], opensAt: '07:00', closesAt: '08:00' },
      ],
      'OVERLAPPING_WINDOWS',
    ],
    ['no window', [], 'NO_WINDOWS'],
    [
      'too many windows',
      Array.from({ length: MAX_WINDOWS + 1 }, (_, i) => ({
        weekdays: [(i % 7) + 1],
        opensAt: `${String(Math.floor(i / 7) * 2).padStart(2, '0')}:00`,
        closesAt: `${String(Math.floor(i / 7) * 2 + 1).padStart(2, '0')}:00`,
      })),
      'TOO_MANY_WINDOWS',
    ],
  ])('refuses %s for a regular point', (_case, schedule, reason) => {
    expect(reasonOf(() => validateOpeningSchedule(REGULAR, schedule, null))).toBe(reason);
  });

  it('names the overlapping weekday and windows', () => {
    try {
      validateOpeningSchedule(
        REGULAR,
        [
          { weekdays: [1], opensAt: '06:30', closesAt: '08:30' },
          { weekdays: [2], opensAt: '06:30', closesAt: '08:30' },
          { weekdays: [2, 5], opensAt: '07:00', closesAt: '07:30' },
        ],
        null,
      );
      throw new Error('expected an error');
    } catch (error) {
      expect((error as DomainError).details).toEqual({ weekday: 2, windows: [1, 2] });
    }
  });

  it('refuses an invalid holiday noon window', () => {
    const schedule = [{ weekdays: WEEKDAYS, opensAt: '06:30', closesAt: '08:30' }];
    expect(reasonOf(() => validateOpeningSchedule(REGULAR, schedule, { opensAt: '13:00', closesAt: '11:30' }))).toBe(
      'OPENS_NOT_BEFORE_CLOSES',
    );
    expect(reasonOf(() => validateOpeningSchedule(REGULAR, schedule, { opensAt: 'noon', closesAt: '13:00' }))).toBe('INVALID_TIME');
  });

  it('keeps 24-hour late drop-off points free of windows', () => {
    expect(validateOpeningSchedule(LATE_DROP_OFF, [], null)).toEqual({ schedule: [], holidayNoonOpening: null });
    expect(
      reasonOf(() => validateOpeningSchedule(LATE_DROP_OFF, [{ weekdays: WEEKDAYS, opensAt: '06:30', closesAt: '08:30' }], null)),
    ).toBe('WINDOWS_ON_LATE_DROP_OFF');
    expect(reasonOf(() => validateOpeningSchedule(LATE_DROP_OFF, [], { opensAt: '11:30', closesAt: '13:00' }))).toBe(
      'WINDOWS_ON_LATE_DROP_OFF',
    );
  });
});

describe('parseTimeRange', () => {
  it('reads HH:MM-HH:MM, spaces allowed', () => {
    expect(parseTimeRange('09:00-11:00', 'w')).toEqual({ opensAt: '09:00', closesAt: '11:00' });
    expect(parseTimeRange(' 09:00 - 11:00 ', 'w')).toEqual({ opensAt: '09:00', closesAt: '11:00' });
  });

  it.each([
    ['9-11', 'INVALID_TIME'],
    ['09:00', 'INVALID_TIME'],
    ['09:00-10:00-11:00', 'INVALID_TIME'],
    ['11:00-09:00', 'OPENS_NOT_BEFORE_CLOSES'],
  ])('refuses %s', (value, reason) => {
    expect(reasonOf(() => parseTimeRange(value, 'preferredWindow'))).toBe(reason);
  });
});

describe('the Shanghai clock', () => {
  it('reads instants in UTC+8', () => {
    // 2026-01-04 23:00 UTC is Monday 2026-01-05 07:00 in Shanghai.
    expect(shanghaiClock(new Date('2026-01-04T23:00:00Z'))).toEqual({ date: '2026-01-05', weekday: 1, minute: 7 * 60 });
    expect(shanghaiClock(shanghai('2026-01-11T23:59'))).toEqual({ date: '2026-01-11', weekday: 7, minute: 23 * 60 + 59 });
    expect(shanghaiToday(new Date('2026-01-04T15:59:59Z'))).toBe('2026-01-04');
    expect(shanghaiToday(new Date('2026-01-04T16:00:00Z'))).toBe('2026-01-05');
  });
});

describe('isOpenAt', () => {
  const regular: ScheduledPoint = {
    kind: REGULAR,
    active: true,
    schedule: [
      { weekdays: WEEKDAYS, opensAt: '06:30', closesAt: '08:30' },
      { weekdays: [6, 7], opensAt: '07:00', closesAt: '09:00' },
      { weekdays: [1, 2, 3, 4, 5, 6, 7], opensAt: '22:00', closesAt: '24:00' },
    ],
    holidayNoonOpening: { opensAt: '11:30', closesAt: '13:00' },
  };
  // 2026-01-05 is a Monday, 2026-01-10 a Saturday.
  it.each([
    ['2026-01-05T06:29', false],
    ['2026-01-05T06:30', true],
    ['2026-01-05T08:29', true],
    ['2026-01-05T08:30', false],
    ['2026-01-10T06:30', false],
    ['2026-01-10T07:00', true],
    ['2026-01-10T08:59', true],
    ['2026-01-10T09:00', false],
    ['2026-01-05T23:59', true],
    ['2026-01-06T00:00', false],
    ['2026-01-05T12:00', false],
  ])('at %s Shanghai time: open %s', (local, open) => {
    expect(isOpenAt(regular, shanghai(local))).toBe(open);
  });

  it('reads the weekday in Shanghai, not UTC', () => {
    // Sunday 23:00 UTC is Monday 07:00 in Shanghai: inside the weekday window, outside the weekend one.
    expect(isOpenAt({ ...regular, schedule: [regular.schedule[0]] }, new Date('2026-01-04T23:00:00Z'))).toBe(true);
    expect(isOpenAt({ ...regular, schedule: [regular.schedule[1]] }, new Date('2026-01-04T23:00:00Z'))).toBe(false);
  });

  it('adds the holiday noon opening on holidays only, from its opening minute to before its closing minute', () => {
    expect(isOpenAt(regular, shanghai('2026-10-01T12:00'), false)).toBe(false);
    expect(isOpenAt(regular, shanghai('2026-10-01T11:29'), true)).toBe(false);
    expect(isOpenAt(regular, shanghai('2026-10-01T11:30'), true)).toBe(true);
    expect(isOpenAt(regular, shanghai('2026-10-01T12:59'), true)).toBe(true);
    expect(isOpenAt(regular, shanghai('2026-10-01T13:00'), true)).toBe(false);
    // The regular windows still apply on a holiday (2026-10-01 is a Thursday).
    expect(isOpenAt(regular, shanghai('2026-10-01T07:00'), true)).toBe(true);
    expect(isOpenAt({ ...regular, holidayNoonOpening: null }, shanghai('2026-10-01T12:00'), true)).toBe(false);
  });

  it('keeps a 24-hour late drop-off point open at any hour, and an inactive point closed', () => {
    const late: ScheduledPoint = { kind: LATE_DROP_OFF, active: true, schedule: [], holidayNoonOpening: null };
    expect(isOpenAt(late, shanghai('2026-01-05T03:00'))).toBe(true);
    expect(isOpenAt(late, shanghai('2026-01-10T15:17'), true)).toBe(true);
    expect(isOpenAt({ ...late, active: false }, shanghai('2026-01-05T03:00'))).toBe(false);
    expect(isOpenAt({ ...regular, active: false }, shanghai('2026-01-05T07:00'))).toBe(false);
  });
});
