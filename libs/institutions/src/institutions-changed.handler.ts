import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventType, JobHandler, type EventEnvelope, type EventPayload, type JobProcessor } from '#libs/messaging';
import { applyInstitutionSnapshots } from './institution-copy.js';

/**
 * Keeps this service's copy of organization's institutions (id, kind, name) from `institutions.changed`. A service
 * that does more when institutions change (notifications makes the notices that waited for one) has a handler of
 * its own that applies the snapshots the same way, and does not import InstitutionReplicaModule.
 */
@Injectable()
@JobHandler(EventType.InstitutionsChanged)
export class InstitutionsChangedHandler implements JobProcessor<EventEnvelope<EventPayload<EventType.InstitutionsChanged>>> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: EventEnvelope<EventPayload<EventType.InstitutionsChanged>>): Promise<void> {
    await applyInstitutionSnapshots(this.dataSource, event.payload.institutions);
  }
}
