import { describe, expect, it } from '@jest/globals';
import { problemsOf } from '#libs/testing';
import { parseRetentionSettings } from '../retention-settings.js';

describe('households retention settings from the environment', () => {
  it('keeps orphaned uploads 30 days, idempotency records 7 days and audit rows 3 years unless told otherwise', () => {
    expect(parseRetentionSettings({})).toEqual({ orphanedUploadDays: 30, idempotencyDays: 7, personalDataAccessDays: 1095 });
    expect(
      parseRetentionSettings({
        ORPHANED_UPLOAD_RETENTION_DAYS: '10',
        IDEMPOTENCY_RETENTION_DAYS: '2',
        PERSONAL_DATA_ACCESS_RETENTION_DAYS: '365',
      }),
    ).toEqual({
      orphanedUploadDays: 10,
      idempotencyDays: 2,
      personalDataAccessDays: 365,
    });
  });

  it('lists every bad variable in one error', () => {
    const problems = problemsOf(() =>
      parseRetentionSettings({
        ORPHANED_UPLOAD_RETENTION_DAYS: '0',
        IDEMPOTENCY_RETENTION_DAYS: 'a week',
        PERSONAL_DATA_ACCESS_RETENTION_DAYS: '7',
      }),
    );
    expect(problems.join('\n')).toMatch(
      /PERSONAL_DATA_ACCESS_RETENTION_DAYS[\s\S]*IDEMPOTENCY_RETENTION_DAYS[\s\S]*ORPHANED_UPLOAD_RETENTION_DAYS/,
    );
    expect(problems).toHaveLength(3);
  });

  it('refuses to delete orphaned photos sooner than a retried upload may still answer their id', () => {
    const problems = problemsOf(() => parseRetentionSettings({ ORPHANED_UPLOAD_RETENTION_DAYS: '3', IDEMPOTENCY_RETENTION_DAYS: '7' }));
    expect(problems).toEqual([expect.stringMatching(/^ORPHANED_UPLOAD_RETENTION_DAYS: must be at least IDEMPOTENCY_RETENTION_DAYS/)]);
  });
});
