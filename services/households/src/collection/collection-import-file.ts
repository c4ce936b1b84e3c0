import { shanghaiDate } from '#libs/calendar';
import { isUuid } from '#libs/errors';
import { COLLECTION_DESTINATION_LABEL_ZH, CollectionDestination, WASTE_STREAM_LABEL_ZH, WasteStream } from './collection-enums.js';
import { CsvSyntaxError, parseCsv } from './csv.js';

/**
 * The columns of a transfer station's CSV export, in this order. The Chinese names may stand in for the English ones,
 * column by column. Streams and destinations are given by their code (`KITCHEN`) or Chinese label (`厨余垃圾`).
 */
export const IMPORT_COLUMNS = ['date', 'collection_point_id', 'stream', 'weight_kg', 'destination', 'vehicle', 'operator'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
export const IMPORT_COLUMN_ALIASES_ZH: Record<ImportColumn, string> = {
  date: '日期',
  collection_point_id: '投放点编号',
  stream: '垃圾类别',
  weight_kg: '重量(kg)',
  destination: '去向',
  vehicle: '车辆',
  operator: '操作员',
};
/** At most this many data rows in one file. */
export const MAX_IMPORT_ROWS = 50_000;
/** At most this many errors are listed (the count says how many there were). */
export const MAX_LISTED_ERRORS = 500;

export interface ImportError {
  line: number;
  column: ImportColumn | null;
  code: string;
  message: string;
}

export interface ImportRow {
  line: number;
  day: string;
  collectionPointId: string;
  stream: WasteStream;
  weightKg: string;
  destination: CollectionDestination;
  vehicle: string | null;
  operator: string | null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEIGHT = /^\d{1,8}(\.\d{1,2})?$/;

function byCodeOrLabel<T extends string>(labels: Record<T, string>, value: string): T | undefined {
  const upper = value.toUpperCase();
  for (const [code, zh] of Object.entries(labels) as [T, string][]) if (code === upper || zh === value) return code;
  return undefined;
}

function validDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The key of the unique record: one per point, day, stream and destination. */
export const rowKey = (row: Pick<ImportRow, 'collectionPointId' | 'day' | 'stream' | 'destination'>) =>
  `${row.collectionPointId.toLowerCase()}|${row.day}|${row.stream}|${row.destination}`;

/**
 * Checks a file on its own (encoding, syntax, header, every field, duplicates, the ceiling per row and per point and
 * day within the file): the rows it would import and every error found, by line. What needs the database (points,
 * scope, records already there) is checked by the service.
 */
export function checkImportFile(
  text: string,
  maxKgPerPointDay: number,
  today = shanghaiDate(),
): { rows: ImportRow[]; errors: ImportError[] } {
  const errors: ImportError[] = [];
  // A GraphQL string is already decoded: invalid UTF-8 bytes arrive as U+FFFD (the replacement character).
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) {
    const line = text.slice(0, bad).split(/\r\n|\r|\n/).length;
    return {
      rows: [],
      errors: [{ line, column: null, code: 'ENCODING', message: 'The file is not valid UTF-8 text (save it as UTF-8 and import again)' }],
    };
  }
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      return { rows: [], errors: [{ line: error.line, column: null, code: 'CSV_SYNTAX', message: error.message }] };
    throw error;
  }
  records = records.filter((record, index) => index === 0 || !(record.fields.length === 1 && record.fields[0].trim() === ''));
  if (records.length === 0) return { rows: [], errors: [{ line: 1, column: null, code: 'EMPTY_FILE', message: 'The file is empty' }] };
  const header = records[0].fields.map((name) => name.trim());
  const headerOk =
    header.length === IMPORT_COLUMNS.length &&
    IMPORT_COLUMNS.every((column, index) => header[index].toLowerCase() === column || header[index] === IMPORT_COLUMN_ALIASES_ZH[column]);
  if (!headerOk) {
    return {
      rows: [],
      errors: [
        {
          line: 1,
          column: null,
          code: 'HEADER',
          message: `The header must be exactly ${IMPORT_COLUMNS.join(',')} (or ${IMPORT_COLUMNS.map((c) => IMPORT_COLUMN_ALIASES_ZH[c]).join(',')}); found ${header.join(',')}`,
        },
      ],
    };
  }
  const data = records.slice(1);
  if (data.length === 0) return { rows: [], errors: [{ line: 2, column: null, code: 'EMPTY_FILE', message: 'The file has no rows' }] };
  if (data.length > MAX_IMPORT_ROWS) {
    return {
      rows: [],
      errors: [
        { line: data[MAX_IMPORT_ROWS].line, column: null, code: 'TOO_MANY_ROWS', message: `At most ${MAX_IMPORT_ROWS} rows per file` },
      ],
    };
  }

  const rows: ImportRow[] = [];
  const firstLineOfKey = new Map<string, number>();
  for (const { line, fields } of data) {
    const fail = (column: ImportColumn | null, code: string, message: string) => errors.push({ line, column, code, message });
    if (fields.length !== IMPORT_COLUMNS.length) {
      fail(null, 'COLUMN_COUNT', `Expected ${IMPORT_COLUMNS.length} fields, found ${fields.length}`);
      continue;
    }
    const [date, pointId, streamText, weightText, destinationText, vehicleText, operatorText] = fields.map((field) => field.trim());
    const before = errors.length;
    if (!validDate(date)) fail('date', 'INVALID_DATE', `"${date}" is not a date (YYYY-MM-DD)`);
    else if (date > today) fail('date', 'FUTURE_DATE', `${date} is in the future (today in Shanghai is ${today})`);
    if (!isUuid(pointId)) fail('collection_point_id', 'UNKNOWN_COLLECTION_POINT', `"${pointId}" is not a collection point id`);
    const stream = byCodeOrLabel(WASTE_STREAM_LABEL_ZH, streamText);
    if (!stream)
      fail(
        'stream',
        'INVALID_STREAM',
        `"${streamText}" is not a waste stream (${Object.values(WasteStream).join(', ')} or 厨余垃圾, 可回收物, 有害垃圾, 其他垃圾)`,
      );
    if (weightText.startsWith('-')) fail('weight_kg', 'NEGATIVE_WEIGHT', `A weight cannot be negative (${weightText})`);
    else if (!WEIGHT.test(weightText)) fail('weight_kg', 'INVALID_WEIGHT', `"${weightText}" is not a weight in kg (up to two decimals)`);
    else if (Number(weightText) > maxKgPerPointDay)
      fail('weight_kg', 'OVER_CEILING', `${weightText} kg is over the ceiling of ${maxKgPerPointDay} kg per point and day`);
    const destination = byCodeOrLabel(COLLECTION_DESTINATION_LABEL_ZH, destinationText);
    if (!destination)
      fail(
        'destination',
        'INVALID_DESTINATION',
        `"${destinationText}" is not a destination (${Object.values(CollectionDestination).join(', ')})`,
      );
    if (vehicleText.length > 40) fail('vehicle', 'TOO_LONG', 'At most 40 characters');
    if (operatorText.length > 60) fail('operator', 'TOO_LONG', 'At most 60 characters');
    if (errors.length > before) continue;
    const row: ImportRow = {
      line,
      day: date,
      collectionPointId: pointId.toLowerCase(),
      stream: stream!,
      weightKg: weightText,
      destination: destination!,
      vehicle: vehicleText || null,
      operator: operatorText || null,
    };
    const key = rowKey(row);
    const first = firstLineOfKey.get(key);
    if (first !== undefined) {
      fail(null, 'DUPLICATE_ROW', `Repeats line ${first}: one row per point, day, stream and destination`);
      continue;
    }
    firstLineOfKey.set(key, line);
    rows.push(row);
  }
  return { rows, errors };
}
