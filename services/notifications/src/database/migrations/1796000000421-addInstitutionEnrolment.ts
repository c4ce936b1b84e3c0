import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Institutions get their API keys by enrolment, so no member of staff ever sees a key's secret: staff issue a
 * one-time enrolment code (only its SHA-256 is kept) for the institution's contact, and the institution redeems it
 * for its key. Each key remembers the enrolment it came from and the staff member who issued that code (a rotated
 * key inherits both), so every use of the key can be traced to them. `api_key_audit_event` records issuing,
 * cancelling, redeeming, rotating and revoking, and every unmasked read of personal data made with a key.
 *
 * Keys issued before this change were shown to the staff member who created them: they are attributed to that
 * person (`issued_by = created_by`) and keep working; institutions should rotate them (rotation reveals the new
 * secret to the institution alone).
 */
export class AddInstitutionEnrolment1796000000421 implements MigrationInterface {
  name = 'AddInstitutionEnrolment1796000000421';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE institution_enrolment (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL,
        code_hash      bytea NOT NULL UNIQUE,
        label          text NOT NULL,
        contact_name   text,
        contact_phone  text,
        issued_by      text NOT NULL,
        issued_at      timestamptz NOT NULL DEFAULT now(),
        expires_at     timestamptz NOT NULL,
        redeemed_at    timestamptz,
        api_key_id     uuid REFERENCES institution_api_key (id),
        cancelled_at   timestamptz,
        cancelled_by   text,
        CHECK (redeemed_at IS NULL OR cancelled_at IS NULL)
      )`,
    );
    await execute(runner, `CREATE INDEX institution_enrolment_issued ON institution_enrolment (issued_at DESC, id)`);
    await execute(runner, `CREATE INDEX institution_enrolment_institution ON institution_enrolment (institution_id, issued_at DESC, id)`);
    await execute(
      runner,
      `ALTER TABLE institution_api_key ADD COLUMN enrolment_id uuid REFERENCES institution_enrolment (id), ADD COLUMN issued_by text`,
    );
    await execute(runner, `UPDATE institution_api_key SET issued_by = created_by`);
    await execute(runner, `ALTER TABLE institution_api_key ALTER COLUMN issued_by SET NOT NULL`);
    await execute(
      runner,
      `
      CREATE TABLE api_key_audit_event (
        id             bigserial PRIMARY KEY,
        occurred_at    timestamptz NOT NULL DEFAULT now(),
        kind           text NOT NULL CHECK (kind IN ('ENROLMENT_ISSUED', 'ENROLMENT_CANCELLED', 'ENROLMENT_REDEEMED', 'KEY_ROTATED', 'KEY_REVOKED', 'UNMASKED_READ')),
        institution_id uuid NOT NULL,
        api_key_id     uuid,
        enrolment_id   uuid,
        issued_by      text,
        actor          text NOT NULL,
        request_id     text NOT NULL,
        entity         text,
        entity_ids     uuid[]
      )`,
    );
    await execute(runner, `CREATE INDEX api_key_audit_event_occurred ON api_key_audit_event (occurred_at DESC, id)`);
    await execute(runner, `CREATE INDEX api_key_audit_event_institution ON api_key_audit_event (institution_id, occurred_at DESC, id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE api_key_audit_event`);
    await execute(runner, `ALTER TABLE institution_api_key DROP COLUMN enrolment_id, DROP COLUMN issued_by`);
    await execute(runner, `DROP TABLE institution_enrolment`);
  }
}
