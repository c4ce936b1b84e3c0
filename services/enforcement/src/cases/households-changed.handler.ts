import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventType, JobHandler, type EventEnvelope, type EventPayload, type JobProcessor } from '#libs/messaging';
import { applyHouseholdSnapshots } from './household-copy.js';

/** Keeps enforcement's copy of the households registry (`households.changed`), which cases check their household against. */
@Injectable()
@JobHandler(EventType.HouseholdsChanged)
export class HouseholdsChangedHandler implements JobProcessor<EventEnvelope<EventPayload<EventType.HouseholdsChanged>>> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: EventEnvelope<EventPayload<EventType.HouseholdsChanged>>): Promise<void> {
    await applyHouseholdSnapshots(this.dataSource, event.payload.households);
  }
}
