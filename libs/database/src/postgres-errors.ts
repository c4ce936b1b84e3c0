/** SQLSTATE codes we react to. */
export enum PostgresErrorCode {
  UniqueViolation = '23505',
  ForeignKeyViolation = '23503',
  CheckViolation = '23514',
  ExclusionViolation = '23P01',
  InvalidTextRepresentation = '22P02',
  DuplicateDatabase = '42P04',
  SerializationFailure = '40001',
}

export function isPostgresError(error: unknown, ...codes: PostgresErrorCode[]): error is { code: string; constraint?: string } {
  const code =
    (error as { code?: unknown; driverError?: { code?: unknown } } | null)?.code ??
    (error as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  return typeof code === 'string' && codes.includes(code as PostgresErrorCode);
}

/** The constraint name of a violation, from a pg error or a TypeORM QueryFailedError wrapping one. */
export function violatedConstraint(error: unknown): string | undefined {
  const e = error as { constraint?: string; driverError?: { constraint?: string } } | null;
  return e?.constraint ?? e?.driverError?.constraint;
}
