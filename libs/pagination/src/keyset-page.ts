import type { EntityManager } from 'typeorm';
import { queryOne, queryRows, type SqlExecutor, type SqlParams } from '#libs/database';
import { lazy, toConnection, type ConnectionShape } from './connection.js';
import { keysetAfter, pageRequest, type PageArgs } from './page.js';

/**
 * A DataSource, an EntityManager or a QueryRunner, with TypeORM's own `query`, for code that still reads its rows
 * untyped; new code names the row type through the typed helpers of #libs/database (queryRows and the rest).
 */
export type Queryable = Pick<EntityManager, 'query'>;

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
export async function fetchKeysetPage<Row extends object, Node>(
  db: SqlExecutor,
  args: PageArgs,
  query: KeysetQuery<Row>,
  present: (rows: Row[]) => Node[] | Promise<Node[]>,
): Promise<ConnectionShape<Node>> {
  const page = pageRequest(args, query.orderBy.length);
  const { params } = query;
  const countSql = `SELECT count(*)::int AS count FROM ${query.from} ${whereClause(query.where)}`;
  const countParams = [...params.values];
  const conditions = page.after
    ? [...query.where, keysetAfter(query.orderBy, page.after, (value) => params.add(value), query.descending)]
    : query.where;
  const rows = await queryRows<Row>(
    db,
    `SELECT ${query.select} FROM ${query.from} ${whereClause(conditions)} ORDER BY ${orderClause(query)} LIMIT ${params.add(page.limit + 1)}`,
    params.values,
  );
  const nodes = await present(rows.slice(0, page.limit));
  return toConnection(
    rows,
    page,
    query.keyOf,
    (_row, index) => nodes[index],
    async () => (await queryOne<{ count: number }>(db, countSql, countParams)).count,
  );
}

/** A keyset list of many parents' children at once (the members of each unit of a page, say). */
export interface GroupedKeysetQuery<Row> extends KeysetQuery<Row> {
  /** SQL of the parent a row belongs to, compared as text with the `groups` asked for (rows of other groups are dropped). */
  groupBy: string;
}

/**
 * The same page (`first`/`after`) of each group's list in one statement, for a field that pages a list under every
 * parent of a page: fetching them one parent at a time is a query per parent. `row_number() OVER (PARTITION BY …)`
 * in the list's order keeps each group's first `first + 1` rows after the cursor (the extra one tells whether that
 * group has a next page). The cursor is applied to every group, as each group's own list would apply it. The nodes
 * of all groups go through `present` in one call (so masking and auditing stay one step per batch), and every
 * group's `totalCount` comes from one GROUP BY count, run once when the first one is awaited.
 * Returns one connection per group, in the order of `groups`; a group without rows gets an empty one.
 */
export async function fetchKeysetPagesByGroup<Row extends object, Node>(
  db: SqlExecutor,
  args: PageArgs,
  groups: readonly string[],
  query: GroupedKeysetQuery<Row>,
  present: (rows: Row[]) => Node[] | Promise<Node[]>,
): Promise<ConnectionShape<Node>[]> {
  const page = pageRequest(args, query.orderBy.length);
  const { params } = query;
  const countSql = `SELECT (${query.groupBy})::text AS "group", count(*)::int AS count FROM ${query.from} ${whereClause(query.where)} GROUP BY 1`;
  const countParams = [...params.values];
  const counts = lazy(async () => {
    const rows = await queryRows<{ group: string; count: number }>(db, countSql, countParams);
    return new Map(rows.map((row) => [row.group, row.count]));
  });
  const conditions = page.after
    ? [...query.where, keysetAfter(query.orderBy, page.after, (value) => params.add(value), query.descending)]
    : query.where;
  const ranked = await queryRows<Row & { keysetGroup: string; keysetPosition: string }>(
    db,
    `SELECT * FROM (
       SELECT ${query.select}, (${query.groupBy})::text AS "keysetGroup",
              row_number() OVER (PARTITION BY (${query.groupBy}) ORDER BY ${orderClause(query)}) AS "keysetPosition"
         FROM ${query.from} ${whereClause(conditions)}) AS ranked
      WHERE "keysetPosition" <= ${params.add(page.limit + 1)}
      ORDER BY "keysetGroup", "keysetPosition"`,
    params.values,
  );
  const rowsOf = new Map<string, Row[]>(groups.map((group) => [group, []]));
  for (const { keysetGroup, keysetPosition: _position, ...row } of ranked) rowsOf.get(keysetGroup)?.push(row as unknown as Row);
  const nodes = await present([...rowsOf.values()].flatMap((rows) => rows.slice(0, page.limit)));
  const connections = new Map<string, ConnectionShape<Node>>();
  let firstNode = 0;
  for (const [group, rows] of rowsOf) {
    const offset = firstNode;
    connections.set(
      group,
      toConnection(
        rows,
        page,
        query.keyOf,
        (_row, index) => nodes[offset + index],
        async () => (await counts).get(group) ?? 0,
      ),
    );
    firstNode += Math.min(rows.length, page.limit);
  }
  return groups.map((group) => connections.get(group)!);
}

function orderClause(query: Pick<KeysetQuery<unknown>, 'orderBy' | 'descending'>): string {
  return query.orderBy.map((column) => (query.descending ? `${column} DESC` : column)).join(', ');
}

function whereClause(conditions: string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}
