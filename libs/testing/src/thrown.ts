import { expect } from '@jest/globals';
import { EnvironmentError } from '#libs/config';
import { DomainError } from '#libs/errors';

/** What `run` throws, which must be an instance of `type`; the test fails when it throws nothing or something else. */
export function thrown<E extends Error>(type: abstract new (...args: never[]) => E, run: () => unknown): E {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected ${type.name} to be thrown`);
}

/** The problems of the EnvironmentError that parsing settings throws: every bad variable, listed at once. */
export const problemsOf = (run: () => unknown): string[] => thrown(EnvironmentError, run).problems;

/** The DomainError a check throws (its code, reason and message are what a client branches on). */
export const domainErrorOf = (run: () => unknown): DomainError => thrown(DomainError, run);
