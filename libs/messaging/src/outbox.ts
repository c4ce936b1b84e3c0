import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { execute, queryRows } from '#libs/database';
import type { EventPayload, EventType } from './catalogue.js';

/**
 * An event to record: its type and that type's payload. A union over the types, so `{ type, payload }` is checked as
 * a pair: a payload that does not fit its type's (catalogue.ts `EventPayloads`) does not compile.
 */
export type NewEvent<Type extends EventType = EventType> = { [T in Type]: { type: T; payload: EventPayload<T> } }[Type];

/**
 * Records events in the same transaction as the change they announce (transactional outbox). The relay
 * publishes them after commit; a rolled-back change therefore never announces anything.
 */
@Injectable()
export class Outbox {
  async record(manager: EntityManager, events: readonly NewEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('Outbox.record must run inside the transaction that makes the change');
    }
    const ids = events.map(() => randomUUID());
    await execute(
      manager,
      `INSERT INTO outbox_event (id, type, payload)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::json[])`,
      [ids, events.map((e) => e.type), events.map((e) => JSON.stringify(e.payload))],
    );
    return ids;
  }

  /**
   * Records one event of `type` per row of `payloadQuery`, whose single column is the payload (json): for events
   * built set-based in SQL from many rows. Returns how many were recorded.
   */
  async recordQuery(manager: EntityManager, type: EventType, payloadQuery: string, parameters: unknown[]): Promise<number> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('Outbox.recordQuery must run inside the transaction that makes the change');
    }
    const inserted = await queryRows<{ id: string }>(manager, outboxInsertFrom(`$${parameters.length + 1}`, payloadQuery), [
      ...parameters,
      type,
    ]);
    return inserted.length;
  }
}

/**
 * SQL recording one event per row of `payloadQuery` (one json column), of the type in placeholder `typeParameter`.
 * It can stand as a data-modifying CTE, so a statement that changes rows can announce exactly the rows it changed.
 */
export function outboxInsertFrom(typeParameter: string, payloadQuery: string): string {
  return `INSERT INTO outbox_event (id, type, payload)
          SELECT gen_random_uuid(), ${typeParameter}, events.payload FROM (${payloadQuery}) AS events (payload)
          RETURNING id`;
}
