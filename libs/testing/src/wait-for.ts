import { inspect } from 'node:util';
import type { Job, Queue } from 'bullmq';

/** Polls `check` until it returns a truthy value, failing with `description` after `timeoutMs`. No fixed sleeps. */
export async function waitFor<T>(description: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const result = await check();
      if (result) return result;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${description}${lastError ? `: ${lastError instanceof Error ? lastError.message : inspect(lastError)}` : ''}`,
  );
}

/** Waits for a queued job to complete; one that failed is reported with its reason. */
export async function waitForJob(queue: Queue, job: Job, description = `job ${job.name}`): Promise<void> {
  await waitFor(description, async () => {
    const state = await job.getState();
    if (state === 'failed') throw new Error(`${description} failed: ${(await queue.getJob(job.id!))?.failedReason}`);
    return state === 'completed';
  });
}
