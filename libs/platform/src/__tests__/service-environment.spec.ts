import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { EnvironmentError, PUBLISHED_SECRETS } from '#libs/config';
import { parseServiceEnvironment } from '../service-environment.js';

const CONTEXT_SIGNING_SECRET = randomBytes(32).toString('hex');

describe('HOUSEHOLDS_INTERNAL_URL', () => {
  it('defaults to households on its development port', () => {
    expect(parseServiceEnvironment(4004, { CONTEXT_SIGNING_SECRET }).HOUSEHOLDS_INTERNAL_URL).toBe('http://127.0.0.1:4002');
    expect(parseServiceEnvironment(4004, { CONTEXT_SIGNING_SECRET, HOUSEHOLDS_INTERNAL_URL: '' }).HOUSEHOLDS_INTERNAL_URL).toBe(
      'http://127.0.0.1:4002',
    );
  });

  it('takes an http(s) URL and refuses anything else at boot', () => {
    expect(
      parseServiceEnvironment(4004, { CONTEXT_SIGNING_SECRET, HOUSEHOLDS_INTERNAL_URL: 'http://households:4002' }).HOUSEHOLDS_INTERNAL_URL,
    ).toBe('http://households:4002');
    expect(() => parseServiceEnvironment(4004, { CONTEXT_SIGNING_SECRET, HOUSEHOLDS_INTERNAL_URL: 'households:4002' })).toThrow(
      EnvironmentError,
    );
    expect(() => parseServiceEnvironment(4004, { CONTEXT_SIGNING_SECRET, HOUSEHOLDS_INTERNAL_URL: 'ftp://households' })).toThrow(
      /HOUSEHOLDS_INTERNAL_URL/,
    );
  });
});

describe('CONTEXT_SIGNING_SECRET', () => {
  it('has no default in any NODE_ENV: a service without it refuses to boot, naming it', () => {
    for (const NODE_ENV of ['development', 'test', 'production', undefined]) {
      expect(() => parseServiceEnvironment(4004, { NODE_ENV })).toThrow(/CONTEXT_SIGNING_SECRET: required/);
    }
  });

  it('refuses every value published in the repository, in every NODE_ENV', () => {
    for (const NODE_ENV of ['development', 'test', 'production']) {
      for (const published of PUBLISHED_SECRETS) {
        expect(() => parseServiceEnvironment(4004, { NODE_ENV, CONTEXT_SIGNING_SECRET: published })).toThrow(
          /CONTEXT_SIGNING_SECRET: this value is published/,
        );
      }
    }
  });
});

describe('LISTEN_HOST and GATEWAY_VERIFY_KEY', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const base64 = (pem: string | Buffer) => Buffer.from(pem).toString('base64');

  it('listens on loopback unless told otherwise', () => {
    expect(parseServiceEnvironment(4004, { CONTEXT_SIGNING_SECRET }).LISTEN_HOST).toBe('127.0.0.1');
    expect(parseServiceEnvironment(4004, { CONTEXT_SIGNING_SECRET, LISTEN_HOST: '' }).LISTEN_HOST).toBe('127.0.0.1');
    expect(parseServiceEnvironment(4004, { CONTEXT_SIGNING_SECRET, LISTEN_HOST: '0.0.0.0' }).LISTEN_HOST).toBe('0.0.0.0');
  });

  it("takes the gateway's public key and refuses its private key or anything else, naming the variable", () => {
    const key = parseServiceEnvironment(4004, {
      CONTEXT_SIGNING_SECRET,
      GATEWAY_VERIFY_KEY: base64(publicKey.export({ type: 'spki', format: 'pem' })),
    }).GATEWAY_VERIFY_KEY;
    expect(key?.asymmetricKeyType).toBe('ed25519');
    const privatePem = base64(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => parseServiceEnvironment(4004, { CONTEXT_SIGNING_SECRET, GATEWAY_VERIFY_KEY: privatePem })).toThrow(
      /GATEWAY_VERIFY_KEY: must be base64 of a PEM SPKI public key/,
    );
    expect(() => parseServiceEnvironment(4004, { CONTEXT_SIGNING_SECRET, GATEWAY_VERIFY_KEY: 'secret' })).toThrow(/GATEWAY_VERIFY_KEY/);
  });
});
