import { describe, expect, it } from '@jest/globals';
import { DomainError, ErrorCode, optionalText, requireText } from '../index.js';

function failure(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
}

describe('requireText', () => {
  it('answers the text trimmed', () => {
    expect(requireText('  分类检查  ', 'note', 10, 'INVALID_NOTE')).toBe('分类检查');
  });

  it.each([null, undefined, '', '   ', 'x'.repeat(11)])('refuses %p with the code and the field', (value) => {
    const error = failure(() => requireText(value, 'note', 10, 'INVALID_NOTE'));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.reason).toBe('INVALID_NOTE');
    expect(error.message).toBe('note must be 1–10 characters');
  });

  it('counts characters as the database does: a character outside the BMP is one', () => {
    expect(requireText('😀'.repeat(10), 'name', 10, 'INVALID_NAME')).toBe('😀'.repeat(10));
  });
});

describe('optionalText', () => {
  it('answers null for nothing or blanks, else the text trimmed', () => {
    expect(optionalText(null, 'note', 5, 'NOTE_TOO_LONG')).toBeNull();
    expect(optionalText(' \n ', 'note', 5, 'NOTE_TOO_LONG')).toBeNull();
    expect(optionalText(' ok ', 'note', 5, 'NOTE_TOO_LONG')).toBe('ok');
  });

  it('refuses text over the limit with the code', () => {
    const error = failure(() => optionalText('x'.repeat(6), 'note', 5, 'NOTE_TOO_LONG'));
    expect(error.reason).toBe('NOTE_TOO_LONG');
    expect(error.message).toBe('note must be at most 5 characters');
  });
});
