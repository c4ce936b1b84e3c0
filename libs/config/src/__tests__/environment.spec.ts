import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  EnvironmentError,
  baseEnvironment,
  httpsInProductionProblems,
  integer,
  parseEnvironment,
  port,
  postgresUrl,
  redisUrl,
  retrySchedule,
  secret,
} from '../environment.js';
import { DEVELOPMENT_SECRET_NAMES, PUBLISHED_SECRETS, decodePem, generateDevelopmentSecrets } from '../secrets.js';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';

const shape = {
  ...baseEnvironment,
  PORT: port(4001),
  DATABASE_URL: postgresUrl,
  REDIS_URL: redisUrl,
};

const withJwt = { ...shape, JWT_SECRET: secret('JWT_SECRET') };
/** The one secret `shape` requires. */
const signingSecret = { CONTEXT_SIGNING_SECRET: randomBytes(32).toString('hex') };

function errorOf(run: () => unknown): EnvironmentError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentError);
    return error as EnvironmentError;
  }
  throw new Error('expected an EnvironmentError');
}

describe('parseEnvironment', () => {
  it('fills every default when nothing but the secret is set', () => {
    expect(parseEnvironment(shape, signingSecret)).toEqual({
      NODE_ENV: 'development',
      LOG_LEVEL: 'log',
      PORT: 4001,
      DATABASE_URL: DEFAULT_DATABASE_URL,
      REDIS_URL: DEFAULT_REDIS_URL,
      ...signingSecret,
    });
  });

  it('returns the given values, with the port as a number', () => {
    const signing = randomBytes(32).toString('hex');
    const env = parseEnvironment(shape, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      PORT: '5000',
      DATABASE_URL: 'postgresql://app@db:5432/app',
      REDIS_URL: 'rediss://cache:6380',
      CONTEXT_SIGNING_SECRET: signing,
    });
    expect(env).toMatchObject({ NODE_ENV: 'test', LOG_LEVEL: 'debug', PORT: 5000, CONTEXT_SIGNING_SECRET: signing });
    expect(env.DATABASE_URL).toBe('postgresql://app@db:5432/app');
    expect(env.REDIS_URL).toBe('rediss://cache:6380');
  });

  it('lists every bad variable in one error', () => {
    const error = errorOf(() =>
      parseEnvironment(shape, {
        ...signingSecret,
        LOG_LEVEL: 'loud',
        PORT: '70000',
        DATABASE_URL: 'mysql://db/app',
        REDIS_URL: 'http://cache',
      }),
    );
    expect(error.problems).toHaveLength(4);
    for (const name of ['LOG_LEVEL', 'PORT', 'DATABASE_URL', 'REDIS_URL']) {
      expect(error.problems.some((problem) => problem.startsWith(`${name}:`))).toBe(true);
      expect(error.message).toContain(name);
    }
    expect(error.message).toContain('4 problems');
  });

  it('refuses to boot without a secret in every NODE_ENV, naming the variable and how to make one', () => {
    for (const NODE_ENV of ['development', 'test', 'production', undefined]) {
      for (const blank of [undefined, '', '  ']) {
        const error = errorOf(() => parseEnvironment(withJwt, { NODE_ENV, JWT_SECRET: blank }));
        expect(error.problems).toEqual([
          expect.stringMatching(/^CONTEXT_SIGNING_SECRET: required \(no default in any NODE_ENV\).*npm start/),
          expect.stringMatching(/^JWT_SECRET: required/),
        ]);
        expect(error.message).toContain('JWT_SECRET');
      }
    }
  });

  it('refuses every value published in the repository, in every NODE_ENV', () => {
    expect(PUBLISHED_SECRETS).toContain('development-only-jwt-secret-change-me-0123456789');
    for (const NODE_ENV of ['development', 'test', 'production', undefined]) {
      for (const published of PUBLISHED_SECRETS) {
        const error = errorOf(() => parseEnvironment(withJwt, { ...signingSecret, NODE_ENV, JWT_SECRET: published }));
        expect(error.problems).toEqual([expect.stringMatching(/^JWT_SECRET: this value is published in the repository/)]);
        expect(error.message).not.toContain(published);
      }
    }
  });

  it('refuses a secret shorter than 32 characters', () => {
    const error = errorOf(() => parseEnvironment(withJwt, { ...signingSecret, JWT_SECRET: 'short' }));
    expect(error.problems).toEqual([expect.stringMatching(/^JWT_SECRET: .*32/)]);
  });

  it('accepts secrets that are set in production', () => {
    const jwt = randomBytes(32).toString('hex');
    const signing = randomBytes(32).toString('hex');
    const env = parseEnvironment(withJwt, { NODE_ENV: 'production', JWT_SECRET: jwt, CONTEXT_SIGNING_SECRET: signing });
    expect(env.JWT_SECRET).toBe(jwt);
    expect(env.CONTEXT_SIGNING_SECRET).toBe(signing);
  });

  it('reports both a missing secret and one left at the old development value', () => {
    const error = errorOf(() =>
      parseEnvironment(withJwt, { NODE_ENV: 'development', JWT_SECRET: 'development-only-jwt-secret-change-me-0123456789' }),
    );
    expect(error.problems).toHaveLength(2);
    expect(error.problems).toContainEqual(expect.stringMatching(/^JWT_SECRET: this value is published/));
    expect(error.problems).toContainEqual(expect.stringMatching(/^CONTEXT_SIGNING_SECRET: required/));
  });

  it('does not report a good secret as missing because another variable is bad', () => {
    const good = randomBytes(32).toString('hex');
    const error = errorOf(() => parseEnvironment(shape, { NODE_ENV: 'production', PORT: 'abc', CONTEXT_SIGNING_SECRET: good }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^PORT:/);
  });

  it('treats an empty PORT as unset rather than as port 0', () => {
    expect(parseEnvironment(shape, { ...signingSecret, PORT: '' }).PORT).toBe(4001);
  });

  it('only checks secrets that the shape declares', () => {
    const env = parseEnvironment({ NODE_ENV: baseEnvironment.NODE_ENV }, { NODE_ENV: 'production' });
    expect(env).toEqual({ NODE_ENV: 'production' });
  });

  it('requires DATABASE_URL to be a postgres:// URL', () => {
    expect(parseEnvironment(shape, { ...signingSecret, DATABASE_URL: 'postgres://u@h/db' }).DATABASE_URL).toBe('postgres://u@h/db');
    for (const DATABASE_URL of ['mysql://u@h/db', 'redis://h:6379', 'postgres:/missing-slash', 'not a url']) {
      const error = errorOf(() => parseEnvironment(shape, { ...signingSecret, DATABASE_URL }));
      expect(error.problems).toEqual(['DATABASE_URL: must be a postgres:// URL']);
    }
  });

  it('requires REDIS_URL to be a redis:// URL', () => {
    for (const REDIS_URL of ['postgres://h/db', 'http://h:6379', 'localhost:6379']) {
      const error = errorOf(() => parseEnvironment(shape, { ...signingSecret, REDIS_URL }));
      expect(error.problems).toEqual(['REDIS_URL: must be a redis:// URL']);
    }
  });

  it('names a NODE_ENV it does not know', () => {
    const error = errorOf(() => parseEnvironment(shape, { ...signingSecret, NODE_ENV: 'staging' }));
    expect(error.problems).toEqual([expect.stringMatching(/^NODE_ENV: /)]);
  });

  it('reads only the variables of the shape', () => {
    const env = parseEnvironment({ PORT: port(1) }, { PORT: '2', HOME: '/root' });
    expect(env).toEqual({ PORT: 2 });
  });
});

describe('generated development secrets', () => {
  it('are fresh random values every time, and a working Ed25519 pair encoded to fit one env line', () => {
    const [a, b] = [generateDevelopmentSecrets(), generateDevelopmentSecrets()];
    expect(Object.keys(a).sort()).toEqual([...DEVELOPMENT_SECRET_NAMES].sort());
    for (const name of DEVELOPMENT_SECRET_NAMES) {
      expect(a[name]).not.toBe(b[name]);
      expect(a[name]).toMatch(/^[A-Za-z0-9+/=]{32,}$/);
    }
    const privateKey = createPrivateKey(decodePem(a.GATEWAY_SIGNING_KEY));
    const publicKey = createPublicKey(decodePem(a.GATEWAY_VERIFY_KEY));
    expect(decodePem(a.GATEWAY_SIGNING_KEY)).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(decodePem(a.GATEWAY_VERIFY_KEY)).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(privateKey.asymmetricKeyType).toBe('ed25519');
    const signature = sign(null, Buffer.from('body'), privateKey);
    expect(verify(null, Buffer.from('body'), publicKey, signature)).toBe(true);
    expect(verify(null, Buffer.from('body'), createPublicKey(decodePem(b.GATEWAY_VERIFY_KEY)), signature)).toBe(false);
    // A PEM pasted as is (with \n escapes, as some secret stores hand it over) decodes too.
    expect(decodePem(decodePem(a.GATEWAY_VERIFY_KEY).replace(/\n/g, '\\n'))).toBe(decodePem(a.GATEWAY_VERIFY_KEY));
  });
});

describe('the shared setting helpers', () => {
  const helpers = { LIMIT: integer(5, 1, 10), RETRIES: retrySchedule([1, 60]) };

  it('uses the defaults when unset or empty, and reads what is set', () => {
    expect(parseEnvironment(helpers, { LIMIT: '', RETRIES: ' ' })).toEqual({ LIMIT: 5, RETRIES: [1, 60] });
    expect(parseEnvironment(helpers, { LIMIT: '10', RETRIES: '5, 2.5' })).toEqual({ LIMIT: 10, RETRIES: [5, 2.5] });
  });

  it('refuses a number out of range, not whole, or a retry schedule with a wait that is not a positive number up to a week', () => {
    for (const env of [{ LIMIT: '11' }, { LIMIT: '1.5' }, { RETRIES: '5,-1' }, { RETRIES: '5,x' }, { RETRIES: String(8 * 86400) }]) {
      expect(() => parseEnvironment(helpers, env)).toThrow(EnvironmentError);
    }
  });

  it('asks production for an https URL, and nothing of development', () => {
    expect(httpsInProductionProblems('HOOK_URL', undefined, 'development')).toEqual([]);
    expect(httpsInProductionProblems('HOOK_URL', undefined, 'production')).toEqual(['HOOK_URL: required in production']);
    expect(httpsInProductionProblems('HOOK_URL', 'http://hooks.example', 'production')).toEqual(['HOOK_URL: must be https in production']);
    expect(httpsInProductionProblems('HOOK_URL', 'https://hooks.example', 'production')).toEqual([]);
  });
});
