import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { problemsOf } from '#libs/testing';
import { DEFAULT_RETRY_SCHEDULE_SECONDS, parseWebhookSettings } from '../webhook-settings.js';

/** The one variable without a default. */
const WEBHOOK_SECRET_KEY = randomBytes(32).toString('hex');

describe('webhook settings from the environment', () => {
  it('has working defaults for development, given the secret key', () => {
    expect(parseWebhookSettings({ WEBHOOK_SECRET_KEY })).toEqual({
      production: false,
      allowedHosts: new Set(),
      maxEndpointsPerInstitution: 5,
      concurrency: 16,
      retrySchedule: DEFAULT_RETRY_SCHEDULE_SECONDS,
      timeoutMs: 15_000,
      leaseSeconds: 60,
      secretKey: WEBHOOK_SECRET_KEY,
    });
  });

  it('reads every variable', () => {
    const settings = parseWebhookSettings({
      WEBHOOK_SECRET_KEY,
      WEBHOOK_ALLOWED_HOSTS: ' 127.0.0.1, Receiver.Local ,[::1]',
      WEBHOOK_CONCURRENCY: '4',
      WEBHOOK_RETRY_SCHEDULE_SECONDS: '1, 1,2.5',
      WEBHOOK_TIMEOUT_MS: '500',
      WEBHOOK_LEASE_SECONDS: '10',
      WEBHOOK_MAX_ENDPOINTS_PER_INSTITUTION: '2',
    });
    expect(settings).toMatchObject({
      concurrency: 4,
      retrySchedule: [1, 1, 2.5],
      timeoutMs: 500,
      leaseSeconds: 10,
      maxEndpointsPerInstitution: 2,
    });
    expect([...settings.allowedHosts]).toEqual(['127.0.0.1', 'receiver.local', '::1']);
  });

  it('lists every bad variable in one error', () => {
    const problems = problemsOf(() =>
      parseWebhookSettings({
        WEBHOOK_SECRET_KEY,
        WEBHOOK_ALLOWED_HOSTS: 'ok.example,bad host',
        WEBHOOK_CONCURRENCY: '0',
        WEBHOOK_RETRY_SCHEDULE_SECONDS: '5,x',
        WEBHOOK_TIMEOUT_MS: 'soon',
      }),
    );
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'WEBHOOK_ALLOWED_HOSTS',
      'WEBHOOK_CONCURRENCY',
      'WEBHOOK_RETRY_SCHEDULE_SECONDS',
      'WEBHOOK_TIMEOUT_MS',
    ]);
  });

  it('wants the lease to outlast three rounds of requests, the most a claimed delivery can wait and run', () => {
    expect(
      problemsOf(() => parseWebhookSettings({ WEBHOOK_SECRET_KEY, WEBHOOK_TIMEOUT_MS: '15000', WEBHOOK_LEASE_SECONDS: '10' })),
    ).toEqual([expect.stringMatching(/^WEBHOOK_LEASE_SECONDS: /)]);
    expect(
      problemsOf(() => parseWebhookSettings({ WEBHOOK_SECRET_KEY, WEBHOOK_TIMEOUT_MS: '15000', WEBHOOK_LEASE_SECONDS: '49' })),
    ).toHaveLength(1);
    expect(parseWebhookSettings({ WEBHOOK_SECRET_KEY, WEBHOOK_TIMEOUT_MS: '15000', WEBHOOK_LEASE_SECONDS: '50' })).toMatchObject({
      timeoutMs: 15000,
      leaseSeconds: 50,
    });
  });

  it('refuses the private-address allowlist in production, with the other problems', () => {
    const key = randomBytes(32).toString('hex');
    expect(problemsOf(() => parseWebhookSettings({ WEBHOOK_SECRET_KEY: key, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' }, 'production'))).toEqual([
      expect.stringMatching(/^WEBHOOK_ALLOWED_HOSTS: not allowed when NODE_ENV=production/),
    ]);
    expect(
      problemsOf(() => parseWebhookSettings({ NODE_ENV: 'production', WEBHOOK_ALLOWED_HOSTS: 'receiver.local' })).map(
        (p) => p.split(':')[0],
      ),
    ).toEqual(['WEBHOOK_SECRET_KEY', 'WEBHOOK_ALLOWED_HOSTS']);
    expect(parseWebhookSettings({ WEBHOOK_SECRET_KEY: key, WEBHOOK_ALLOWED_HOSTS: ' ' }, 'production').allowedHosts).toEqual(new Set());
    for (const bad of ['0', '101', 'x']) {
      expect(problemsOf(() => parseWebhookSettings({ WEBHOOK_SECRET_KEY: key, WEBHOOK_MAX_ENDPOINTS_PER_INSTITUTION: bad }))).toEqual([
        expect.stringMatching(/^WEBHOOK_MAX_ENDPOINTS_PER_INSTITUTION/),
      ]);
    }
  });

  it('requires a WEBHOOK_SECRET_KEY of its own in every NODE_ENV, and says whether the schema build or the service runs', () => {
    for (const NODE_ENV of ['production', 'development', 'test']) {
      expect(problemsOf(() => parseWebhookSettings({ NODE_ENV }))).toEqual([expect.stringMatching(/^WEBHOOK_SECRET_KEY: required/)]);
      expect(
        problemsOf(() => parseWebhookSettings({ WEBHOOK_SECRET_KEY: 'development-only-webhook-secret-key-0123456789' }, NODE_ENV)),
      ).toEqual([expect.stringMatching(/^WEBHOOK_SECRET_KEY: this value is published in the repository/)]);
    }
    expect(problemsOf(() => parseWebhookSettings({ WEBHOOK_SECRET_KEY: 'short' }))).toEqual([
      expect.stringMatching(/^WEBHOOK_SECRET_KEY: .*32/),
    ]);
    expect(parseWebhookSettings({ NODE_ENV: 'production', WEBHOOK_SECRET_KEY })).toMatchObject({
      production: true,
      secretKey: WEBHOOK_SECRET_KEY,
    });
    expect(parseWebhookSettings({ NODE_ENV: 'production', WEBHOOK_SECRET_KEY }, 'development').production).toBe(false);
  });
});
