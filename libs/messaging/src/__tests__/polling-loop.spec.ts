import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ERROR_PAUSE_MS, PollingLoop } from '../polling-loop.js';

/** A loop whose rounds the test sees start, one by one; the timers are fake, so a pause ends only when woken. */
function observedLoop(round: () => boolean | Promise<boolean>) {
  const errors: [string, number][] = [];
  let started = 0;
  let announce = () => {};
  const nextRound = () => new Promise<void>((resolve) => (announce = resolve));
  let upcoming = nextRound();
  const loop = new PollingLoop(
    async () => {
      started += 1;
      const done = announce;
      upcoming = nextRound();
      done();
      return round();
    },
    (error, pauseMs) => errors.push([error.message, pauseMs]),
  );
  return { loop, errors, rounds: () => started, roundStarts: () => upcoming };
}

/** Lets the loop run what is queued (the round's end, the start of its pause); no time passes. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('PollingLoop', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('pauses after a round with nothing more to do, and a kick starts the next one at once', async () => {
    const observed = observedLoop(() => false);
    const first = observed.roundStarts();
    observed.loop.start();
    await first;
    // Let the round end and the pause begin (a kick during a round is not needed: the round is looking already).
    await settle();
    expect(observed.rounds()).toBe(1);
    const second = observed.roundStarts();
    observed.loop.kick();
    await second;
    expect(observed.rounds()).toBe(2);
    await observed.loop.stop();
    expect(observed.loop.running).toBe(false);
  });

  it('stops without waiting out a pause, also when stopped during a round', async () => {
    let release = () => {};
    const observed = observedLoop(() => new Promise<boolean>((resolve) => (release = () => resolve(false))));
    const first = observed.roundStarts();
    observed.loop.start();
    await first;
    const stopped = observed.loop.stop();
    release();
    await stopped;
    expect(observed.rounds()).toBe(1);
  });

  it('runs rounds back to back while they say there is more', async () => {
    let more = 3;
    const observed = observedLoop(() => more-- > 0);
    const fourth = (async () => {
      for (let i = 0; i < 4; i++) await observed.roundStarts();
    })();
    observed.loop.start();
    await fourth;
    expect(observed.rounds()).toBeGreaterThanOrEqual(4);
    await observed.loop.stop();
  });

  it('reports a failed round and pauses for the error pause instead of spinning', async () => {
    const observed = observedLoop(() => {
      throw new Error('database away');
    });
    const first = observed.roundStarts();
    observed.loop.start();
    await first;
    await settle();
    expect(observed.errors).toEqual([['database away', ERROR_PAUSE_MS]]);
    expect(observed.rounds()).toBe(1);
    const second = observed.roundStarts();
    await jest.advanceTimersByTimeAsync(ERROR_PAUSE_MS);
    await second;
    expect(observed.rounds()).toBe(2);
    await observed.loop.stop();
  });
});
