/**
 * A fixed-window counter per key (a client address), in this gateway process's memory: at most `limit` requests per
 * window, then a refusal until the window ends. Several gateway instances each count their own share; a shared count
 * (Redis) would be needed before the limit is a promise rather than a brake.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { startsAt: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts one request of `key` at `now`: allowed, or refused with the seconds until its window ends. */
  take(key: string, now = Date.now()): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    let window = this.windows.get(key);
    if (!window || now - window.startsAt >= this.windowMs) {
      if (this.windows.size >= 10_000) this.forgetEnded(now);
      window = { startsAt: now, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= this.limit) return { allowed: false, retryAfterSeconds: Math.ceil((window.startsAt + this.windowMs - now) / 1000) };
    window.count += 1;
    return { allowed: true };
  }

  /** Drops windows that have ended, so addresses seen once do not pile up. */
  private forgetEnded(now: number): void {
    for (const [key, window] of this.windows) if (now - window.startsAt >= this.windowMs) this.windows.delete(key);
  }
}
