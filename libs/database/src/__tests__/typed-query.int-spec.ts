import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { testInfrastructure } from '#libs/testing';
import { execute, queryFirst, queryOne, queryRows } from '../index.js';

// TypeORM answers UPDATE and DELETE with [rows, count]; the helpers must give rows and counts the same way for every
// statement, on a DataSource, an EntityManager and a QueryRunner alike.
describe('typed queries', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await new DataSource({ type: 'postgres', url: testInfrastructure().databaseUrl }).initialize();
  });
  afterAll(async () => dataSource.destroy());

  it('returns rows for SELECT, INSERT and UPDATE … RETURNING, and counts for UPDATE and DELETE', async () => {
    await dataSource.transaction(async (manager) => {
      await execute(manager, `CREATE TEMP TABLE typed_query_probe (id int PRIMARY KEY, name text NOT NULL) ON COMMIT DROP`);
      const inserted = await queryRows<{ id: number }>(manager, `INSERT INTO typed_query_probe VALUES (1, 'a'), (2, 'b') RETURNING id`);
      expect(inserted.map((r) => r.id).sort()).toEqual([1, 2]);

      const updated = await queryRows<{ id: number; name: string }>(
        manager,
        `UPDATE typed_query_probe SET name = upper(name) WHERE id = $1 RETURNING id, name`,
        [2],
      );
      expect(updated).toEqual([{ id: 2, name: 'B' }]);
      expect(await execute(manager, `UPDATE typed_query_probe SET name = name || '!'`)).toBe(2);
      expect(await queryFirst<{ name: string }>(manager, `SELECT name FROM typed_query_probe WHERE id = $1`, [3])).toBeUndefined();
      expect(await queryOne<{ n: number }>(manager, `SELECT count(*)::int AS n FROM typed_query_probe`)).toEqual({ n: 2 });
      expect(await execute(manager, `DELETE FROM typed_query_probe WHERE id = $1`, [1])).toBe(1);
      await expect(queryOne(manager, `SELECT 1 FROM typed_query_probe WHERE false`)).rejects.toThrow(/Expected a row/);
    });
  });

  it('works on a QueryRunner and a DataSource', async () => {
    const runner = dataSource.createQueryRunner();
    try {
      expect(await queryOne<{ two: number }>(runner, `SELECT 1 + $1::int AS two`, [1])).toEqual({ two: 2 });
    } finally {
      await runner.release();
    }
    expect(await queryRows<{ x: number }>(dataSource, `SELECT unnest(ARRAY[1, 2]) AS x`)).toEqual([{ x: 1 }, { x: 2 }]);
  });
});
