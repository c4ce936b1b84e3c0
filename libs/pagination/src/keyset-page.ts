import type { SqlParams } from '#libs/database';
import { toConnection, type ConnectionShape } from './connection.js';
import { keysetAfter, pageRequest, type PageArgs } from './page.js';

export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/** A list query, ordered by a keyset, that `fetchKeysetPage` pages through. */
export interface KeysetQuery<Row> {
  /** The SELECT column list. */
  select: string;
  /** The FROM clause, joins included. */
  from: string;
  /** Filter conditions, ANDed, with placeholders registered in `params`. */
  where: string[];
  params: SqlParams;
  /** Sort-key columns (ascending, together unique): the order of the list and the content of its cursors. */
  orderBy: string[];
  /** A row's values of the `orderBy` columns. */
  keyOf: (row: Row) => unknown[];
  /** Newest (largest) first. */
  descending?: boolean;
}

/**
 * One page of `query` as a Relay connection: validates `first`/`after`, fetches `first + 1` rows after the cursor,
 * turns the page's rows into nodes with `present` (one call, so it can batch masking or auditing), and counts the
 * whole filtered list only if the client selects `totalCount`.
 */
export async function fetchKeysetPage<Row, Node>(
  db: Queryable,
  args: PageArgs,
  query: KeysetQuery<Row>,
  present: (rows: Row[]) => Node[] | Promise<Node[]>,
): Promise<ConnectionShape<Node>> {
  const page = pageRequest(args, query.orderBy.length);
  const { params } = query;
  const countSql = `SELECT count(*)::int AS count FROM ${query.from} ${whereClause(query.where)}`;
  const countParams = [...params.values];
  const conditions = page.after ? [...query.where, keysetAfter(query.orderBy, page.after, (value) => params.add(value), query.descending)] : query.where;
  const rows: Row[] = await db.query(
    `SELECT ${query.select} FROM ${query.from} ${whereClause(conditions)} ORDER BY ${query.orderBy.map((column) => (query.descending ? `${column} DESC` : column)).join(', ')} LIMIT ${params.add(page.limit + 1)}`,
    params.values,
  );
  const nodes = await present(rows.slice(0, page.limit));
  return toConnection(rows, page, query.keyOf, (_row, index) => nodes[index], async () => (await db.query(countSql, countParams))[0].count);
}

function whereClause(conditions: string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}
