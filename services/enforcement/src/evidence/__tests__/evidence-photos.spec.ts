import { describe, expect, it } from '@jest/globals';
import { EnvironmentError } from '#libs/config';
import { DEFAULT_HOUSEHOLDS_INTERNAL_URL, parseHouseholdsInternalUrl } from '../evidence-photos.js';

describe('HOUSEHOLDS_INTERNAL_URL', () => {
  it("defaults to households' development port, and drops a trailing slash", () => {
    expect(parseHouseholdsInternalUrl({})).toBe(DEFAULT_HOUSEHOLDS_INTERNAL_URL);
    expect(DEFAULT_HOUSEHOLDS_INTERNAL_URL).toBe('http://127.0.0.1:4002');
    expect(parseHouseholdsInternalUrl({ HOUSEHOLDS_INTERNAL_URL: 'http://households:4002/' })).toBe('http://households:4002');
  });

  it.each(['households:4002', 'ftp://households', 'not a url'])('stops the service at boot on %s', (value) => {
    expect(() => parseHouseholdsInternalUrl({ HOUSEHOLDS_INTERNAL_URL: value })).toThrow(EnvironmentError);
  });
});
