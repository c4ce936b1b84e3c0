import { describe, expect, it } from '@jest/globals';
import { afterAttempt, jittered, verdictOf } from '../delivery-schedule.js';
import { DEFAULT_RETRY_SCHEDULE_SECONDS } from '../webhook-settings.js';

const NOW = new Date('2026-11-01T00:00:00Z');
const seconds = (date: Date | null) => (date!.getTime() - NOW.getTime()) / 1000;

describe('what an answer means for a delivery', () => {
  it('counts 2xx as delivered, 410 as gone, and everything else, redirects included, as worth a retry', () => {
    expect([200, 201, 204, 299].map(verdictOf)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(verdictOf(410)).toBe('GONE');
    expect([null, 100, 301, 302, 307, 308, 400, 404, 429, 500, 503].map(verdictOf).every((v) => v === 'RETRYABLE')).toBe(true);
  });

  it('retries over about three days by default, then gives up', () => {
    const total = DEFAULT_RETRY_SCHEDULE_SECONDS.reduce((sum, s) => sum + s, 0);
    expect(total / 86400).toBeGreaterThan(2.9);
    expect(total / 86400).toBeLessThan(3.1);
    let delivery = { state: 'PENDING' as const, attempts: 0, replay: false };
    const waits: number[] = [];
    for (let i = 0; i < DEFAULT_RETRY_SCHEDULE_SECONDS.length; i++) {
      const next = afterAttempt(delivery, 'RETRYABLE', DEFAULT_RETRY_SCHEDULE_SECONDS, NOW, () => 0.5);
      expect(next.state).toBe('PENDING');
      waits.push(seconds(next.nextAttemptAt));
      delivery = { ...delivery, attempts: next.attempts };
    }
    expect(waits).toEqual(DEFAULT_RETRY_SCHEDULE_SECONDS);
    expect(afterAttempt(delivery, 'RETRYABLE', DEFAULT_RETRY_SCHEDULE_SECONDS, NOW)).toEqual({
      state: 'FAILED',
      attempts: 10,
      nextAttemptAt: null,
    });
  });

  it('jitters each wait by at most 20% either way', () => {
    expect(jittered(100, 0)).toBe(80);
    expect(jittered(100, 0.999999)).toBeCloseTo(120, 3);
    const waits = Array.from({ length: 200 }, () =>
      seconds(afterAttempt({ state: 'PENDING', attempts: 1, replay: false }, 'RETRYABLE', [5, 300], NOW).nextAttemptAt),
    );
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(240);
    expect(Math.max(...waits)).toBeLessThanOrEqual(360);
    expect(new Set(waits).size).toBeGreaterThan(1);
  });

  it('ends a delivery at once on success or 410', () => {
    expect(afterAttempt({ state: 'PENDING', attempts: 3, replay: false }, 'SUCCESS', [1], NOW)).toEqual({
      state: 'SUCCEEDED',
      attempts: 4,
      nextAttemptAt: null,
    });
    expect(afterAttempt({ state: 'PENDING', attempts: 0, replay: false }, 'GONE', [1], NOW)).toEqual({
      state: 'FAILED',
      attempts: 1,
      nextAttemptAt: null,
    });
  });

  it('does not spend the schedule on replays, nor undo a success when a replay fails', () => {
    expect(afterAttempt({ state: 'SUCCEEDED', attempts: 1, replay: true }, 'RETRYABLE', [1], NOW)).toEqual({
      state: 'SUCCEEDED',
      attempts: 1,
      nextAttemptAt: null,
    });
    expect(afterAttempt({ state: 'SUCCEEDED', attempts: 1, replay: true }, 'GONE', [1], NOW)).toEqual({
      state: 'SUCCEEDED',
      attempts: 1,
      nextAttemptAt: null,
    });
    expect(afterAttempt({ state: 'FAILED', attempts: 10, replay: true }, 'SUCCESS', [1], NOW)).toEqual({
      state: 'SUCCEEDED',
      attempts: 10,
      nextAttemptAt: null,
    });
    expect(afterAttempt({ state: 'FAILED', attempts: 10, replay: true }, 'RETRYABLE', [1], NOW).state).toBe('FAILED');
    const pending = afterAttempt({ state: 'PENDING', attempts: 2, replay: true }, 'RETRYABLE', [10, 100, 1000], NOW, () => 0.5);
    expect(pending).toEqual({ state: 'PENDING', attempts: 2, nextAttemptAt: new Date(NOW.getTime() + 100_000) });
  });
});
