import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventType, JobHandler, type EventEnvelope, type JobProcessor, type TerritoryChangedPayload } from '#libs/messaging';

/**
 * Applies territory snapshots to the local copy. Each row carries its version and is written only when newer than
 * what we hold, so redelivered or reordered events are harmless without an inbox.
 */
@Injectable()
@JobHandler(EventType.TerritoryChanged)
export class TerritoryChangedHandler implements JobProcessor<EventEnvelope<TerritoryChangedPayload>> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: EventEnvelope<TerritoryChangedPayload>): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO territory_unit (id, parent_id, kind, code, name, path, version)
       SELECT id, "parentId", kind, code, name, path, version
         FROM jsonb_to_recordset($1::jsonb)
           AS u(id uuid, "parentId" uuid, kind text, code text, name text, path uuid[], version integer)
       ON CONFLICT (id) DO UPDATE
          SET parent_id = excluded.parent_id, kind = excluded.kind, code = excluded.code, name = excluded.name,
              path = excluded.path, version = excluded.version, updated_at = now()
        WHERE territory_unit.version < excluded.version`,
      [JSON.stringify(event.payload.units)],
    );
  }
}
