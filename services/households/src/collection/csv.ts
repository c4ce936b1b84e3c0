/**
 * A small RFC 4180 CSV parser (no CSV package is installed): comma-separated fields, fields in double quotes may hold
 * commas, CR/LF line breaks and doubled quotes (""), records end with CRLF or LF (a lone CR too), a UTF-8 byte-order
 * mark is dropped, and a final line break adds no record. Each record carries the physical line it starts on (1-based),
 * so errors can name it. A quote inside an unquoted field, text after a closing quote, or a quote left open is an error.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

export function parseCsv(text: string): CsvRecord[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let fieldStarted = false;
  const endField = () => { fields.push(field); field = ''; fieldStarted = false; };
  const endRecord = () => { endField(); records.push({ line: recordLine, fields }); fields = []; recordLine = line; };
  while (i < input.length) {
    const char = input[i];
    if (char === '"' && !fieldStarted && field === '') {
      // A quoted field.
      const startLine = line;
      i++;
      for (;;) {
        if (i >= input.length) throw new CsvSyntaxError(startLine, 'a quoted field is never closed');
        const c = input[i];
        if (c === '"') {
          if (input[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        if (c === '\r' && input[i + 1] === '\n') { field += '\r\n'; i += 2; line++; continue; }
        if (c === '\n' || c === '\r') line++;
        field += c;
        i++;
      }
      fieldStarted = true;
      const next = input.charAt(i); // '' past the end of the input
      if (next !== '' && next !== ',' && next !== '\r' && next !== '\n') {
        throw new CsvSyntaxError(line, 'text after a closing quote');
      }
      continue;
    }
    if (char === ',') { endField(); i++; continue; }
    if (char === '\r' || char === '\n') {
      i += char === '\r' && input[i + 1] === '\n' ? 2 : 1;
      line++;
      endRecord();
      continue;
    }
    if (char === '"') throw new CsvSyntaxError(line, 'a quote inside an unquoted field');
    field += char;
    fieldStarted = true;
    i++;
  }
  if (field !== '' || fieldStarted || fields.length > 0) endRecord();
  return records;
}
