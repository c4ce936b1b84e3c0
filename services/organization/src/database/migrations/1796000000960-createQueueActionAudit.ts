import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * The audit of the queue dashboard (gateway `/operations/queues`): every retry, removal, promotion, clean, pause,
 * resume or emptying an operator asks for is written here before the gateway lets it act (a refused write refuses
 * the action), then settled with its outcome. Who is the user id and role, never a name; the jobs are ids.
 */
export class CreateQueueActionAudit1796000000960 implements MigrationInterface {
  name = 'CreateQueueActionAudit1796000000960';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE queue_action_audit (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        requested_at timestamptz NOT NULL DEFAULT now(),
        actor        text NOT NULL,
        actor_roles  text[] NOT NULL,
        action       text NOT NULL,
        queue        text,
        job_ids      text[] NOT NULL DEFAULT '{}',
        job_status   text,
        request_id   text NOT NULL,
        outcome      text NOT NULL DEFAULT 'REQUESTED' CHECK (outcome IN ('REQUESTED', 'SUCCEEDED', 'FAILED')),
        http_status  integer,
        settled_at   timestamptz
      )`,
    );
    await execute(runner, `CREATE INDEX queue_action_audit_requested ON queue_action_audit (requested_at DESC, id DESC)`);
    await execute(runner, `CREATE INDEX queue_action_audit_queue ON queue_action_audit (queue, requested_at DESC, id DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE queue_action_audit`);
  }
}
