import ical, { ICalCalendarMethod, ICalEventStatus, ICalEventTransparency, escape, foldLines, formatDate } from 'ical-generator';

/**
 * The bureau calendar feed in RFC 5545, written by ical-generator: CRLF line ends, content lines folded at 75 octets
 * (never inside a UTF-8 character), TEXT values escaped, DATE-TIME values in UTC. The helpers below are ical-generator's
 * own, under the names the feed's tests use.
 */

export interface CalendarEvent {
  uid: string;
  sequence: number;
  stamp: Date;
  start: Date;
  end: Date;
  summary: string;
  location?: string;
  description?: string;
  cancelled: boolean;
}

/** A TEXT value, escaped as ical-generator escapes it (outside quoted parameters). */
export function escapeText(value: string): string {
  return escape(value, false);
}

/** A DATE-TIME value in UTC (`20360310T010203Z`). */
export function utcDateTime(date: Date): string {
  return formatDate(null, date);
}

/** Folds content lines: at most 75 octets per physical line, continuations start with a space. */
export function foldLine(line: string): string {
  return foldLines(line);
}

export function serializeCalendar(name: string, events: readonly CalendarEvent[]): string {
  const calendar = ical({
    name,
    prodId: '//Yinzhou waste sorting//enforcement joint actions//ZH',
    method: ICalCalendarMethod.PUBLISH,
    scale: 'GREGORIAN',
  });
  for (const event of events) {
    calendar.createEvent({
      id: event.uid,
      sequence: event.sequence,
      stamp: event.stamp,
      start: event.start,
      end: event.end,
      summary: event.summary,
      location: event.location || null,
      description: event.description || null,
      status: event.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      transparency: ICalEventTransparency.OPAQUE,
    });
  }
  // Every content line ends with CRLF (RFC 5545 §3.1), the last one too; ical-generator leaves the last one bare.
  return `${calendar.toString()}\r\n`;
}
