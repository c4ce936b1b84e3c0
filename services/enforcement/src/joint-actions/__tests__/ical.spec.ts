import { describe, expect, it } from '@jest/globals';
import ICAL from 'ical.js';
import { escapeText, foldLine, serializeCalendar, utcDateTime } from '../ical.js';

describe('the RFC 5545 writer', () => {
  it('escapes TEXT values', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
  });

  it('writes UTC DATE-TIME values', () => {
    expect(utcDateTime(new Date('2036-03-10T01:02:03.456Z'))).toBe('20360310T010203Z');
  });

  it('folds at 75 octets without splitting a UTF-8 character', () => {
    const line = `SUMMARY:${'垃圾分类联合执法'.repeat(10)}`;
    const physical = foldLine(line).split('\r\n');
    expect(physical.length).toBeGreaterThan(1);
    for (const part of physical) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(physical.slice(1).every((part) => part.startsWith(' '))).toBe(true);
    expect(physical.map((part, i) => (i === 0 ? part : part.slice(1))).join('')).toBe(line);
  });

  it('round-trips through ical.js', () => {
    const summary = `检查, 整改; 复查\\ ${'长标题'.repeat(30)}`;
    const text = serializeCalendar('执法局联合执法行动', [
      {
        uid: 'x@y',
        sequence: 3,
        stamp: new Date('2036-01-01T00:00:00Z'),
        start: new Date('2036-03-10T01:00:00Z'),
        end: new Date('2036-03-10T04:00:00Z'),
        summary,
        location: '甲社区、乙社区',
        description: '牵头单位：执法局\n参与队伍：一中队',
        cancelled: true,
      },
    ]);
    expect(text.endsWith('\r\n')).toBe(true);
    const [event] = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
    expect(event.getFirstPropertyValue('summary')).toBe(summary);
    expect(event.getFirstPropertyValue('description')).toBe('牵头单位：执法局\n参与队伍：一中队');
    expect(event.getFirstPropertyValue('sequence')).toBe(3);
    expect(event.getFirstPropertyValue('status')).toBe('CANCELLED');
  });
});
