import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#libs/errors';
import { DoorToDoorCollectionStatus as S } from '../collection-enums.js';
import { canMove, checkNote, checkTransition } from '../door-to-door-status.js';

describe('the door-to-door request lifecycle', () => {
  const allowed: [S, S][] = [
    [S.REQUESTED, S.ACCEPTED],
    [S.REQUESTED, S.CANCELLED],
    [S.REQUESTED, S.REJECTED],
    [S.ACCEPTED, S.COMPLETED],
    [S.ACCEPTED, S.CANCELLED],
  ];

  it('allows exactly REQUESTED → ACCEPTED/CANCELLED/REJECTED and ACCEPTED → COMPLETED/CANCELLED', () => {
    const all = Object.values(S);
    const moves = all.flatMap((from) => all.filter((to) => canMove(from, to)).map((to) => [from, to]));
    expect(moves).toEqual(allowed);
  });

  it.each([
    [S.REQUESTED, S.COMPLETED],
    [S.ACCEPTED, S.REJECTED],
    [S.ACCEPTED, S.ACCEPTED],
    [S.COMPLETED, S.CANCELLED],
    [S.CANCELLED, S.ACCEPTED],
    [S.REJECTED, S.ACCEPTED],
    [S.ACCEPTED, S.REQUESTED],
  ])('refuses %s → %s as INVALID_TRANSITION', (from, to) => {
    let error: unknown;
    try {
      checkTransition(from, to, 'note');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION', details: { from, to } });
  });

  it('needs a reason to reject, and trims notes', () => {
    expect(() => checkTransition(S.REQUESTED, S.REJECTED, '  ')).toThrow(expect.objectContaining({ reason: 'REASON_REQUIRED' }));
    expect(checkTransition(S.REQUESTED, S.REJECTED, ' 大件垃圾请预约大件清运 ')).toBe('大件垃圾请预约大件清运');
    expect(checkTransition(S.REQUESTED, S.ACCEPTED, undefined)).toBeNull();
  });

  it('refuses notes over 500 characters', () => {
    expect(() => checkNote('啊'.repeat(501))).toThrow(expect.objectContaining({ reason: 'NOTE_TOO_LONG' }));
    expect(checkNote('啊'.repeat(500))).toHaveLength(500);
  });
});
