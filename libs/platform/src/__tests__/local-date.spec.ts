import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '#libs/errors';
import { domainErrorOf } from '#libs/testing';
import { parseLocalDate } from '../local-date.scalar.js';

describe('parseLocalDate', () => {
  it.each(['2026-02-28', '2024-02-29', '2026-12-31', '2026-01-01'])('accepts %s unchanged', (value) => {
    expect(parseLocalDate(value)).toBe(value);
  });

  it.each<unknown>(['2026-02-30', '2026-02-29', '2026-13-01', '2026-00-10', '2026-2-3', '2026-02-28T00:00', 'x', '', 20260101, null])(
    'rejects %p as INVALID_DATE',
    (value) => {
      const error = domainErrorOf(() => parseLocalDate(value));
      expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect(error.reason).toBe('INVALID_DATE');
    },
  );
});
