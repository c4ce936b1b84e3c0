import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#libs/errors';
import { demoCheckInWeeks } from '../../seed/check-ins.seed.js';
import { CHECK_IN_RULES, checkInWeek, isMonday, mondayOf, parseWeek, requireSubmittable, weekJustEnded } from '../check-in-rules.js';

const reasonOf = (work: () => unknown): string | undefined => {
  try {
    work();
  } catch (error) {
    if (error instanceof DomainError) return error.reason;
    throw error;
  }
  return undefined;
};

describe('photo check-in weeks (Monday–Sunday in Asia/Shanghai)', () => {
  it('puts a photo in the week of its Shanghai date, which turns 8 hours before UTC does', () => {
    // Sunday 23:59 in Shanghai is still the old week; a minute later, Monday, is the new one.
    expect(checkInWeek(new Date('2026-11-29T15:59:00Z'))).toBe('2026-11-23');
    expect(checkInWeek(new Date('2026-11-29T16:00:00Z'))).toBe('2026-11-30');
    // A Monday morning in UTC is already Monday afternoon in Shanghai.
    expect(checkInWeek(new Date('2026-11-30T06:00:00Z'))).toBe('2026-11-30');
  });

  it('takes weeks across months and years', () => {
    expect(checkInWeek(new Date('2027-01-01T04:00:00Z'))).toBe('2026-12-28'); // a Friday
    expect(checkInWeek(new Date('2026-03-01T04:00:00Z'))).toBe('2026-02-23'); // a Sunday
  });

  it('closes the week that ended before the Monday job fires, wherever in the week it runs', () => {
    // The schedule fires Mondays 01:00 Shanghai (Sunday 17:00 UTC).
    expect(weekJustEnded(new Date('2026-11-29T17:00:00Z'))).toBe('2026-11-23');
    // Delivered late, on Tuesday, it still closes the previous week, not the one in progress.
    expect(weekJustEnded(new Date('2026-12-01T03:00:00Z'))).toBe('2026-11-23');
    // Sunday 23:30 Shanghai is still inside the week: the week before it is the one that ended.
    expect(weekJustEnded(new Date('2026-11-29T15:30:00Z'))).toBe('2026-11-16');
    expect(weekJustEnded(new Date('2027-01-04T01:00:00+08:00'))).toBe('2026-12-28');
  });

  it('accepts only Mondays as weeks, and names the Monday of a wrong date', () => {
    expect(isMonday('2026-11-30')).toBe(true);
    expect(isMonday('2026-11-29')).toBe(false);
    expect(parseWeek('2026-12-28')).toBe('2026-12-28');
    for (const date of ['2026-11-29', '2026-12-01', '2027-01-03']) {
      expect(reasonOf(() => parseWeek(date))).toBe('NOT_A_MONDAY');
    }
    expect(mondayOf('2027-01-03')).toBe('2026-12-28');
    expect(mondayOf('2026-11-30')).toBe('2026-11-30');
    expect(mondayOf('not a date')).toBeNull();
  });

  it('gives the demo the last four complete weeks, oldest first', () => {
    expect(demoCheckInWeeks(new Date('2026-11-29T19:00:00Z'))).toEqual(['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
    expect(demoCheckInWeeks(new Date('2026-11-29T15:00:00Z'))).toEqual(['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16']);
  });
});

describe('when a photo may be submitted', () => {
  const now = new Date('2026-11-30T10:00:00Z');
  const minutes = (m: number) => new Date(now.getTime() + m * 60_000);

  it('accepts a photo from now back to 8 days, and a phone clock a few minutes fast', () => {
    expect(CHECK_IN_RULES.maxAgeDays).toBe(8);
    for (const takenAt of [now, minutes(-1), minutes(4), minutes(-8 * 24 * 60 + 1)]) {
      expect(reasonOf(() => requireSubmittable(takenAt, now))).toBeUndefined();
    }
  });

  it('refuses a photo from the future or older than 8 days', () => {
    expect(reasonOf(() => requireSubmittable(minutes(6), now))).toBe('FUTURE_DATE');
    expect(reasonOf(() => requireSubmittable(minutes(-8 * 24 * 60 - 1), now))).toBe('TOO_OLD');
    expect(reasonOf(() => requireSubmittable(new Date('nonsense'), now))).toBe('INVALID_TIME');
  });
});
