import { describe, expect, it } from '@jest/globals';
import { EnvironmentError } from '#libs/config';
import { verifyExportSignature, signExport } from '../credit-export-signature.js';
import { DEFAULT_RETRY_SCHEDULE_SECONDS, parseCreditExportSettings } from '../credit-export-settings.js';

const SECRET = 'a-credit-export-secret-of-32-characters-or-more';

describe('credit export settings', () => {
  it('leaves exports queued when no endpoint is configured outside production', () => {
    expect(parseCreditExportSettings({ NODE_ENV: 'development' })).toEqual({
      url: null,
      secret: null,
      retrySchedule: DEFAULT_RETRY_SCHEDULE_SECONDS,
      timeoutMs: 10_000,
    });
  });

  it('reads the endpoint, secret, retry schedule and timeout', () => {
    expect(
      parseCreditExportSettings({
        NODE_ENV: 'production',
        CREDIT_EXPORT_URL: 'https://credit.example.gov.cn/records',
        CREDIT_EXPORT_SECRET: SECRET,
        CREDIT_EXPORT_RETRY_SCHEDULE_SECONDS: '10, 20',
        CREDIT_EXPORT_TIMEOUT_MS: '2000',
      }),
    ).toEqual({ url: 'https://credit.example.gov.cn/records', secret: SECRET, retrySchedule: [10, 20], timeoutMs: 2000 });
  });

  it.each([
    ['an endpoint without a secret', { CREDIT_EXPORT_URL: 'http://127.0.0.1:9000/' }, 'CREDIT_EXPORT_SECRET'],
    ['a short secret', { CREDIT_EXPORT_URL: 'http://127.0.0.1:9000/', CREDIT_EXPORT_SECRET: 'short' }, 'CREDIT_EXPORT_SECRET'],
    ['no endpoint in production', { NODE_ENV: 'production' }, 'CREDIT_EXPORT_URL'],
    [
      'plain http in production',
      { NODE_ENV: 'production', CREDIT_EXPORT_URL: 'http://credit.example/', CREDIT_EXPORT_SECRET: SECRET },
      'CREDIT_EXPORT_URL',
    ],
    ['not a URL', { CREDIT_EXPORT_URL: 'credit-system', CREDIT_EXPORT_SECRET: SECRET }, 'CREDIT_EXPORT_URL'],
    ['a bad retry schedule', { CREDIT_EXPORT_RETRY_SCHEDULE_SECONDS: '10,-1' }, 'CREDIT_EXPORT_RETRY_SCHEDULE_SECONDS'],
  ])('stops the boot on %s', (_case, env, variable) => {
    expect(() => parseCreditExportSettings(env)).toThrow(EnvironmentError);
    expect(() => parseCreditExportSettings(env)).toThrow(variable);
  });

  it('signs the timestamp and body so that a receiver can verify them', () => {
    const body = '{"exportId":"x"}';
    const signature = signExport(SECRET, 1_700_000_000, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyExportSignature(SECRET, '1700000000', body, signature)).toBe(true);
    expect(verifyExportSignature(SECRET, '1700000001', body, signature)).toBe(false);
    expect(verifyExportSignature(SECRET, '1700000000', `${body} `, signature)).toBe(false);
  });
});
