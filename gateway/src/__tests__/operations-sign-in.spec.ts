import { describe, expect, it } from '@jest/globals';
import { readFlow, returnPath, sameText } from '../operations-oidc-client.js';

describe('the dashboard sign-in', () => {
  it('returns only to pages of the dashboard, by plain paths: never elsewhere, never markup', () => {
    expect(returnPath('/operations/queues/queue/households-events?status=failed')).toBe(
      '/operations/queues/queue/households-events?status=failed',
    );
    expect(returnPath('/operations/queues')).toBe('/operations/queues');
    for (const unwanted of [
      'https://elsewhere.example/operations/queues/',
      '//elsewhere.example/operations/queues/',
      '/operations/queues//elsewhere.example',
      '/operations/queuesx',
      '/graphql',
      '/operations/queues/"><script>alert(1)</script>',
      ['/operations/queues/'],
      undefined,
    ]) {
      expect(returnPath(unwanted)).toBe('/operations/queues/');
    }
  });

  it('reads only a flow cookie it wrote, and compares states exactly', () => {
    const cookie = Buffer.from(JSON.stringify({ state: 's1', verifier: 'v1', back: '/graphql' })).toString('base64url');
    expect(readFlow(cookie)).toEqual({ state: 's1', verifier: 'v1', back: '/operations/queues/' });
    expect(readFlow('not-json')).toBeUndefined();
    expect(readFlow(undefined)).toBeUndefined();
    expect(sameText('abc', 'abc')).toBe(true);
    expect(sameText('abc', 'abd')).toBe(false);
    expect(sameText('', '')).toBe(false);
  });
});
