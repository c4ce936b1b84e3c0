import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Which record cites which photo, and when a photo was taken.
 *
 * `upload_citation`: one row per cited photo (the upload id is the key, so a photo is evidence of at most one record,
 * and "is this photo cited" is one index lookup). The row names the record (`record_kind`, `record_id`) and where it
 * lies: its household (read through the household's compound) or, for records not about one household, its org unit
 * (neither: a record placed nowhere in the tree, such as a report with coordinates only, readable district-wide).
 * Reading a photo is allowed by these columns, so they are copied when the citation is made and never change.
 *
 * `upload.captured_at`: the camera's DateTimeOriginal, kept as its own column because the photo's metadata is stripped
 * on ingest. A camera's clock has no time zone, hence `timestamp` (wall-clock) rather than `timestamptz`.
 *
 * `upload.metadata_stripped`: false for photos stored before this migration, which are stripped as they are served.
 *
 * Existing evidence is cited here, oldest first; a photo an earlier record already cites stays that record's.
 */
export class CreateUploadCitations1796000000381 implements MigrationInterface {
  name = 'CreateUploadCitations1796000000381';

  async up(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE upload ADD COLUMN captured_at timestamp`);
    // Photos stored before metadata was stripped on ingest are stripped when served (false); new ones are stored clean.
    await execute(runner, `ALTER TABLE upload ADD COLUMN metadata_stripped boolean NOT NULL DEFAULT false`);
    await execute(runner, `ALTER TABLE upload ALTER COLUMN metadata_stripped SET DEFAULT true`);
    // The daily quota counts a caller's uploads of the day.
    await execute(runner, `CREATE INDEX upload_uploaded_by_created_at ON upload (uploaded_by, created_at)`);
    await execute(
      runner,
      `
      CREATE TABLE upload_citation (
        upload_id    uuid PRIMARY KEY REFERENCES upload (id) ON DELETE CASCADE,
        record_kind  text NOT NULL CHECK (record_kind IN ('INSPECTION', 'CHECK_IN', 'COMMITMENT_LETTER', 'CITIZEN_REPORT', 'CASE', 'ACTION_FINDING')),
        record_id    uuid NOT NULL,
        household_id uuid,
        org_unit_id  uuid,
        cited_by     text NOT NULL,
        cited_at     timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await execute(runner, `CREATE INDEX upload_citation_record ON upload_citation (record_kind, record_id)`);
    await execute(
      runner,
      `
      INSERT INTO upload_citation (upload_id, record_kind, record_id, household_id, cited_by, cited_at)
      SELECT DISTINCT ON (upload_id) upload_id, record_kind, record_id, household_id, cited_by, cited_at
        FROM (
          SELECT unnest(i.photo_ids) AS upload_id, 'INSPECTION'::text AS record_kind, i.id AS record_id, i.household_id,
                 i.inspector_id::text AS cited_by, i.created_at::timestamptz AS cited_at
            FROM inspection i
          UNION ALL
          SELECT c.photo_id, 'CHECK_IN', c.id, c.household_id, c.party_member_id::text, c.submitted_at::timestamptz FROM photo_check_in c
          UNION ALL
          SELECT l.photo_id, 'COMMITMENT_LETTER', l.id, l.household_id, l.recorded_by::text, l.created_at::timestamptz
            FROM commitment_letter l WHERE l.photo_id IS NOT NULL
        ) AS cited
       WHERE EXISTS (SELECT 1 FROM upload u WHERE u.id = cited.upload_id)
       ORDER BY upload_id, cited_at, record_id`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE upload_citation`);
    await execute(runner, `DROP INDEX upload_uploaded_by_created_at`);
    await execute(runner, `ALTER TABLE upload DROP COLUMN metadata_stripped`);
    await execute(runner, `ALTER TABLE upload DROP COLUMN captured_at`);
  }
}
