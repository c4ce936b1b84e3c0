/**
 * Typed SQL: the row type is named at the call and checked where the rows are used, instead of an `any[]` that a
 * declaration quietly casts.
 *
 *     const rows = await queryRows<{ id: string; name: string }>(db, `SELECT id, name FROM team WHERE bureau_id = $1`, [id]);
 *
 * The type is a claim about the SQL beside it (column aliases in quotes give the camelCase names), so keep the two
 * together: one statement, one row type, at the call.
 */

/** Anything TypeORM runs SQL on: a DataSource, an EntityManager or a QueryRunner. */
export interface SqlExecutor {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * TypeORM's PostgreSQL driver answers UPDATE and DELETE with `[rows, affectedCount]` and everything else with the
 * rows. Rows are objects, never numbers, so the pair is told apart without knowing the statement.
 */
function splitResult(result: unknown): { rows: unknown[]; affected: number | null } {
  if (!Array.isArray(result)) return { rows: [], affected: null };
  if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return { rows: result[0] as unknown[], affected: result[1] };
  }
  return { rows: result, affected: null };
}

/** Every row the statement returns (RETURNING rows for UPDATE and DELETE). */
export async function queryRows<Row extends object>(db: SqlExecutor, sql: string, parameters: readonly unknown[] = []): Promise<Row[]> {
  return splitResult(await db.query(sql, [...parameters])).rows as Row[];
}

/** The first row, or undefined when there is none. */
export async function queryFirst<Row extends object>(
  db: SqlExecutor,
  sql: string,
  parameters: readonly unknown[] = [],
): Promise<Row | undefined> {
  const [first] = await queryRows<Row>(db, sql, parameters);
  return first;
}

/** The row a statement always returns (an aggregate, `INSERT … RETURNING` without a conflict clause). */
export async function queryOne<Row extends object>(db: SqlExecutor, sql: string, parameters: readonly unknown[] = []): Promise<Row> {
  const first = await queryFirst<Row>(db, sql, parameters);
  if (first === undefined) throw new Error(`Expected a row from: ${sql.trim().split('\n')[0]}`);
  return first;
}

/** Runs a statement whose rows are not read. Returns how many rows an UPDATE or DELETE touched (null for others). */
export async function execute(db: SqlExecutor, sql: string, parameters: readonly unknown[] = []): Promise<number | null> {
  return splitResult(await db.query(sql, [...parameters])).affected;
}
