import { Injectable } from '@nestjs/common';
import { EventType, JobHandler, type EvaluationRequestedPayload, type EventEnvelope, type JobProcessor } from '#libs/messaging';
import { EvaluationService } from '../evaluation.service.js';

/** A run was requested (through the outbox, so no request is lost): queue one job per chunk. */
@Injectable()
@JobHandler(EventType.EvaluationRequested)
export class EvaluationRequestedJob implements JobProcessor<EventEnvelope<EvaluationRequestedPayload>> {
  constructor(private readonly evaluation: EvaluationService) {}

  handle(event: EventEnvelope<EvaluationRequestedPayload>): Promise<void> {
    return this.evaluation.enqueueChunks(event.payload.runId);
  }
}
