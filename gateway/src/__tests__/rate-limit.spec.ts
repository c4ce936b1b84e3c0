import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { Request } from 'express';
import { parseGatewayEnvironment } from '../gateway-environment.js';
import { clientAddress } from '../rate-limit.js';

const secrets = { JWT_SECRET: randomBytes(32).toString('hex'), CONTEXT_SIGNING_SECRET: randomBytes(32).toString('hex') };
const production = { ...secrets, NODE_ENV: 'production', OIDC_ISSUER: 'https://id.example.gov.cn', OIDC_AUDIENCE: 'waste-sorting' };

describe('rate-limit and header settings', () => {
  it('has documented defaults: per user and institution for staff, per address only for the public routes', () => {
    const env = parseGatewayEnvironment({ ...secrets, NODE_ENV: 'test' });
    expect(env).toMatchObject({
      TRUST_PROXY: false,
      RATE_LIMIT_PREFIX: 'waste:ratelimit',
      CORS_ORIGINS: '*',
      GRAPHQL_REQUESTS_PER_USER_MINUTE: 600,
      GRAPHQL_REQUESTS_PER_INSTITUTION_MINUTE: 1200,
      UPLOADS_PER_USER_MINUTE: 60,
      ENROLMENTS_PER_ADDRESS_HOUR: 20,
      OPEN311_POSTS_PER_HOUR: 30,
      OPEN311_GETS_PER_MINUTE: 120,
      OPEN311_KEYED_POSTS_PER_HOUR: 600,
    });
    expect(
      parseGatewayEnvironment({ ...secrets, NODE_ENV: 'test', UPLOADS_PER_USER_MINUTE: '', GRAPHQL_REQUESTS_PER_USER_MINUTE: '50' }),
    ).toMatchObject({ UPLOADS_PER_USER_MINUTE: 60, GRAPHQL_REQUESTS_PER_USER_MINUTE: 50 });
    for (const bad of ['0', '-1', '2.5', 'many']) {
      expect(() => parseGatewayEnvironment({ ...secrets, NODE_ENV: 'test', GRAPHQL_REQUESTS_PER_USER_MINUTE: bad })).toThrow(
        /GRAPHQL_REQUESTS_PER_USER_MINUTE/,
      );
    }
  });

  it('reads TRUST_PROXY as Express does, and refuses trusting every hop', () => {
    const trust = (value: string) => parseGatewayEnvironment({ ...secrets, NODE_ENV: 'test', TRUST_PROXY: value }).TRUST_PROXY;
    expect([trust(''), trust('false'), trust('0')]).toEqual([false, false, false]);
    expect(trust('2')).toBe(2);
    expect(trust('loopback, 10.0.0.0/8, 2001:db8::1')).toEqual(['loopback', '10.0.0.0/8', '2001:db8::1']);
    for (const bad of ['true', 'proxy.example', '10.0.0.0/33']) expect(() => trust(bad)).toThrow(/TRUST_PROXY/);
  });

  it('requires CORS_ORIGINS in production, as a list of origins, and names the variable', () => {
    expect(() => parseGatewayEnvironment(production)).toThrow(/CORS_ORIGINS: required when NODE_ENV=production/);
    expect(() => parseGatewayEnvironment({ ...production, CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS: \* is not allowed/);
    expect(() => parseGatewayEnvironment({ ...production, CORS_ORIGINS: 'app.example.gov.cn' })).toThrow(
      /CORS_ORIGINS: .*not an origin: app.example.gov.cn/,
    );
    // Reported with the other problems, in one go.
    expect(() => parseGatewayEnvironment({ ...production, PORT: 'x' })).toThrow(/PORT[\s\S]*CORS_ORIGINS/);
    expect(
      parseGatewayEnvironment({ ...production, CORS_ORIGINS: 'https://app.example.gov.cn, https://big-screen.example.gov.cn:8443/' })
        .CORS_ORIGINS,
    ).toEqual(['https://app.example.gov.cn', 'https://big-screen.example.gov.cn:8443']);
  });

  it('counts an IPv4 address as itself in either form, and an IPv6 address by its /64', () => {
    const of = (ip: string) => clientAddress({ ip, socket: {} } as unknown as Request);
    expect(of('203.0.113.7')).toBe('203.0.113.7');
    expect(of('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(of('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(of('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(of('2001:db8::1')).toBe('2001:db8:0:0::/64');
  });
});
