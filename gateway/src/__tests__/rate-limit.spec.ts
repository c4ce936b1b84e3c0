import { describe, expect, it } from '@jest/globals';
import { FixedWindowLimiter } from '../rate-limit.js';

describe('FixedWindowLimiter', () => {
  it('allows the limit per window and key, then refuses until the window ends', () => {
    const limiter = new FixedWindowLimiter(3, 60_000);
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take('a', t0).allowed)).toEqual([true, true, true]);
    expect(limiter.take('a', t0 + 15_000)).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(limiter.take('b', t0 + 15_000)).toEqual({ allowed: true });
    expect(limiter.take('a', t0 + 60_000)).toEqual({ allowed: true });
  });

  it('forgets ended windows once many addresses were seen, and still counts the live ones', () => {
    const limiter = new FixedWindowLimiter(1, 1_000);
    for (let index = 0; index < 10_000; index++) limiter.take(`old-${index}`, 0);
    expect(limiter.take('live', 500)).toEqual({ allowed: true });
    expect(limiter.take('new', 2_000)).toEqual({ allowed: true });
    expect(limiter.take('old-1', 2_100)).toEqual({ allowed: true });
    expect(limiter.take('new', 2_200).allowed).toBe(false);
  });
});
