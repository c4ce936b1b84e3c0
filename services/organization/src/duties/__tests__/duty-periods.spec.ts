import { describe, expect, it } from '@jest/globals';
import { isLastDayOfMonth, isLastDayOfQuarter } from '../duty-check-sql.js';
import { DUTY_RULES, DutyCadence, quarterStart } from '../duty-kinds.js';

describe('duty periods', () => {
  it('puts a date in its calendar quarter', () => {
    expect(['2025-01-01', '2025-03-31', '2025-05-17', '2025-09-30', '2025-12-31'].map(quarterStart)).toEqual([
      '2025-01-01',
      '2025-01-01',
      '2025-04-01',
      '2025-07-01',
      '2025-10-01',
    ]);
  });

  it('closes a quarter only on its last day', () => {
    expect(['2025-03-31', '2025-06-30', '2025-09-30', '2025-12-31'].every(isLastDayOfQuarter)).toBe(true);
    expect(['2025-01-31', '2025-02-28', '2025-04-30', '2025-12-30'].some(isLastDayOfQuarter)).toBe(false);
    expect(isLastDayOfMonth('2024-02-29')).toBe(true);
  });

  it('has the duties of the "1" in the one cadence table', () => {
    expect(DUTY_RULES.LIAISON_VISIT).toMatchObject({ cadence: DutyCadence.QUARTERLY, post: 'STREET_LIAISON', place: 'LIAISON_STREET' });
    expect(DUTY_RULES.DISTRICT_SUPERVISION).toMatchObject({ cadence: DutyCadence.MONTHLY, post: 'DISTRICT_COMMITTEE', place: 'DISTRICT' });
  });
});
