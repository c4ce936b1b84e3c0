import { describe, expect, it } from '@jest/globals';
import { decodeCursor, type PageRequest } from '../page.js';
import { lazy, toConnection } from '../connection.js';

interface Row {
  name: string;
  id: number;
}

const rows = (count: number): Row[] => Array.from({ length: count }, (_, i) => ({ name: `n${i}`, id: i }));
const keyOf = (row: Row) => [row.name, row.id];
const toNode = (row: Row) => ({ label: row.name });
const noCount = () => Promise.reject(new Error('count should not run'));

describe('toConnection', () => {
  it('trims the extra row and reports a next page', () => {
    const page: PageRequest = { limit: 3, after: null };
    const connection = toConnection(rows(4), page, keyOf, toNode, noCount);
    expect(connection.edges.map((edge) => edge.node)).toEqual([{ label: 'n0' }, { label: 'n1' }, { label: 'n2' }]);
    expect(connection.pageInfo.hasNextPage).toBe(true);
  });

  it('reports no next page when fewer than limit + 1 rows came back', () => {
    const connection = toConnection(rows(3), { limit: 3, after: null }, keyOf, toNode, noCount);
    expect(connection.edges).toHaveLength(3);
    expect(connection.pageInfo.hasNextPage).toBe(false);
  });

  it('gives cursors that decode to the first and last rows of the page', () => {
    const connection = toConnection(rows(4), { limit: 3, after: null }, keyOf, toNode, noCount);
    expect(decodeCursor(connection.pageInfo.startCursor!, 2)).toEqual(['n0', 0]);
    expect(decodeCursor(connection.pageInfo.endCursor!, 2)).toEqual(['n2', 2]);
    expect(connection.edges.at(-1)?.cursor).toBe(connection.pageInfo.endCursor);
  });

  it('reports a previous page only when continuing after a cursor', () => {
    expect(toConnection(rows(1), { limit: 3, after: null }, keyOf, toNode, noCount).pageInfo.hasPreviousPage).toBe(false);
    expect(toConnection(rows(1), { limit: 3, after: ['n0', 0] }, keyOf, toNode, noCount).pageInfo.hasPreviousPage).toBe(true);
  });

  it('has null cursors for an empty page', () => {
    const connection = toConnection([], { limit: 3, after: ['x'] }, keyOf, toNode, noCount);
    expect(connection.edges).toEqual([]);
    expect(connection.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
  });

  it('counts only when totalCount is awaited', async () => {
    let counted = 0;
    const connection = toConnection(rows(1), { limit: 3, after: null }, keyOf, toNode, () => Promise.resolve(++counted * 42));
    expect(counted).toBe(0);
    await expect(connection.totalCount).resolves.toBe(42);
    expect(counted).toBe(1);
  });
});

describe('lazy', () => {
  it('does not start its work until awaited', async () => {
    let runs = 0;
    const value = lazy(() => Promise.resolve(++runs));
    await Promise.resolve();
    expect(runs).toBe(0);
    expect(await value).toBe(1);
  });

  it('runs its work once when awaited twice', async () => {
    let runs = 0;
    const value = lazy(() => Promise.resolve(++runs));
    expect(await value).toBe(1);
    expect(await value).toBe(1);
    expect(runs).toBe(1);
  });

  it('passes a failure of its work to the awaiter', async () => {
    const value = lazy(() => Promise.reject(new Error('count failed')));
    await expect(Promise.resolve(value)).rejects.toThrow('count failed');
  });
});
