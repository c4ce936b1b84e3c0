import { Injectable } from '@nestjs/common';
import { EventType, JobHandler, type EventEnvelope, type EventPayload, type JobProcessor } from '#libs/messaging';
import { EvaluationService } from '../evaluation.service.js';

/** A run was requested (through the outbox, so no request is lost): queue one job per chunk. */
@Injectable()
@JobHandler(EventType.EvaluationRequested)
export class EvaluationRequestedJob implements JobProcessor<EventEnvelope<EventPayload<EventType.EvaluationRequested>>> {
  constructor(private readonly evaluation: EvaluationService) {}

  handle(event: EventEnvelope<EventPayload<EventType.EvaluationRequested>>): Promise<void> {
    return this.evaluation.enqueueChunks(event.payload.runId);
  }
}
