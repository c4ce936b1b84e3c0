import { describe, expect, it } from '@jest/globals';
import { checkJobHandlers } from '../handler-check.js';

describe('checkJobHandlers', () => {
  it('finds nothing wrong when each expected job has one handler', () => {
    expect(checkJobHandlers(['territory.changed', 'daily-cycle'], ['daily-cycle', 'territory.changed'])).toEqual([]);
  });

  it('finds nothing wrong when a job is expected from two queues but handled once', () => {
    expect(checkJobHandlers(['territory.changed', 'territory.changed'], ['territory.changed'])).toEqual([]);
  });

  it('reports a job without a handler', () => {
    expect(checkJobHandlers(['territory.changed', 'daily-cycle'], ['territory.changed'])).toEqual(['job "daily-cycle" has no handler']);
  });

  it('reports a job with two handlers', () => {
    expect(checkJobHandlers(['territory.changed'], ['territory.changed', 'territory.changed'])).toEqual([
      'job "territory.changed" has 2 handlers',
    ]);
  });

  it('reports a handler for a job no queue holds', () => {
    expect(checkJobHandlers([], ['territory.renamed'])).toEqual([
      'handler for "territory.renamed", which none of this service\'s queues holds',
    ]);
  });

  it('reports every problem at once', () => {
    const problems = checkJobHandlers(['a', 'b'], ['b', 'b', 'c']);
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringContaining('"a"'), expect.stringContaining('"b"'), expect.stringContaining('"c"')]),
    );
  });
});
