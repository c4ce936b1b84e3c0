import { describe, expect, it } from '@jest/globals';
import { problemsOf } from '#libs/testing';
import { parseRetentionSettings } from '../retention-settings.js';

describe('retention settings from the environment', () => {
  it('keeps audit rows 3 years, grade copies 6 months, notices 24 months and webhook attempts 90 days unless told otherwise', () => {
    expect(parseRetentionSettings({})).toEqual({
      personalDataAccessDays: 1095,
      gradeCopyMonths: 6,
      noticeMonths: 24,
      webhookAttemptDays: 90,
    });
    expect(
      parseRetentionSettings({ GRADE_COPY_RETENTION_MONTHS: '', NOTICE_RETENTION_MONTHS: ' ', WEBHOOK_ATTEMPT_RETENTION_DAYS: '' }),
    ).toEqual({
      personalDataAccessDays: 1095,
      gradeCopyMonths: 6,
      noticeMonths: 24,
      webhookAttemptDays: 90,
    });
  });

  it('reads every variable', () => {
    expect(
      parseRetentionSettings({
        PERSONAL_DATA_ACCESS_RETENTION_DAYS: '400',
        GRADE_COPY_RETENTION_MONTHS: '3',
        NOTICE_RETENTION_MONTHS: '12',
        WEBHOOK_ATTEMPT_RETENTION_DAYS: '30',
      }),
    ).toEqual({
      personalDataAccessDays: 400,
      gradeCopyMonths: 3,
      noticeMonths: 12,
      webhookAttemptDays: 30,
    });
  });

  it('lists every bad variable in one error', () => {
    const problems = problemsOf(() =>
      parseRetentionSettings({
        GRADE_COPY_RETENTION_MONTHS: '0',
        NOTICE_RETENTION_MONTHS: 'two years',
        WEBHOOK_ATTEMPT_RETENTION_DAYS: '1.5',
      }),
    );
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/GRADE_COPY_RETENTION_MONTHS[\s\S]*NOTICE_RETENTION_MONTHS[\s\S]*WEBHOOK_ATTEMPT_RETENTION_DAYS/);
  });

  it('refuses to redact notices sooner than grade copies go, or a correction would name residents in a redacted month again', () => {
    const problems = problemsOf(() => parseRetentionSettings({ GRADE_COPY_RETENTION_MONTHS: '12', NOTICE_RETENTION_MONTHS: '6' }));
    expect(problems).toEqual([expect.stringMatching(/^NOTICE_RETENTION_MONTHS: must be at least GRADE_COPY_RETENTION_MONTHS/)]);
  });
});
