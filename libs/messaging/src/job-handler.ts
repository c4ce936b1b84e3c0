import { SetMetadata } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { EventEnvelope, EventPayload, EventType } from './catalogue.js';

export const JOB_HANDLER_METADATA = 'waste:job-handler';

/**
 * What a handler of `Name` must be: for an event type, a processor that takes every envelope of that type's payload
 * (its `handle` may ask for less of the payload than the catalogue gives, never for more or for something else);
 * for a scheduled job, any provider. The members are function-typed properties, not methods, so their parameters are
 * checked strictly (contravariantly) rather than bivariantly.
 */
export type JobHandlerClass<Name extends string> = abstract new (...args: never[]) => Name extends EventType
  ? {
      handle: (data: EventEnvelope<EventPayload<Name>>, job: never) => Promise<void>;
      failed?: (data: EventEnvelope<EventPayload<Name>>, error: Error) => Promise<void>;
    }
  : unknown;

/**
 * Marks a provider as the handler of one job name (an event type or a scheduled job). For an event type, the
 * compiler checks the class's `handle` against that type's payload in the catalogue.
 */
export function JobHandler<Name extends string>(jobName: Name): (target: JobHandlerClass<Name>) => void {
  const mark = SetMetadata(JOB_HANDLER_METADATA, jobName);
  return (target) => mark(target);
}

/**
 * A job's work. Delivery is at least once, so `handle` must be idempotent: running it twice for the same job
 * leaves the same result as running it once.
 */
export interface JobProcessor<Data = unknown> {
  handle(data: Data, job: Job<Data>): Promise<void>;
  /** Called once when the job has failed for good (attempts used up, or a permanent error). */
  failed?(data: Data, error: Error): Promise<void>;
}

/** Thrown for input that can never succeed: the job fails at once instead of being retried. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}
