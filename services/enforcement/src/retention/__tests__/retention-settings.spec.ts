import { describe, expect, it } from '@jest/globals';
import { EnvironmentError } from '#libs/config';
import { parseRetentionSettings } from '../retention-settings.js';

describe('enforcement retention settings from the environment', () => {
  it('erases reporters’ contact details 90 days after closing, keeps idempotency records 7 days and audit rows 3 years unless told otherwise', () => {
    expect(parseRetentionSettings({})).toEqual({ reporterContactDays: 90, idempotencyDays: 7, personalDataAccessDays: 1095 });
    expect(
      parseRetentionSettings({
        REPORTER_CONTACT_RETENTION_DAYS: '30',
        IDEMPOTENCY_RETENTION_DAYS: ' ',
        PERSONAL_DATA_ACCESS_RETENTION_DAYS: '',
      }),
    ).toEqual({
      reporterContactDays: 30,
      idempotencyDays: 7,
      personalDataAccessDays: 1095,
    });
  });

  it('lists every bad variable in one error', () => {
    let problems: string[] = [];
    try {
      parseRetentionSettings({
        REPORTER_CONTACT_RETENTION_DAYS: '0',
        IDEMPOTENCY_RETENTION_DAYS: '1.5',
        PERSONAL_DATA_ACCESS_RETENTION_DAYS: 'forever',
      });
    } catch (error) {
      expect(error).toBeInstanceOf(EnvironmentError);
      problems = (error as EnvironmentError).problems;
    }
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(
      /PERSONAL_DATA_ACCESS_RETENTION_DAYS[\s\S]*IDEMPOTENCY_RETENTION_DAYS[\s\S]*REPORTER_CONTACT_RETENTION_DAYS/,
    );
  });
});
