import { describe, expect, it } from '@jest/globals';
import { open311ApiKeyOf } from '../open311-api-key.js';

const KEY = 'wsk_abcdefghij_0123456789012345678901234567890123456789012';
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const json = { 'content-type': 'application/json; charset=utf-8' };

describe('open311ApiKeyOf', () => {
  it('finds the key in the x-api-key header, the query and the body', () => {
    expect(open311ApiKeyOf({ 'x-api-key': KEY }, '', Buffer.alloc(0))).toEqual({ kind: 'key', key: KEY });
    expect(open311ApiKeyOf({}, `service_code=X&api_key=${encodeURIComponent(KEY)}`, Buffer.alloc(0))).toEqual({ kind: 'key', key: KEY });
    expect(open311ApiKeyOf(form, '', Buffer.from(`service_code=BAG_DUMPED&api_key=${encodeURIComponent(KEY)}&lat=29.8`))).toEqual({
      kind: 'key',
      key: KEY,
    });
    expect(open311ApiKeyOf(json, '', Buffer.from(JSON.stringify({ service_code: 'BAG_DUMPED', api_key: KEY })))).toEqual({
      kind: 'key',
      key: KEY,
    });
  });

  it('finds none in a request without one', () => {
    expect(open311ApiKeyOf(form, 'service_code=X', Buffer.from('service_code=BAG_DUMPED&lat=29.8&long=121.5'))).toEqual({ kind: 'none' });
    expect(open311ApiKeyOf(json, '', Buffer.from('{"service_code":"BAG_DUMPED"}'))).toEqual({ kind: 'none' });
    expect(open311ApiKeyOf({}, '', Buffer.alloc(0))).toEqual({ kind: 'none' });
  });

  it('leaves a body it cannot read to enforcement: malformed JSON, a JSON list, another content type', () => {
    expect(open311ApiKeyOf(json, '', Buffer.from('{"api_key": '))).toEqual({ kind: 'none' });
    expect(open311ApiKeyOf(json, '', Buffer.from(JSON.stringify([{ api_key: KEY }])))).toEqual({ kind: 'none' });
    expect(open311ApiKeyOf({ 'content-type': 'text/plain' }, '', Buffer.from(`api_key=${KEY}`))).toEqual({ kind: 'none' });
    expect(open311ApiKeyOf({}, '', Buffer.from(`api_key=${KEY}`))).toEqual({ kind: 'none' });
  });

  it('accepts the same key in several places, and refuses different ones or a key that is not a string', () => {
    expect(open311ApiKeyOf({ ...form, 'x-api-key': KEY }, `api_key=${KEY}`, Buffer.from(`api_key=${KEY}`))).toEqual({
      kind: 'key',
      key: KEY,
    });
    expect(open311ApiKeyOf({ 'x-api-key': KEY }, 'api_key=other', Buffer.alloc(0))).toMatchObject({ kind: 'refused' });
    expect(open311ApiKeyOf(form, '', Buffer.from('api_key=a&api_key=b'))).toMatchObject({ kind: 'refused' });
    expect(open311ApiKeyOf(json, '', Buffer.from('{"api_key": 42}'))).toEqual({ kind: 'refused', description: 'api_key must be a string' });
  });

  it('takes an empty api_key as none, as clients built for keyless servers send it', () => {
    expect(open311ApiKeyOf(form, 'api_key=', Buffer.from('api_key=&service_code=X'))).toEqual({ kind: 'none' });
    expect(open311ApiKeyOf(form, '', Buffer.from(`api_key=&api_key=${KEY}`))).toEqual({ kind: 'key', key: KEY });
  });
});
