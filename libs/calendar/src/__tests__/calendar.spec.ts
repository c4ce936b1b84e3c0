import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#libs/errors';
import {
  addDays,
  addMonths,
  dayBeginsAt,
  mondayOfDate,
  monthBeginsAt,
  parseMonth,
  previousMonth,
  shanghaiDate,
  shanghaiMonth,
  shanghaiWallClock,
  weekStart,
} from '../calendar.js';

describe('the Shanghai calendar', () => {
  it('puts an instant on the Shanghai date, which is 8 hours ahead of UTC', () => {
    expect(shanghaiDate(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11-30');
    expect(shanghaiDate(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12-01');
    expect(shanghaiMonth(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01');
  });

  it('moves between months across years', () => {
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(addMonths('2026-11', 3)).toBe('2027-02');
    expect(monthBeginsAt('2026-11').toISOString()).toBe('2026-10-31T16:00:00.000Z');
  });

  it('starts weeks on Monday', () => {
    expect(weekStart(new Date('2026-11-29T12:00:00Z'))).toBe('2026-11-23'); // a Sunday
    expect(weekStart(new Date('2026-11-29T16:30:00Z'))).toBe('2026-11-30'); // already Monday in Shanghai
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
  });

  it('accepts YYYY-MM months only', () => {
    expect(parseMonth('2026-07')).toBe('2026-07');
    for (const bad of ['2026-7', '2026-13', '202607', '2026-07-01']) {
      expect(() => parseMonth(bad)).toThrow(DomainError);
    }
  });
});

describe('Shanghai wall-clock arithmetic', () => {
  it('reads an instant on the Shanghai clock, across the UTC date line', () => {
    const local = shanghaiWallClock(new Date('2026-11-01T16:30:00Z'));
    expect(local.toISOString().slice(0, 16)).toBe('2026-11-02T00:30');
    expect(local.getUTCHours()).toBe(0);
  });

  it('gives the instant a Shanghai date begins', () => {
    expect(dayBeginsAt('2026-11-02').toISOString()).toBe('2026-11-01T16:00:00.000Z');
    expect(shanghaiDate(dayBeginsAt('2026-11-02'))).toBe('2026-11-02');
  });

  it('gives the Monday of a date’s ISO week, the date itself on a Monday', () => {
    expect(mondayOfDate('2026-11-08')).toBe('2026-11-02');
    expect(mondayOfDate('2026-11-02')).toBe('2026-11-02');
    expect(mondayOfDate('2027-01-01')).toBe('2026-12-28');
  });
});
