import { DomainError, optionalText } from '#libs/errors';

/** The rules of recording duty logs from phones, in one place (the cadences are in duty-kinds.ts). */
export const DUTY_LOG_RULES = {
  /** Phones' clocks run a little fast: a duty "performed" up to this far in the future is taken as performed now. */
  clockSkewMs: 5 * 60_000,
  maxNoteLength: 500,
} as const;

/**
 * No upper age: a log recorded late for a closed period is allowed and turns a MISSED period MET (the escalation
 * stays on record). Only the future is refused: BAD_USER_INPUT FUTURE_DATE.
 */
export function requirePerformable(performedAt: Date, now: Date): void {
  const at = performedAt.getTime();
  if (Number.isNaN(at)) throw DomainError.badInput('performedAt is not a time', 'INVALID_TIME');
  if (at > now.getTime() + DUTY_LOG_RULES.clockSkewMs) throw DomainError.badInput('performedAt is in the future', 'FUTURE_DATE');
}

export function normalizeNote(note: string | null | undefined): string | null {
  return optionalText(note, 'note', DUTY_LOG_RULES.maxNoteLength, 'NOTE_TOO_LONG');
}
