import { describe, expect, it } from '@jest/globals';
import { BirthDatePrecision, isMinorOn } from '#libs/privacy';

const { DAY, MONTH, YEAR } = BirthDatePrecision;

describe('isMinorOn: under 18 on a given date, from the full birth date', () => {
  it('counts a 17-year-old born in December as a minor in November, although the calendar year says 18', () => {
    expect(isMinorOn('2008-12-15', DAY, '2026-11-30')).toBe(true);
    expect(isMinorOn('2008-12-15', DAY, '2026-12-14')).toBe(true);
    expect(isMinorOn('2008-12-15', DAY, '2026-12-15')).toBe(false);
  });

  it('treats a date known only to the month or year as its latest possible day', () => {
    expect(isMinorOn('2008-01-01', YEAR, '2026-12-30')).toBe(true);
    expect(isMinorOn('2008-01-01', YEAR, '2026-12-31')).toBe(false);
    expect(isMinorOn('2008-02-01', MONTH, '2026-02-28')).toBe(false); // 2008-02-29 + 18 years → 2026-02-28, as in SQL
    expect(isMinorOn('2008-04-01', MONTH, '2026-04-29')).toBe(true);
    expect(isMinorOn('2008-04-01', MONTH, '2026-04-30')).toBe(false);
  });

  it('gives a leap-day birthday its 18th birthday on 28 February of a common year, as PostgreSQL does', () => {
    expect(isMinorOn('2008-02-29', DAY, '2026-02-27')).toBe(true);
    expect(isMinorOn('2008-02-29', DAY, '2026-02-28')).toBe(false);
  });
});
