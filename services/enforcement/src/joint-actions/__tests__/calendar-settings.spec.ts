import { describe, expect, it } from '@jest/globals';
import { EnvironmentError } from '#libs/config';
import { DEFAULT_PUBLIC_GATEWAY_URL, parseCalendarSettings } from '../calendar-settings.js';

describe('calendar settings', () => {
  it('uses the gateway npm start runs outside production', () => {
    expect(parseCalendarSettings({ NODE_ENV: 'development' })).toEqual({ publicGatewayUrl: DEFAULT_PUBLIC_GATEWAY_URL });
  });

  it('takes the public origin, with or without a trailing slash', () => {
    expect(parseCalendarSettings({ NODE_ENV: 'production', PUBLIC_GATEWAY_URL: 'https://waste.example.gov.cn/' })).toEqual({
      publicGatewayUrl: 'https://waste.example.gov.cn',
    });
  });

  it.each([
    ['no address in production', { NODE_ENV: 'production' }],
    ['plain http in production', { NODE_ENV: 'production', PUBLIC_GATEWAY_URL: 'http://waste.example.gov.cn' }],
    ['a path', { PUBLIC_GATEWAY_URL: 'https://waste.example.gov.cn/api' }],
    ['not a URL', { PUBLIC_GATEWAY_URL: 'waste.example.gov.cn' }],
  ])('stops the boot on %s', (_case, env) => {
    expect(() => parseCalendarSettings(env)).toThrow(EnvironmentError);
    expect(() => parseCalendarSettings(env)).toThrow(/PUBLIC_GATEWAY_URL/);
  });
});
