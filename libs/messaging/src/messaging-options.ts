import type { ServiceName } from './catalogue.js';
import type { JobObserver } from './job-observer.js';

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingOptions {
  service: ServiceName;
  redisUrl: string;
  /** Redis key prefix of every queue; tests use their own so parallel runs never share jobs. */
  queuePrefix: string;
  /** Run the outbox relay and the queue workers. Off when only the GraphQL schema is wanted. */
  background: boolean;
  /** Told of every job attempt this process's workers finish (the platform's metrics); none when left out. */
  jobObserver?: JobObserver;
}
