import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The context an event carries (request id, W3C trace headers: see outbox-context.ts), so the job handling it logs
 * and traces under the request that caused it. Filled by the column's default from the connection's
 * `app.carried_context` setting, so every statement that records events (Outbox, set-based CTEs, triggers) carries
 * it without naming the column. Every service runs this.
 */
export class AddOutboxContext1796000000007 implements MigrationInterface {
  name = 'AddOutboxContext1796000000007';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE outbox_event ADD COLUMN context jsonb DEFAULT nullif(current_setting('app.carried_context', true), '')::jsonb`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE outbox_event DROP COLUMN context`);
  }
}
