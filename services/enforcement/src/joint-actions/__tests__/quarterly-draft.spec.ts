import { describe, expect, it } from '@jest/globals';
import { nextQuarter } from '../jobs/quarterly-action-draft.job.js';

describe('nextQuarter', () => {
  it.each([
    ['2034-01-01', { year: 2034, number: 2, startsOn: '2034-04-01', endsOn: '2034-06-30' }],
    ['2034-03-18', { year: 2034, number: 2, startsOn: '2034-04-01', endsOn: '2034-06-30' }],
    ['2034-06-30', { year: 2034, number: 3, startsOn: '2034-07-01', endsOn: '2034-09-30' }],
    ['2034-08-15', { year: 2034, number: 4, startsOn: '2034-10-01', endsOn: '2034-12-31' }],
    ['2034-12-18', { year: 2035, number: 1, startsOn: '2035-01-01', endsOn: '2035-03-31' }],
  ])('after %s is %o', (date, quarter) => {
    expect(nextQuarter(date)).toEqual(quarter);
  });
});
