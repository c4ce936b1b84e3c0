/** How long a background loop waits when it found nothing to do, unless woken sooner. */
export const IDLE_POLL_MS = 500;
/** How long it waits after a round failed (the database or Redis is away), so it does not spin on the error. */
export const ERROR_PAUSE_MS = 5_000;

/**
 * One round of a background loop's work. Resolves `true` when there is more to do at once (a full batch), `false`
 * to wait IDLE_POLL_MS or until `kick()`; a rejection is reported to `onError` and waits ERROR_PAUSE_MS.
 */
export type PollingRound = () => Promise<boolean>;

/**
 * The loop behind the background workers that poll the database (the outbox relay, the webhook dispatcher): runs
 * rounds while started, pauses between them, and lets a caller that has just committed work wake it at once (`kick`),
 * so the work starts now rather than at the next poll. `stop()` ends the pause and waits for the round in progress.
 */
export class PollingLoop {
  private active = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly round: PollingRound,
    private readonly onError: (error: Error, pauseMs: number) => void,
  ) {}

  /** Whether the loop runs (started and not being stopped). */
  get running(): boolean {
    return this.active;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.loop = this.run();
  }

  /** Stops looping: ends a pause at once and resolves when the round in progress has ended. */
  async stop(): Promise<void> {
    this.active = false;
    this.wake?.();
    await this.loop;
  }

  /** Starts the next round now rather than when the pause ends. */
  kick(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.active) {
      // A stop() during a round finds no pause to end: the loop must not begin one after it, or shutdown waits it out.
      try {
        const more = await this.round();
        if (!more && this.stillRunning()) await this.pause(IDLE_POLL_MS);
      } catch (error) {
        this.onError(error as Error, ERROR_PAUSE_MS);
        if (this.stillRunning()) await this.pause(ERROR_PAUSE_MS);
      }
    }
  }

  /** Read after a round, which may have taken a stop() meanwhile (a call, so it is never taken as known). */
  private stillRunning(): boolean {
    return this.active;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
