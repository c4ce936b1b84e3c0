import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { applyInstitutionSnapshots } from '#libs/institutions';
import { EventType, JobHandler, type EventEnvelope, type EventPayload, type JobProcessor } from '#libs/messaging';

/** Keeps enforcement's copy of the institutions (bureaus are DEPARTMENTs, property companies PROPERTY_COMPANYs). */
@Injectable()
@JobHandler(EventType.InstitutionsChanged)
export class InstitutionsChangedHandler implements JobProcessor<EventEnvelope<EventPayload<EventType.InstitutionsChanged>>> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: EventEnvelope<EventPayload<EventType.InstitutionsChanged>>): Promise<void> {
    await applyInstitutionSnapshots(this.dataSource, event.payload.institutions);
  }
}
