import { XMLBuilder } from 'fast-xml-parser';

/** The two representations GeoReport v2 defines, chosen by the resource's extension. */
export type Open311Format = 'json' | 'xml';

/** `services.json` → ['services', 'json']; anything without .json or .xml → null. */
export function splitFormat(file: string): [string, Open311Format] | null {
  const match = /^(.+)\.(json|xml)$/i.exec(file);
  return match ? [match[1], match[2].toLowerCase() as Open311Format] : null;
}

const builder = new XMLBuilder({ format: true, suppressEmptyNode: false, processEntities: true });

/** An XML document with the spec's root and repeated child element names. */
export function toXml(root: string, item: string | null, content: unknown): string {
  const body = item === null ? { [root]: xmlValues(content) } : { [root]: { [item]: (content as unknown[]).map(xmlValues) } };
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build(body)}`;
}

/** Nulls become empty elements, as GeoReport v2 examples show them; arrays of scalars stay repeated elements. */
function xmlValues(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(xmlValues);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, xmlValues(inner)]));
  return value;
}

/** The error body of GeoReport v2: a list of `{ code, description }`, in JSON or as `<errors><error>…`. */
export function errorBody(format: Open311Format, status: number, description: string): { type: string; body: string } {
  const errors = [{ code: status, description }];
  return format === 'xml'
    ? { type: 'text/xml; charset=utf-8', body: toXml('errors', 'error', errors) }
    : { type: 'application/json; charset=utf-8', body: JSON.stringify(errors) };
}
