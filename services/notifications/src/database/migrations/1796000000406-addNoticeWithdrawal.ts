import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Notices withdrawn when a corrected grade no longer earns them (notices/notice-withdrawal.ts):
 * - notice.withdrawn_at / withdrawal_reason; the once-per-resident-month-kind key now holds for notices in force, so
 *   a grade that earns the same kind again after a withdrawal gets a new notice (new id, new text) beside the old.
 * - webhook_message type notice.withdrawn, told to the institution's endpoints when it may have seen the notice;
 *   webhook_delivery state CANCELLED for an announcement of a notice withdrawn before it was ever sent.
 */
export class AddNoticeWithdrawal1796000000406 implements MigrationInterface {
  name = 'AddNoticeWithdrawal1796000000406';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      ALTER TABLE notice
        ADD COLUMN withdrawn_at timestamptz,
        ADD COLUMN withdrawal_reason text CHECK (withdrawal_reason IN ('GRADE_CORRECTED')),
        ADD CONSTRAINT notice_withdrawal_complete CHECK ((withdrawn_at IS NULL) = (withdrawal_reason IS NULL)),
        DROP CONSTRAINT notice_once`,
    );
    await execute(runner, `CREATE UNIQUE INDEX notice_once ON notice (resident_id, month, kind) WHERE withdrawn_at IS NULL`);
    // Corrections look up a month's notices by household.
    await execute(runner, `CREATE INDEX notice_household ON notice (household_id, month)`);
    await execute(runner, `ALTER TABLE webhook_message DROP CONSTRAINT webhook_message_type_check`);
    await execute(
      runner,
      `ALTER TABLE webhook_message ADD CONSTRAINT webhook_message_type_check CHECK (type IN ('notice.created', 'notice.digest', 'notice.withdrawn'))`,
    );
    // webhookDeliveries(noticeId) finds a notice's withdrawal message by its one notice id; withdrawals are few.
    await execute(
      runner,
      `CREATE INDEX webhook_message_withdrawn_notice ON webhook_message USING gin (notice_ids) WHERE type = 'notice.withdrawn'`,
    );
    await execute(runner, `ALTER TABLE webhook_delivery DROP CONSTRAINT webhook_delivery_state_check`);
    await execute(
      runner,
      `ALTER TABLE webhook_delivery ADD CONSTRAINT webhook_delivery_state_check CHECK (state IN ('PENDING', 'SUCCEEDED', 'FAILED', 'CANCELLED'))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `DELETE FROM webhook_attempt a USING webhook_delivery d, webhook_message m
                         WHERE a.delivery_id = d.id AND d.message_id = m.id AND m.type = 'notice.withdrawn'`,
    );
    await execute(
      runner,
      `DELETE FROM webhook_delivery d USING webhook_message m WHERE d.message_id = m.id AND m.type = 'notice.withdrawn'`,
    );
    await execute(runner, `DROP INDEX webhook_message_withdrawn_notice`);
    await execute(runner, `DELETE FROM webhook_message WHERE type = 'notice.withdrawn'`);
    await execute(
      runner,
      `UPDATE webhook_delivery SET state = 'FAILED', last_error = coalesce(last_error, 'cancelled') WHERE state = 'CANCELLED'`,
    );
    await execute(runner, `ALTER TABLE webhook_delivery DROP CONSTRAINT webhook_delivery_state_check`);
    await execute(
      runner,
      `ALTER TABLE webhook_delivery ADD CONSTRAINT webhook_delivery_state_check CHECK (state IN ('PENDING', 'SUCCEEDED', 'FAILED'))`,
    );
    await execute(runner, `ALTER TABLE webhook_message DROP CONSTRAINT webhook_message_type_check`);
    await execute(
      runner,
      `ALTER TABLE webhook_message ADD CONSTRAINT webhook_message_type_check CHECK (type IN ('notice.created', 'notice.digest'))`,
    );
    await execute(runner, `DROP INDEX notice_household`);
    await execute(runner, `DROP INDEX notice_once`);
    // A withdrawn notice that was earned again has a successor under the same key: the withdrawn one goes.
    await execute(runner, `DELETE FROM webhook_message_notice l USING notice n WHERE l.notice_id = n.id AND n.withdrawn_at IS NOT NULL`);
    await execute(runner, `DELETE FROM notice WHERE withdrawn_at IS NOT NULL`);
    await execute(
      runner,
      `
      ALTER TABLE notice
        DROP CONSTRAINT notice_withdrawal_complete, DROP COLUMN withdrawal_reason, DROP COLUMN withdrawn_at,
        ADD CONSTRAINT notice_once UNIQUE (resident_id, month, kind)`,
    );
  }
}
