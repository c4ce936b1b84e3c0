import { describe, expect, it } from '@jest/globals';
import { EnvironmentError } from '#libs/config';
import { DEFAULT_UPLOAD_DAILY_QUOTA, parseUploadSettings } from '../upload-settings.js';

describe('UPLOAD_DAILY_QUOTA', () => {
  it('defaults to 200 photos a day when unset or empty', () => {
    expect(DEFAULT_UPLOAD_DAILY_QUOTA).toBe(200);
    expect(parseUploadSettings({})).toEqual({ dailyQuota: 200 });
    expect(parseUploadSettings({ UPLOAD_DAILY_QUOTA: ' ' })).toEqual({ dailyQuota: 200 });
  });

  it('takes a whole number from 1', () => {
    expect(parseUploadSettings({ UPLOAD_DAILY_QUOTA: '25' })).toEqual({ dailyQuota: 25 });
  });

  it.each(['0', '-3', '2.5', 'many'])('stops the service at boot on %s, naming the variable', (value) => {
    expect(() => parseUploadSettings({ UPLOAD_DAILY_QUOTA: value })).toThrow(EnvironmentError);
    expect(() => parseUploadSettings({ UPLOAD_DAILY_QUOTA: value })).toThrow(/UPLOAD_DAILY_QUOTA/);
  });
});
