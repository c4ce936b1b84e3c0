import { Queue } from 'bullmq';
import type { QueueName } from '#libs/messaging';

/**
 * A queue of the running test platform (its Redis, its queue prefix): to add a scheduled job or an event to it as a
 * service would, and wait for it. The test closes it.
 */
export function platformQueue(platform: { env: Record<string, string> }, name: QueueName): Queue {
  return new Queue(name, { connection: { url: platform.env.REDIS_URL }, prefix: platform.env.QUEUE_PREFIX });
}
