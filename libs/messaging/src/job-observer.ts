import type { QueueName } from './catalogue.js';

/** How a job attempt ended, as a worker reports it. */
export interface ObservedJob {
  queue: QueueName;
  /** The job's name from the catalogue (`unknown` for a name no handler of this service has). */
  job: string;
  outcome: 'completed' | 'failed';
  /** From the worker taking the job to the attempt's end. */
  seconds: number;
  /** A failed attempt after which the job is not tried again. */
  final: boolean;
}

/**
 * Told of every job attempt a worker of this process finishes. The platform passes one (it counts them in the process's
 * metrics, libs/platform); messaging itself knows nothing of metrics. It must not throw and must not block.
 */
export interface JobObserver {
  jobFinished(observed: ObservedJob): void;
}
