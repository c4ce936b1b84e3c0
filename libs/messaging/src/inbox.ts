import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows } from '#libs/database';

/** Consumer-side dedupe for at-least-once delivery. */
@Injectable()
export class Inbox {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in a transaction unless `consumer` has already processed `eventId`. The processed mark commits
   * together with the work, so a crash in between leaves neither and the retry does both.
   * Returns false when the event had already been processed.
   */
  async once(consumer: string, eventId: string, work: (manager: EntityManager) => Promise<void>): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const inserted = await queryRows<{ event_id: string }>(
        manager,
        `INSERT INTO processed_event (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
        [consumer, eventId],
      );
      if (inserted.length === 0) return false;
      await work(manager);
      return true;
    });
  }
}
