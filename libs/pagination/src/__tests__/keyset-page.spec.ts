import { describe, expect, it } from '@jest/globals';
import { SqlParams, type SqlExecutor } from '#libs/database';
import { fetchKeysetPagesByGroup } from '../keyset-page.js';
import { decodeCursor, encodeCursor } from '../page.js';

interface Row {
  id: string;
  score: number;
}

/** A database that answers the ranked page with `ranked` and the count with `counts`, and keeps the SQL it was sent. */
function fakeDatabase(ranked: (Row & { keysetGroup: string; keysetPosition: string })[], counts: { group: string; count: number }[]) {
  const statements: { sql: string; parameters: unknown[] }[] = [];
  const db: SqlExecutor = {
    query(sql, parameters = []) {
      statements.push({ sql, parameters });
      return Promise.resolve(sql.includes('count(*)') ? counts : ranked);
    },
  };
  return { db, statements };
}

const PARENTS = ['a', 'b', 'none'];
const query = () => {
  const params = new SqlParams();
  return {
    select: 'c.id, c.score',
    from: 'child c',
    where: [`c.parent_id = ANY(${params.add(PARENTS)})`],
    params,
    groupBy: 'c.parent_id',
    orderBy: ['c.score', 'c.id'],
    keyOf: (row: Row) => [row.score, row.id],
    descending: true,
  };
};
const row = (group: string, position: number, id: string, score: number) => ({
  keysetGroup: group,
  keysetPosition: String(position),
  id,
  score,
});

describe('fetchKeysetPagesByGroup', () => {
  it("splits one ranked statement into each group's page, in the order asked, with an empty page for a group without rows", async () => {
    const { db, statements } = fakeDatabase([row('a', 1, 'a1', 9), row('a', 2, 'a2', 8), row('a', 3, 'a3', 7), row('b', 1, 'b1', 5)], []);
    const presented: Row[][] = [];
    const [b, none, a] = await fetchKeysetPagesByGroup(db, { first: 2 }, ['b', 'none', 'a'], query(), (rows) => {
      presented.push(rows);
      return rows.map((r) => `node ${r.id}`);
    });
    expect(statements).toHaveLength(1);
    expect(statements[0].sql).toMatch(/row_number\(\) OVER \(PARTITION BY \(c\.parent_id\) ORDER BY c\.score DESC, c\.id DESC\)/);
    // first + 1 rows per group: the extra one only tells whether the group has a next page.
    expect(statements[0].parameters.at(-1)).toBe(3);
    expect(a.edges.map((edge) => edge.node)).toEqual(['node a1', 'node a2']);
    expect(a.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: encodeCursor([8, 'a2']) });
    expect(b.edges.map((edge) => edge.node)).toEqual(['node b1']);
    expect(b.pageInfo.hasNextPage).toBe(false);
    expect(none).toMatchObject({ edges: [], pageInfo: { hasNextPage: false, startCursor: null, endCursor: null } });
    // Presented once for the whole batch (groups in the order asked), without the grouping columns or the extra rows.
    expect(presented).toEqual([
      [
        { id: 'b1', score: 5 },
        { id: 'a1', score: 9 },
        { id: 'a2', score: 8 },
      ],
    ]);
  });

  it('continues every group after the cursor and counts all groups with one statement, only when a count is read', async () => {
    const { db, statements } = fakeDatabase(
      [row('a', 1, 'a3', 7)],
      [
        { group: 'a', count: 3 },
        { group: 'b', count: 1 },
      ],
    );
    const after = encodeCursor([8, 'a2']);
    const [a, b, none] = await fetchKeysetPagesByGroup(db, { first: 2, after }, ['a', 'b', 'none'], query(), (rows) =>
      rows.map((r) => r.id),
    );
    expect(statements[0].sql).toContain('(c.score, c.id) < ($2, $3)');
    expect(statements[0].parameters).toEqual([PARENTS, ...decodeCursor(after, 2), 3]);
    expect(a.pageInfo.hasPreviousPage).toBe(true);
    expect(b.edges).toEqual([]);
    expect(statements).toHaveLength(1);
    expect([await a.totalCount, await b.totalCount, await none.totalCount]).toEqual([3, 1, 0]);
    expect(statements).toHaveLength(2);
    expect(statements[1].sql).toMatch(/GROUP BY 1$/);
    expect(statements[1].parameters).toEqual([PARENTS]);
  });
});
