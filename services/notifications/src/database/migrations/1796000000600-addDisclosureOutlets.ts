import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Published disclosures delivered to the district's media outlets (institutions of kind MEDIA), with their API keys and
 * signed webhooks (disclosure/disclosure-outlets.ts):
 * - disclosure_outlet: one row per disclosure and outlet it was addressed to when published; when the outlet first
 *   read it through the API, and its acknowledgement of publication (when, where: a URL and/or words, by which key).
 * - webhook_message.disclosure_id and the types disclosure.published / disclosure.withdrawn; such a message announces
 *   no notices (notice_ids is empty). One message per disclosure, outlet and type, so fan-out is idempotent.
 */
export class AddDisclosureOutlets1796000000600 implements MigrationInterface {
  name = 'AddDisclosureOutlets1796000000600';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE disclosure_outlet (
        disclosure_id   uuid NOT NULL REFERENCES public_disclosure (id),
        institution_id  uuid NOT NULL,
        shared_at       timestamptz NOT NULL DEFAULT now(),
        first_read_at   timestamptz,
        acknowledged_at timestamptz,
        -- the API key's caller id (api-key:<prefix>) that acknowledged
        acknowledged_by text,
        -- when and where the outlet says it published the disclosure
        published_at    timestamptz,
        published_url   text,
        published_placement text,
        PRIMARY KEY (disclosure_id, institution_id),
        CONSTRAINT disclosure_outlet_acknowledged CHECK ((acknowledged_at IS NULL) = (published_at IS NULL)),
        CONSTRAINT disclosure_outlet_where CHECK (acknowledged_at IS NULL OR published_url IS NOT NULL OR published_placement IS NOT NULL)
      )`,
    );
    await execute(
      runner,
      `CREATE INDEX disclosure_outlet_institution ON disclosure_outlet (institution_id, shared_at DESC, disclosure_id)`,
    );

    await execute(runner, `ALTER TABLE webhook_message ADD COLUMN disclosure_id uuid REFERENCES public_disclosure (id)`);
    await execute(runner, `ALTER TABLE webhook_message DROP CONSTRAINT webhook_message_type_check`);
    await execute(
      runner,
      `
      ALTER TABLE webhook_message ADD CONSTRAINT webhook_message_type_check
        CHECK (type IN ('notice.created', 'notice.digest', 'notice.withdrawn', 'disclosure.published', 'disclosure.withdrawn'))`,
    );
    await execute(
      runner,
      `
      ALTER TABLE webhook_message ADD CONSTRAINT webhook_message_disclosure
        CHECK ((disclosure_id IS NOT NULL) = (type LIKE 'disclosure.%') AND (disclosure_id IS NULL OR cardinality(notice_ids) = 0))`,
    );
    await execute(
      runner,
      `CREATE UNIQUE INDEX webhook_message_disclosure_once ON webhook_message (disclosure_id, institution_id, type) WHERE disclosure_id IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `DELETE FROM webhook_attempt a USING webhook_delivery d, webhook_message m
                         WHERE a.delivery_id = d.id AND d.message_id = m.id AND m.disclosure_id IS NOT NULL`,
    );
    await execute(
      runner,
      `DELETE FROM webhook_delivery d USING webhook_message m WHERE d.message_id = m.id AND m.disclosure_id IS NOT NULL`,
    );
    await execute(runner, `DELETE FROM webhook_message WHERE disclosure_id IS NOT NULL`);
    await execute(runner, `DROP INDEX webhook_message_disclosure_once`);
    await execute(runner, `ALTER TABLE webhook_message DROP CONSTRAINT webhook_message_disclosure`);
    await execute(runner, `ALTER TABLE webhook_message DROP CONSTRAINT webhook_message_type_check`);
    await execute(
      runner,
      `ALTER TABLE webhook_message ADD CONSTRAINT webhook_message_type_check CHECK (type IN ('notice.created', 'notice.digest', 'notice.withdrawn'))`,
    );
    await execute(runner, `ALTER TABLE webhook_message DROP COLUMN disclosure_id`);
    await execute(runner, `DROP TABLE disclosure_outlet`);
  }
}
