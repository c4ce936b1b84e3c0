import { describe, expect, it } from '@jest/globals';
import { DomainError, ErrorCode, optionalText, requireText } from '../index.js';

/** The refusal a check throws: a DomainError with its code, reason and message. */
const refusal = (reason: string, message: string) => expect.objectContaining({ code: ErrorCode.BAD_USER_INPUT, reason, message });

describe('requireText', () => {
  it('answers the text trimmed', () => {
    expect(requireText('  分类检查  ', 'note', 10, 'INVALID_NOTE')).toBe('分类检查');
  });

  it.each([null, undefined, '', '   ', 'x'.repeat(11)])('refuses %p with the code and the field', (value) => {
    expect(() => requireText(value, 'note', 10, 'INVALID_NOTE')).toThrow(DomainError);
    expect(() => requireText(value, 'note', 10, 'INVALID_NOTE')).toThrow(refusal('INVALID_NOTE', 'note must be 1–10 characters'));
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
    expect(() => optionalText('x'.repeat(6), 'note', 5, 'NOTE_TOO_LONG')).toThrow(
      refusal('NOTE_TOO_LONG', 'note must be at most 5 characters'),
    );
  });
});
