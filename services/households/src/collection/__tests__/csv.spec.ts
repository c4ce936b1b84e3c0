import { describe, expect, it } from '@jest/globals';
import { CsvSyntaxError, parseCsv } from '../csv.js';

const rows = (text: string) => parseCsv(text).map((record) => record.fields);

describe('parseCsv (RFC 4180)', () => {
  it('splits records on CRLF and LF, and a final line break adds no record', () => {
    expect(rows('a,b\r\nc,d\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(rows('a,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(rows('a,,c,\n,,\n')).toEqual([
      ['a', '', 'c', ''],
      ['', '', ''],
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, and counts lines', () => {
    const records = parseCsv('h1,h2\r\n"a,b","say ""hi"""\r\n"two\r\nlines",x\r\nlast,"",\r\n');
    expect(records).toEqual([
      { line: 1, fields: ['h1', 'h2'] },
      { line: 2, fields: ['a,b', 'say "hi"'] },
      { line: 3, fields: ['two\r\nlines', 'x'] },
      { line: 5, fields: ['last', '', ''] },
    ]);
  });

  it('drops a UTF-8 byte-order mark and keeps Chinese text', () => {
    expect(rows('\uFEFF日期,类别\n2026-01-01,厨余垃圾\n')).toEqual([
      ['日期', '类别'],
      ['2026-01-01', '厨余垃圾'],
    ]);
  });

  it('keeps spaces, which are part of a field', () => {
    expect(rows(' a , b ')).toEqual([[' a ', ' b ']]);
  });

  it('refuses an unclosed quote, text after a closing quote and a quote inside an unquoted field, naming the line', () => {
    expect(() => parseCsv('a\n"open,b\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a\n"x"y,b')).toThrow('text after a closing quote');
    try {
      parseCsv('a\nb\nc"d');
    } catch (error) {
      expect((error as CsvSyntaxError).line).toBe(3);
    }
    expect.assertions(3);
  });

  it('gives nothing for an empty text', () => {
    expect(rows('')).toEqual([]);
  });
});
