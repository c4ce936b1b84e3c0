import { describe, expect, it } from '@jest/globals';
import { EnvironmentError } from '#libs/config';
import { parseServiceEnvironment } from '../service-environment.js';

describe('HOUSEHOLDS_INTERNAL_URL', () => {
  it('defaults to households on its development port', () => {
    expect(parseServiceEnvironment(4004, {}).HOUSEHOLDS_INTERNAL_URL).toBe('http://127.0.0.1:4002');
    expect(parseServiceEnvironment(4004, { HOUSEHOLDS_INTERNAL_URL: '' }).HOUSEHOLDS_INTERNAL_URL).toBe('http://127.0.0.1:4002');
  });

  it('takes an http(s) URL and refuses anything else at boot', () => {
    expect(parseServiceEnvironment(4004, { HOUSEHOLDS_INTERNAL_URL: 'http://households:4002' }).HOUSEHOLDS_INTERNAL_URL).toBe('http://households:4002');
    expect(() => parseServiceEnvironment(4004, { HOUSEHOLDS_INTERNAL_URL: 'households:4002' })).toThrow(EnvironmentError);
    expect(() => parseServiceEnvironment(4004, { HOUSEHOLDS_INTERNAL_URL: 'ftp://households' })).toThrow(/HOUSEHOLDS_INTERNAL_URL/);
  });
});
