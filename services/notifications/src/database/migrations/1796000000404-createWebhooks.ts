import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Webhook delivery of notices to institutions (services/notifications/src/webhooks):
 * - webhook_endpoint: an institution's URLs, ACTIVE or DISABLED (by the institution, or after a 410 Gone).
 * - webhook_secret: signing secrets (whsec_…), AES-256-GCM encrypted; the current one has no expiry, a rotated one
 *   signs alongside until it expires.
 * - webhook_preference: per institution, whether a month's notices go out as one digest.
 * - webhook_message: what is sent (the webhook-id, type, thin data); webhook_message_notice puts each notice in at
 *   most one message, so fan-out never announces a notice twice.
 * - webhook_delivery: a message to one endpoint (once per pair), with its retry state; next_attempt_at is when a
 *   dispatcher takes it next, and while claimed the end of its lease. webhook_attempt: every request made.
 */
export class CreateWebhooks1796000000404 implements MigrationInterface {
  name = 'CreateWebhooks1796000000404';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE webhook_endpoint (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id  uuid NOT NULL,
        url             text NOT NULL,
        description     text,
        state           text NOT NULL DEFAULT 'ACTIVE' CHECK (state IN ('ACTIVE', 'DISABLED')),
        disabled_reason text,
        disabled_at     timestamptz,
        created_by      text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhook_endpoint_url_once UNIQUE (institution_id, url),
        CHECK ((state = 'DISABLED') = (disabled_at IS NOT NULL))
      )`,
    );
    await execute(runner, `CREATE INDEX webhook_endpoint_institution ON webhook_endpoint (institution_id, created_at DESC, id)`);

    await execute(
      runner,
      `
      CREATE TABLE webhook_secret (
        id          uuid PRIMARY KEY,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
        prefix      text NOT NULL,
        -- version ‖ nonce ‖ tag ‖ ciphertext, with this row's id as associated data (webhooks/secret-box.ts)
        sealed      bytea NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz
      )`,
    );
    await execute(runner, `CREATE INDEX webhook_secret_endpoint ON webhook_secret (endpoint_id, created_at DESC)`);
    await execute(runner, `CREATE UNIQUE INDEX webhook_secret_current ON webhook_secret (endpoint_id) WHERE expires_at IS NULL`);

    await execute(
      runner,
      `
      CREATE TABLE webhook_preference (
        institution_id uuid PRIMARY KEY,
        notice_digest  boolean NOT NULL DEFAULT false,
        updated_by     text NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`,
    );

    await execute(
      runner,
      `
      CREATE TABLE webhook_message (
        id             text PRIMARY KEY CHECK (id ~ '^msg_[0-9a-f]{32}$'),
        institution_id uuid NOT NULL,
        type           text NOT NULL CHECK (type IN ('notice.created', 'notice.digest')),
        month          date NOT NULL,
        notice_ids     uuid[] NOT NULL,
        data           jsonb NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await execute(
      runner,
      `
      CREATE TABLE webhook_message_notice (
        -- No foreign keys here or on webhook_delivery.message_id: the fan-out writes a month's tens of thousands of
        -- messages, links and deliveries together from the notices it was given, and a per-row key check would
        -- double its time. Notices and messages are never deleted.
        notice_id  uuid PRIMARY KEY,
        message_id text NOT NULL
      )`,
    );
    await execute(runner, `CREATE INDEX webhook_message_notice_message ON webhook_message_notice (message_id)`);

    await execute(
      runner,
      `
      CREATE TABLE webhook_delivery (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id       text NOT NULL,
        endpoint_id      uuid NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
        institution_id   uuid NOT NULL,
        state            text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'SUCCEEDED', 'FAILED')),
        -- scheduled attempts made; replays are not counted
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz,
        claim_token      uuid,
        replay_requested boolean NOT NULL DEFAULT false,
        first_attempt_at timestamptz,
        last_attempt_at  timestamptz,
        last_status      integer,
        last_error       text,
        succeeded_at     timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhook_delivery_once UNIQUE (message_id, endpoint_id)
      )`,
    );
    await execute(runner, `CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE next_attempt_at IS NOT NULL`);
    await execute(runner, `CREATE INDEX webhook_delivery_institution ON webhook_delivery (institution_id, created_at DESC, id)`);
    await execute(
      runner,
      `CREATE INDEX webhook_delivery_endpoint_open ON webhook_delivery (endpoint_id) WHERE state = 'PENDING' OR next_attempt_at IS NOT NULL`,
    );

    await execute(
      runner,
      `
      CREATE TABLE webhook_attempt (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        delivery_id  uuid NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
        attempted_at timestamptz NOT NULL,
        http_status  integer,
        error        text,
        duration_ms  integer NOT NULL,
        replay       boolean NOT NULL
      )`,
    );
    await execute(runner, `CREATE INDEX webhook_attempt_delivery ON webhook_attempt (delivery_id, id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE webhook_attempt`);
    await execute(runner, `DROP TABLE webhook_delivery`);
    await execute(runner, `DROP TABLE webhook_message_notice`);
    await execute(runner, `DROP TABLE webhook_message`);
    await execute(runner, `DROP TABLE webhook_preference`);
    await execute(runner, `DROP TABLE webhook_secret`);
    await execute(runner, `DROP TABLE webhook_endpoint`);
  }
}
