import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  DEVELOPMENT_SECRETS,
  EnvironmentError,
  baseEnvironment,
  parseEnvironment,
  port,
  postgresUrl,
  redisUrl,
  secret,
} from '../environment.js';

const shape = {
  ...baseEnvironment,
  PORT: port(4001),
  DATABASE_URL: postgresUrl,
  REDIS_URL: redisUrl,
};

const withJwt = { ...shape, JWT_SECRET: secret('JWT_SECRET') };

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
  it('fills every default when nothing is set', () => {
    expect(parseEnvironment(shape, {})).toEqual({
      NODE_ENV: 'development',
      LOG_LEVEL: 'log',
      PORT: 4001,
      DATABASE_URL: DEFAULT_DATABASE_URL,
      REDIS_URL: DEFAULT_REDIS_URL,
      CONTEXT_SIGNING_SECRET: DEVELOPMENT_SECRETS.CONTEXT_SIGNING_SECRET,
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
      parseEnvironment(shape, { LOG_LEVEL: 'loud', PORT: '70000', DATABASE_URL: 'mysql://db/app', REDIS_URL: 'http://cache' }),
    );
    expect(error.problems).toHaveLength(4);
    for (const name of ['LOG_LEVEL', 'PORT', 'DATABASE_URL', 'REDIS_URL']) {
      expect(error.problems.some((problem) => problem.startsWith(`${name}:`))).toBe(true);
      expect(error.message).toContain(name);
    }
    expect(error.message).toContain('4 problems');
  });

  it('gives unset secrets their development value outside production', () => {
    for (const NODE_ENV of ['development', 'test', undefined]) {
      const env = parseEnvironment(withJwt, { NODE_ENV });
      expect(env.JWT_SECRET).toBe(DEVELOPMENT_SECRETS.JWT_SECRET);
      expect(env.CONTEXT_SIGNING_SECRET).toBe(DEVELOPMENT_SECRETS.CONTEXT_SIGNING_SECRET);
    }
  });

  it('refuses a secret shorter than 32 characters', () => {
    const error = errorOf(() => parseEnvironment(withJwt, { JWT_SECRET: 'short' }));
    expect(error.problems).toEqual([expect.stringMatching(/^JWT_SECRET: .*32/)]);
  });

  it('accepts secrets that are set in production', () => {
    const jwt = randomBytes(32).toString('hex');
    const signing = randomBytes(32).toString('hex');
    const env = parseEnvironment(withJwt, { NODE_ENV: 'production', JWT_SECRET: jwt, CONTEXT_SIGNING_SECRET: signing });
    expect(env.JWT_SECRET).toBe(jwt);
    expect(env.CONTEXT_SIGNING_SECRET).toBe(signing);
  });

  it('in production reports both a missing secret and one left at its development value', () => {
    const error = errorOf(() =>
      parseEnvironment(withJwt, { NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_SECRETS.JWT_SECRET }),
    );
    expect(error.problems).toHaveLength(2);
    expect(error.problems).toContainEqual(expect.stringMatching(/^JWT_SECRET: the development value is not allowed/));
    expect(error.problems).toContainEqual(expect.stringMatching(/^CONTEXT_SIGNING_SECRET: required/));
  });

  it('in production does not report a good secret as missing because another variable is bad', () => {
    const good = randomBytes(32).toString('hex');
    const error = errorOf(() => parseEnvironment(shape, { NODE_ENV: 'production', PORT: 'abc', CONTEXT_SIGNING_SECRET: good }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^PORT:/);
  });

  it('treats an empty PORT as unset rather than as port 0', () => {
    expect(parseEnvironment(shape, { PORT: '' }).PORT).toBe(4001);
  });

  it('only checks secrets that the shape declares', () => {
    const env = parseEnvironment({ NODE_ENV: baseEnvironment.NODE_ENV }, { NODE_ENV: 'production' });
    expect(env).toEqual({ NODE_ENV: 'production' });
  });

  it('requires DATABASE_URL to be a postgres:// URL', () => {
    expect(parseEnvironment(shape, { DATABASE_URL: 'postgres://u@h/db' }).DATABASE_URL).toBe('postgres://u@h/db');
    for (const DATABASE_URL of ['mysql://u@h/db', 'redis://h:6379', 'postgres:/missing-slash', 'not a url']) {
      const error = errorOf(() => parseEnvironment(shape, { DATABASE_URL }));
      expect(error.problems).toEqual(['DATABASE_URL: must be a postgres:// URL']);
    }
  });

  it('requires REDIS_URL to be a redis:// URL', () => {
    for (const REDIS_URL of ['postgres://h/db', 'http://h:6379', 'localhost:6379']) {
      const error = errorOf(() => parseEnvironment(shape, { REDIS_URL }));
      expect(error.problems).toEqual(['REDIS_URL: must be a redis:// URL']);
    }
  });

  it('names a NODE_ENV it does not know', () => {
    const error = errorOf(() => parseEnvironment(shape, { NODE_ENV: 'staging' }));
    expect(error.problems).toEqual([expect.stringMatching(/^NODE_ENV: /)]);
  });

  it('reads only the variables of the shape', () => {
    const env = parseEnvironment({ PORT: port(1) }, { PORT: '2', HOME: '/root' } as Record<string, string>);
    expect(env).toEqual({ PORT: 2 });
  });
});
