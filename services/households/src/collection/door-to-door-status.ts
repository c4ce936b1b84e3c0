import { DomainError } from '#libs/errors';
import { DoorToDoorCollectionStatus as Status } from './collection-enums.js';

/**
 * The lifecycle of a door-to-door collection request, as a table: which statuses each status may move to.
 * REQUESTED → ACCEPTED → COMPLETED; REQUESTED or ACCEPTED → CANCELLED; REQUESTED → REJECTED (with a reason).
 * COMPLETED, CANCELLED and REJECTED are final.
 */
export const DOOR_TO_DOOR_TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  [Status.REQUESTED]: [Status.ACCEPTED, Status.CANCELLED, Status.REJECTED],
  [Status.ACCEPTED]: [Status.COMPLETED, Status.CANCELLED],
  [Status.COMPLETED]: [],
  [Status.CANCELLED]: [],
  [Status.REJECTED]: [],
};

export const MAX_NOTE_LENGTH = 500;

export function canMove(from: Status, to: Status): boolean {
  return DOOR_TO_DOOR_TRANSITIONS[from].includes(to);
}

/**
 * Checks a status change before anything is written: BAD_USER_INPUT with reason INVALID_TRANSITION when the
 * lifecycle does not allow it, REASON_REQUIRED when a rejection gives no reason. Returns the trimmed note.
 */
export function checkTransition(from: Status, to: Status, note: string | null | undefined): string | null {
  if (!canMove(from, to)) {
    throw DomainError.badInput(`A ${from} request cannot become ${to}`, 'INVALID_TRANSITION', {
      from,
      to,
      allowed: DOOR_TO_DOOR_TRANSITIONS[from],
    });
  }
  const trimmed = checkNote(note);
  if (to === Status.REJECTED && !trimmed) throw DomainError.badInput('A rejection needs a reason in note', 'REASON_REQUIRED');
  return trimmed;
}

/** A note is optional, at most 500 characters; blank means none. */
export function checkNote(note: string | null | undefined): string | null {
  const trimmed = note?.trim() ?? '';
  if (trimmed.length > MAX_NOTE_LENGTH) {
    throw DomainError.badInput(`note must be at most ${MAX_NOTE_LENGTH} characters`, 'NOTE_TOO_LONG', { max: MAX_NOTE_LENGTH });
  }
  return trimmed || null;
}
