/**
 * HTML escaping, one table for the two places text is escaped: in TypeScript (`escapeHtml`) and in SQL
 * (`htmlEscapeSql`, for notices rendered a month at a time in one statement). Retention finds a resident's name inside
 * stored HTML by escaping it again, so both must escape exactly alike. Only numeric or XML's own references, so a page
 * stays well-formed XML too. '&' comes first, so nothing is escaped twice.
 */
const HTML_ESCAPES: readonly (readonly [string, string])[] = [
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
  ['"', '&quot;'],
  ["'", '&#39;'],
];

const ESCAPE_OF = new Map(HTML_ESCAPES);

/** `text` escaped for HTML text and attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPE_OF.get(char)!);
}

/** A SQL text expression escaped for HTML, in SQL: the same escapes as `escapeHtml`. */
export function htmlEscapeSql(expression: string): string {
  return HTML_ESCAPES.reduce((sql, [char, escaped]) => `replace(${sql}, '${char.replaceAll("'", "''")}', '${escaped}')`, expression);
}
