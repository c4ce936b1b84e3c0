import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '#libs/errors';
import { domainErrorOf } from '#libs/testing';
import { ParseUuidPipe, requireUuid } from '../parse-uuid.pipe.js';

const ID = '4a1f4c1e-9d0b-4f3e-8a51-0c6a3c1b2d7e';

describe('requireUuid', () => {
  it('returns a valid UUID in lower case', () => {
    expect(requireUuid(ID, 'id')).toBe(ID);
    expect(requireUuid(ID.toUpperCase(), 'id')).toBe(ID);
  });

  it.each<unknown>(['', 'street-1', `${ID}0`, ` ${ID}`, ID.replaceAll('-', ''), 'g'.repeat(8) + ID.slice(8), 42, null])(
    'rejects %p as INVALID_ID naming the field',
    (value) => {
      const error = domainErrorOf(() => requireUuid(value, 'orgUnitId'));
      expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect(error.reason).toBe('INVALID_ID');
      expect(error.message).toContain('orgUnitId');
      expect(error.details).toEqual({ field: 'orgUnitId' });
    },
  );
});

describe('ParseUuidPipe', () => {
  const pipe = new ParseUuidPipe();

  it('lower-cases a single id or a list of ids and lets null through', () => {
    expect(pipe.transform(ID.toUpperCase(), { type: 'query', data: 'id' })).toBe(ID);
    expect(pipe.transform([ID.toUpperCase(), ID], { type: 'query', data: 'ids' })).toEqual([ID, ID]);
    expect(pipe.transform(null, { type: 'query', data: 'id' })).toBeNull();
  });

  it('rejects a list with one bad id, naming the argument', () => {
    expect(domainErrorOf(() => pipe.transform([ID, 'nope'], { type: 'query', data: 'ids' })).details).toEqual({ field: 'ids' });
  });
});
