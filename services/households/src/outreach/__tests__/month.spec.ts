import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#libs/errors';
import { monthOf, parseMonth } from '../month.js';

describe('months', () => {
  it('reads YYYY-MM as the first day of the month', () => {
    expect(parseMonth('2026-03')).toBe('2026-03-01');
    expect(parseMonth('2026-12')).toBe('2026-12-01');
    expect(monthOf('2026-03-01')).toBe('2026-03');
  });

  it.each(['2026-13', '2026-00', '2026-3', '2026-03-01', '202603', '', null, 202603, '0999-01'])('refuses %p as INVALID_MONTH', (value) => {
    let error: unknown;
    try {
      parseMonth(value, 'fromMonth');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_MONTH', details: { field: 'fromMonth' } });
  });
});
