import type { DataSource } from 'typeorm';
import { queryRows } from '#libs/database';
import { daysBefore } from '#libs/retention';
import type { PhotoStorage } from '../uploads/photo-storage.js';

/**
 * Uploads deleted per transaction. Each file is removed inside its row's transaction, so a batch holds its rows a
 * little longer than a plain DELETE would: kept smaller than RETENTION_BATCH_SIZE.
 */
export const ORPHANED_UPLOAD_BATCH_SIZE = 500;

/**
 * The ids of uploads no record cites, created before $1, oldest first, at most $2, locked for deletion. Every record
 * that cites a photo, in households or in enforcement, records it in `upload_citation`: one index lookup per upload.
 *
 * FOR UPDATE SKIP LOCKED: a transaction citing a photo right now holds its row (UploadService takes a key-share lock
 * when citing), so the photo is skipped this run; and a citation that waits for this run's lock then finds the photo
 * gone and fails as for an unknown photo, nothing written.
 */
export function orphanedUploadsSql(): string {
  return `
SELECT u.id FROM upload u
 WHERE u.created_at < $1
   AND NOT EXISTS (SELECT 1 FROM upload_citation c WHERE c.upload_id = u.id)
   -- Photos stored before citations were recorded (still stripped on serving) may be evidence of enforcement records
   -- households never saw cite them: never orphans.
   AND u.metadata_stripped
 ORDER BY u.created_at
 LIMIT $2
   FOR UPDATE OF u SKIP LOCKED`;
}

export interface OrphanedUploadResult {
  uploadsBefore: Date;
  uploadsDeleted: number;
}

/**
 * Deletes uploads no record cites that are older than the period at `firedAt`: the row and the file. Batch by batch,
 * each in one transaction that deletes the rows, then their files, then commits: a file is never left without its row
 * (a failure rolls the rows back and the next run deletes them again; deleting a file already gone is no error).
 */
export async function deleteOrphanedUploads(
  dataSource: DataSource,
  storage: PhotoStorage,
  firedAt: Date,
  settings: { orphanedUploadDays: number },
): Promise<OrphanedUploadResult> {
  const uploadsBefore = daysBefore(firedAt, settings.orphanedUploadDays);
  let uploadsDeleted = 0;
  for (;;) {
    const deleted = await dataSource.transaction(async (manager) => {
      const rows = await queryRows<{ storageKey: string }>(
        manager,
        `DELETE FROM upload WHERE id = ANY(ARRAY(${orphanedUploadsSql()})) RETURNING storage_key AS "storageKey"`,
        [uploadsBefore, ORPHANED_UPLOAD_BATCH_SIZE],
      );
      for (const { storageKey } of rows) await storage.delete(storageKey);
      return rows.length;
    });
    uploadsDeleted += deleted;
    if (deleted < ORPHANED_UPLOAD_BATCH_SIZE) return { uploadsBefore, uploadsDeleted };
  }
}
