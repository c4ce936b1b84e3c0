import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Remembers each phone mutation by its caller and idempotency key, so a retried request records once. */
export class CreateIdempotencyRecord1796000000003 implements MigrationInterface {
  name = 'CreateIdempotencyRecord1796000000003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE idempotency_record (
        caller_id    text NOT NULL,
        key          text NOT NULL,
        operation    text NOT NULL,
        request_hash text NOT NULL,
        response     jsonb NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (caller_id, key)
      )`);
    await runner.query(`CREATE INDEX idempotency_record_age ON idempotency_record (created_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE idempotency_record`);
  }
}
