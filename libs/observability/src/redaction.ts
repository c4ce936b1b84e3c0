// Owns what is never written to a log: the one list of redacted field names every process's logger is built with.

/** Credentials: request headers and the names code gives them. */
export const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'apiKey',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'password',
  'signature',
  'x-gateway-signature',
] as const;

/**
 * Personal data as this codebase names it (the residents' and contacts' fields of the services' `*.policy.ts`, and
 * the column names SQL rows come back with): a household or resident object that reaches a logger by mistake has
 * these replaced. Masked forms (`maskedName`) are not personal data and stay.
 */
export const PERSONAL_DATA_FIELDS = [
  'name',
  'phone',
  'birthDate',
  'birth_date',
  'address',
  'idNumber',
  'id_number',
  'contactName',
  'contact_name',
  'contactPhone',
  'contact_phone',
  'guardianName',
  'guardian_name',
  'guardianPhone',
  'guardian_phone',
  'residentName',
  'memberName',
  'entrantName',
  'reporterName',
  'reporterPhone',
  'reporterContact',
] as const;

/**
 * pino's wildcards match one level each, so every field is listed at the top of a line's object and under up to
 * four levels of objects or arrays (`{ household: { residents: [{ name }] } }` is three).
 */
const DEPTHS = 5;

function pathsOf(field: string): string[] {
  const key = /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
  return Array.from({ length: DEPTHS }, (_, depth) => {
    const prefix = '*.'.repeat(depth);
    if (key.startsWith('[')) return depth === 0 ? key : `${prefix.slice(0, -1)}${key}`;
    return `${prefix}${key}`;
  });
}

/** The `redact.paths` of every logger of the platform. */
export const REDACT_PATHS: readonly string[] = [...SECRET_FIELDS, ...PERSONAL_DATA_FIELDS].flatMap(pathsOf);

/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';
