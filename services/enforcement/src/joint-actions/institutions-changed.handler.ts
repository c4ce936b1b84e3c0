import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { applyInstitutionSnapshots } from '#libs/institutions';
import { EventType, JobHandler, type EventEnvelope, type InstitutionsChangedPayload, type JobProcessor } from '#libs/messaging';

/** Keeps enforcement's copy of the institutions (bureaus are DEPARTMENTs, property companies PROPERTY_COMPANYs). */
@Injectable()
@JobHandler(EventType.InstitutionsChanged)
export class InstitutionsChangedHandler implements JobProcessor<EventEnvelope<InstitutionsChangedPayload>> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: EventEnvelope<InstitutionsChangedPayload>): Promise<void> {
    await applyInstitutionSnapshots(this.dataSource, event.payload.institutions);
  }
}
