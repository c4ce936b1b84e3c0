import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '#libs/errors';
import { domainErrorOf } from '#libs/testing';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, keysetAfter, pageRequest } from '../page.js';

describe('pageRequest', () => {
  it('defaults to 50 rows from the start', () => {
    expect(DEFAULT_PAGE_SIZE).toBe(50);
    expect(pageRequest({}, 2)).toEqual({ limit: 50, after: null });
    expect(pageRequest({ first: null, after: null }, 2)).toEqual({ limit: 50, after: null });
  });

  it('accepts 1 and 500', () => {
    expect(pageRequest({ first: 1 }, 1).limit).toBe(1);
    expect(pageRequest({ first: 500 }, 1).limit).toBe(500);
  });

  it.each([0, -1, 501, 2.5, Number.NaN])('rejects first = %p as out of range', (first) => {
    const error = domainErrorOf(() => pageRequest({ first }, 1));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.reason).toBe('PAGE_SIZE_OUT_OF_RANGE');
  });

  it('decodes the after cursor into the sort key', () => {
    const after = encodeCursor(['东湖花园', 7]);
    expect(pageRequest({ first: 10, after }, 2)).toEqual({ limit: 10, after: ['东湖花园', 7] });
  });
});

describe('cursors', () => {
  it('round-trip a key of strings and numbers', () => {
    const key = ['2026-01-01', 3.5, 'a1b2c3d4-0000-4000-8000-000000000000'];
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 3)).toEqual(key);
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['JSON that is not an array', Buffer.from('{"a":1}').toString('base64url')],
    ['a key with a null in it', encodeCursor(['a', null])],
    ['a key of the wrong length', encodeCursor(['a', 1, 2])],
  ])('rejects %s as INVALID_CURSOR', (_label, cursor) => {
    const error = domainErrorOf(() => decodeCursor(cursor, 2));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.reason).toBe('INVALID_CURSOR');
  });

  it('rejects a bad cursor passed to pageRequest', () => {
    expect(domainErrorOf(() => pageRequest({ after: encodeCursor(['a']) }, 2)).reason).toBe('INVALID_CURSOR');
  });
});

describe('keysetAfter', () => {
  it('compares the sort columns as a row against placeholders from addParam', () => {
    const params: unknown[] = [];
    const addParam = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    expect(keysetAfter(['name', 'id'], ['东湖花园', 'x'], addParam)).toBe('(name, id) > ($1, $2)');
    expect(params).toEqual(['东湖花园', 'x']);
  });

  it('continues numbering from placeholders already registered', () => {
    const params: unknown[] = ['existing'];
    const sql = keysetAfter(['a', 'b'], [1, 2], (value) => `$${params.push(value)}`);
    expect(sql).toBe('(a, b) > ($2, $3)');
  });
});
