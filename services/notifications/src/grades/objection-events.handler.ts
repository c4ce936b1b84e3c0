import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { monthStart } from '#libs/calendar';
import { execute } from '#libs/database';
import { EventType, JobHandler, type EventEnvelope, type EventPayload, type JobProcessor } from '#libs/messaging';
import { NoticeGenerator } from '../notices/notice-generator.js';

/**
 * households closed a month's objection window: the month's notices leave, except those about households whose
 * objection is still open (held until it is decided) or was corrected and whose corrected grade has not arrived yet.
 * Idempotent: the close and the holds are written once (a hold already decided here stays decided), and a notice
 * leaves once (notice-release.ts). The release runs after the close commits, so a generation or correction running
 * meanwhile is never missed (NoticeGenerator.releaseWhenGenerated).
 */
@Injectable()
@JobHandler(EventType.ObjectionWindowClosed)
export class ObjectionWindowClosedHandler implements JobProcessor<EventEnvelope<EventPayload<EventType.ObjectionWindowClosed>>> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notices: NoticeGenerator,
  ) {}

  async handle(event: EventEnvelope<EventPayload<EventType.ObjectionWindowClosed>>): Promise<void> {
    const { districtId, month, closedAt, objections } = event.payload;
    await this.dataSource.transaction(async (manager) => {
      await execute(
        manager,
        `INSERT INTO objection_window_closed (district_id, month, closed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [districtId, monthStart(month), closedAt],
      );
      // Open objections hold their household; a correction decided before the close waits for its grade. An upheld one holds nothing.
      await execute(
        manager,
        `INSERT INTO objection_hold (month, household_id, district_id, objection_id, decided_at, correction_at)
         SELECT $1::date, o."householdId", $2::uuid, o."objectionId", CASE WHEN o.status <> 'OPEN' THEN $3::timestamptz END, o."correctedAt"
           FROM jsonb_to_recordset($4::jsonb) AS o ("objectionId" uuid, "householdId" uuid, status text, "correctedAt" timestamptz)
          WHERE o.status = 'OPEN' OR o."correctedAt" IS NOT NULL
         ON CONFLICT (month, household_id) DO NOTHING`,
        [monthStart(month), districtId, closedAt, JSON.stringify(objections)],
      );
    });
    await this.notices.releaseWhenGenerated(districtId, month, null);
  }
}

/**
 * A secretary decided an objection: the household's notices may leave (if the window has closed), once the corrected
 * grade, if any, has arrived; a correction arriving later releases them itself (the grade handler's correction path).
 */
@Injectable()
@JobHandler(EventType.GradeObjectionDecided)
export class GradeObjectionDecidedHandler implements JobProcessor<EventEnvelope<EventPayload<EventType.GradeObjectionDecided>>> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notices: NoticeGenerator,
  ) {}

  async handle(event: EventEnvelope<EventPayload<EventType.GradeObjectionDecided>>): Promise<void> {
    const { districtId, month, householdId, objectionId, correctedAt } = event.payload;
    await execute(
      this.dataSource,
      `INSERT INTO objection_hold (month, household_id, district_id, objection_id, decided_at, correction_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (month, household_id) DO UPDATE SET decided_at = excluded.decided_at, correction_at = excluded.correction_at
        WHERE objection_hold.decided_at IS NULL`,
      [monthStart(month), householdId, districtId, objectionId, event.occurredAt, correctedAt],
    );
    await this.notices.releaseWhenGenerated(districtId, month, [householdId]);
  }
}
