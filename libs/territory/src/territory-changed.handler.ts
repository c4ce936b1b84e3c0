import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  EventType,
  JobHandler,
  type EventEnvelope,
  type EventPayload,
  type JobProcessor,
  type TerritoryUnitSnapshot,
} from '#libs/messaging';

/**
 * Applies territory snapshots to the local copy. Each row carries its version and is written only when newer than
 * what we hold, so redelivered or reordered events are harmless without an inbox.
 */
@Injectable()
@JobHandler(EventType.TerritoryChanged)
export class TerritoryChangedHandler implements JobProcessor<EventEnvelope<EventPayload<EventType.TerritoryChanged>>> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: EventEnvelope<EventPayload<EventType.TerritoryChanged>>): Promise<void> {
    await applyTerritorySnapshots(this.dataSource, event.payload.units);
  }
}

/**
 * Writes unit snapshots into this service's copy, each only if newer than what is there. Demo seeding uses it too,
 * to start a service's copy from the same snapshots organization announces.
 */
export async function applyTerritorySnapshots(
  db: { query(sql: string, parameters?: unknown[]): Promise<unknown> },
  units: readonly TerritoryUnitSnapshot[],
): Promise<void> {
  await db.query(
    `INSERT INTO territory_unit (id, parent_id, kind, code, name, path, version)
     SELECT id, "parentId", kind, code, name, path, version
       FROM jsonb_to_recordset($1::jsonb)
         AS u(id uuid, "parentId" uuid, kind text, code text, name text, path uuid[], version integer)
     ON CONFLICT (id) DO UPDATE
        SET parent_id = excluded.parent_id, kind = excluded.kind, code = excluded.code, name = excluded.name,
            path = excluded.path, version = excluded.version, updated_at = now()
      WHERE territory_unit.version < excluded.version`,
    [JSON.stringify(units)],
  );
}
