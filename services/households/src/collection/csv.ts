import { CsvError, parse } from 'csv-parse/sync';

/**
 * RFC 4180 CSV through csv-parse: comma-separated fields, fields in double quotes may hold commas, CR/LF line breaks
 * and doubled quotes (""), records end with CRLF, LF or a lone CR (mixed in one file too: exports pass through
 * spreadsheets), a UTF-8 byte-order mark is dropped, and a final line break adds no record. Each record carries the
 * physical line it starts on (1-based), so errors can name it. A quote inside an unquoted field, text after a closing
 * quote, or a quote left open is an error.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** What a station clerk reads for csv-parse's error codes (its own messages speak of parser internals). */
const SYNTAX_MESSAGES: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'text after a closing quote',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field',
};

const LINE_BREAK = /\r\n|\r|\n/g;

export function parseCsv(text: string): CsvRecord[] {
  let parsed: { record: string[]; raw: string }[];
  try {
    // With `raw`, csv-parse gives { record, raw } per record; its type declarations leave that option's shape out.
    parsed = parse(text, {
      bom: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: false,
      raw: true,
    }) as unknown as { record: string[]; raw: string }[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : 1;
      throw new CsvSyntaxError(line, SYNTAX_MESSAGES[error.code] ?? 'the file is not valid CSV');
    }
    throw error;
  }
  // csv-parse counts lines where a record ends; a record's first line follows from the line breaks of those before it.
  let line = 1;
  return parsed.map(({ record, raw }) => {
    const start = line;
    line += raw.match(LINE_BREAK)?.length ?? 0;
    return { line: start, fields: record };
  });
}
