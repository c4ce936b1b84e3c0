/**
 * What an attempt's answer means for its delivery. Pure, so the rules are tested without a clock or a network.
 *
 * - 2xx: delivered (SUCCEEDED); nothing more is sent.
 * - 410 Gone: the receiver says the endpoint is gone for good: the delivery FAILS and the endpoint is disabled.
 * - anything else (3xx included: redirects are not followed, 4xx, 5xx, a network error, a timeout, an address
 *   refused): retried after the next step of the schedule, ±20% jitter; after the last step, FAILED.
 * A replay is an extra attempt: it does not use up the schedule, and when it fails a delivery that had already
 * ended keeps its state (a SUCCEEDED delivery stays delivered).
 */
export type DeliveryState = 'PENDING' | 'SUCCEEDED' | 'FAILED';
export type AttemptVerdict = 'SUCCESS' | 'GONE' | 'RETRYABLE';

export const JITTER = 0.2;

export function verdictOf(status: number | null): AttemptVerdict {
  if (status !== null && status >= 200 && status < 300) return 'SUCCESS';
  if (status === 410) return 'GONE';
  return 'RETRYABLE';
}

export interface ClaimedDelivery {
  state: DeliveryState;
  /** Scheduled attempts made before this one. */
  attempts: number;
  /** This attempt is a replay the institution asked for. */
  replay: boolean;
}

export interface AfterAttempt {
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: Date | null;
}

/** `seconds` jittered by ±JITTER; `random` is in [0, 1). */
export function jittered(seconds: number, random: number): number {
  return seconds * (1 - JITTER + 2 * JITTER * random);
}

export function afterAttempt(
  claimed: ClaimedDelivery,
  verdict: AttemptVerdict,
  schedule: readonly number[],
  now: Date,
  random: () => number = Math.random,
): AfterAttempt {
  const attempts = claimed.replay ? claimed.attempts : claimed.attempts + 1;
  if (verdict === 'SUCCESS') return { state: 'SUCCEEDED', attempts, nextAttemptAt: null };
  if (verdict === 'GONE')
    return { state: claimed.replay && claimed.state === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED', attempts, nextAttemptAt: null };
  if (claimed.replay && claimed.state !== 'PENDING') return { state: claimed.state, attempts, nextAttemptAt: null };
  // The wait after the n-th failed attempt is schedule[n - 1]; a replay of a pending delivery waits as its last one did.
  const step = Math.max(attempts, 1) - 1;
  if (step >= schedule.length) return { state: 'FAILED', attempts, nextAttemptAt: null };
  return { state: 'PENDING', attempts, nextAttemptAt: new Date(now.getTime() + jittered(schedule[step], random()) * 1000) };
}
