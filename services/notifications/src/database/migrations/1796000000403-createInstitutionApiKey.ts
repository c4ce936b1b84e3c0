import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Institutions' API keys: `wsk_<prefix>_<secret>`. The prefix is kept and shown (to tell keys apart); of the whole
 * key only a SHA-256 hash is kept, so a leaked table grants nothing. A rotated key keeps working until `expires_at`
 * (the overlap in which the institution switches over); a revoked key stops at once.
 */
export class CreateInstitutionApiKey1796000000403 implements MigrationInterface {
  name = 'CreateInstitutionApiKey1796000000403';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE institution_api_key (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL,
        prefix         text NOT NULL UNIQUE,
        key_hash       bytea NOT NULL,
        label          text NOT NULL,
        created_by     text NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        expires_at     timestamptz,
        replaced_by    uuid REFERENCES institution_api_key (id),
        revoked_at     timestamptz,
        revoked_by     text,
        last_used_at   timestamptz
      )`,
    );
    await execute(runner, `CREATE INDEX institution_api_key_institution ON institution_api_key (institution_id, created_at DESC, id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE institution_api_key`);
  }
}
