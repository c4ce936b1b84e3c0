import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { testInfrastructure } from '#libs/testing';
import { maskName, maskNameSql, maskPhone } from '../masking.js';

describe('name masking', () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: testInfrastructure().databaseUrl });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
  });

  it('keeps the surname and the last character, as notices in China do', () => {
    expect(maskName('张')).toBe('*');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张三明')).toBe('张*明');
    expect(maskName('欧阳明月')).toBe('欧**月');
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('masks in SQL exactly as in TypeScript, characters outside the BMP included', async () => {
    const names = ['张', '张三', '张三明', '欧阳明月', '𠀋三明', '李𠀋', 'Ann Lee'];
    const { rows } = await client.query(`SELECT name, ${maskNameSql('name')} AS masked FROM unnest($1::text[]) AS name`, [names]);
    expect(rows.map((row) => row.masked)).toEqual(names.map(maskName));
  });
});
