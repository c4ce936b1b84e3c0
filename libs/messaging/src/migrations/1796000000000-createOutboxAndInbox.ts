import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The outbox (events this service publishes) and inbox (events it has processed). Every service runs this. */
export class CreateOutboxAndInbox1796000000000 implements MigrationInterface {
  name = 'CreateOutboxAndInbox1796000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE outbox_event (
        seq          bigserial PRIMARY KEY,
        id           uuid NOT NULL UNIQUE,
        type         text NOT NULL,
        -- json, not jsonb: payloads are written once and read back as text, never queried inside.
        payload      json NOT NULL,
        occurred_at  timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await runner.query(`CREATE INDEX outbox_event_pending ON outbox_event (seq) WHERE published_at IS NULL`);
    // Payloads are written once, read once by the relay and purged within a week: compressing them costs more CPU
    // at write time than the disk it saves.
    await runner.query(`ALTER TABLE outbox_event ALTER COLUMN payload SET STORAGE EXTERNAL`);
    await runner.query(`
      CREATE TABLE processed_event (
        consumer     text NOT NULL,
        event_id     uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE processed_event`);
    await runner.query(`DROP TABLE outbox_event`);
  }
}
