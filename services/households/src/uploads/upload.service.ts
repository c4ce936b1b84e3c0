import { createHash, randomUUID } from 'node:crypto';
import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Permission, canSeeHousehold, hasPermission, isWithinScope, type Caller } from '#libs/auth';
import { execute, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError, ErrorCode } from '#libs/errors';
import { Idempotency } from '#libs/idempotency';
import { MAX_PHOTO_BYTES, isUuid, requireUuid, PlainHttpError } from '#libs/platform';
import { IMAGE_EXTENSIONS, PHOTO_TOO_LARGE, sniffImageType, type ImageType } from './image-type.js';
import { PhotoStorage } from './photo-storage.js';
import { cleanPhoto } from './photo-metadata.js';
import { UPLOAD_SETTINGS, type UploadSettings } from './upload-settings.js';

/** What `POST /uploads` answers: the id other records refer to, and what was stored (after metadata was stripped). */
export interface StoredUpload {
  id: string;
  contentType: ImageType;
  sizeBytes: number;
  sha256: string;
  /** When the camera says the photo was taken (its wall clock, `YYYY-MM-DD HH:MM:SS`), or null. */
  capturedAt: string | null;
}

export interface UploadContent {
  contentType: ImageType;
  sha256: string;
  bytes: Buffer;
}

/** The kinds of record a photo can be evidence of; `upload_citation.record_kind`. */
export enum CitingRecord {
  INSPECTION = 'INSPECTION',
  CHECK_IN = 'CHECK_IN',
  COMMITMENT_LETTER = 'COMMITMENT_LETTER',
  CITIZEN_REPORT = 'CITIZEN_REPORT',
  CASE = 'CASE',
  ACTION_FINDING = 'ACTION_FINDING',
}

/** The record that cites photos, and where it lies: its household, or (records not about one household) its org unit. */
export interface Citation {
  kind: CitingRecord;
  recordId: string;
  householdId?: string | null;
  orgUnitId?: string | null;
}

/**
 * Who may read a cited photo besides its uploader: whoever may read the record, by the permission that record's own
 * read asks for, inside their territory. A household's records follow `canSeeHousehold` (a resident sees their own
 * household); the others are judged by the territory of their household's compound or of their org unit.
 */
const READ_RULES: Record<CitingRecord, { permissions: readonly Permission[]; household: boolean }> = {
  // A resident sees the evidence behind their own household's grade (canSeeHousehold: their own household only).
  [CitingRecord.INSPECTION]: { permissions: [Permission.HOUSEHOLD_READ, Permission.OWN_HOUSEHOLD_READ], household: true },
  [CitingRecord.COMMITMENT_LETTER]: { permissions: [Permission.HOUSEHOLD_READ, Permission.OWN_HOUSEHOLD_READ], household: true },
  [CitingRecord.CHECK_IN]: { permissions: [Permission.CHECK_IN_REVIEW], household: false },
  [CitingRecord.CITIZEN_REPORT]: { permissions: [Permission.REPORT_HANDLE], household: false },
  [CitingRecord.CASE]: { permissions: [Permission.CASE_READ], household: false },
  [CitingRecord.ACTION_FINDING]: { permissions: [Permission.CAMPAIGN_READ], household: false },
};

/** Who may read some photo: its uploader (UPLOAD_CREATE) and the readers of the records photos are evidence of. */
export const PHOTO_READ_PERMISSIONS: readonly Permission[] = [
  Permission.UPLOAD_CREATE,
  ...new Set(Object.values(READ_RULES).flatMap((rule) => rule.permissions)),
];

/** The calendar day a quota counts: Shanghai's, as every date of the platform. */
const TODAY_STARTED = `(date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`;

/**
 * Photos: checked by their bytes, stripped of metadata, stored through `PhotoStorage`, recorded in `upload`. Records
 * that refer to photos call `cite`, which accepts only the caller's own uploads, each once, and records the citation
 * that later decides who may read the photo.
 */
@Injectable()
export class UploadService {
  private readonly logger = new Logger('Uploads');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: PhotoStorage,
    private readonly idempotency: Idempotency,
    @Inject(UPLOAD_SETTINGS) private readonly settings: UploadSettings,
  ) {}

  /**
   * Stores a photo uploaded by `caller`. Its type is what its bytes are, whatever was declared; its metadata (EXIF, GPS,
   * XMP, comments) is removed before anything is written, the capture time kept as `captured_at`. A caller stores at
   * most `UPLOAD_DAILY_QUOTA` photos a day (429 beyond). The file is written first and removed again when the row
   * cannot be inserted, so a failure leaves neither. With an idempotency key, a retry of the same bytes answers the
   * first upload and stores nothing (and counts nothing against the quota).
   */
  async create(caller: Caller, received: Buffer, declaredType: string | undefined, idempotencyKey?: string): Promise<StoredUpload> {
    if (received.length === 0) throw DomainError.badInput('The file is empty', 'EMPTY_FILE');
    if (received.length > MAX_PHOTO_BYTES) throw PlainHttpError.tooLarge(PHOTO_TOO_LARGE);
    const contentType = sniffImageType(received);
    if (!contentType) {
      const declared = declaredType ? ` (it was sent as ${declaredType}, but its content is not an image of those types)` : '';
      throw new PlainHttpError(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'UNSUPPORTED_MEDIA_TYPE',
        `A photo must be a JPEG, PNG or WebP image${declared}`,
      );
    }
    const { bytes, capturedAt } = await cleanPhoto(received, contentType);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const request = { sha256, sizeBytes: bytes.length };

    // Set inside the transaction's callback, read after it fails (also at commit): a holder, since a `let` assigned in
    // a callback still reads as its initial null to the type checker.
    const stored: { key: string | null } = { key: null };
    const work = async (manager: EntityManager): Promise<StoredUpload> => {
      await this.requireQuota(manager, caller);
      const id = randomUUID();
      const key = `${id.slice(0, 2)}/${id}.${IMAGE_EXTENSIONS[contentType]}`;
      await this.storage.put(key, bytes);
      stored.key = key;
      await execute(
        manager,
        `INSERT INTO upload (id, content_type, size_bytes, sha256, storage_key, uploaded_by, captured_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, contentType, bytes.length, sha256, key, caller.userId, capturedAt],
      );
      return { id, contentType, sizeBytes: bytes.length, sha256, capturedAt };
    };
    try {
      return idempotencyKey === undefined
        ? await this.dataSource.transaction(work)
        : await this.idempotency.run(caller, idempotencyKey, 'createUpload', request, work);
    } catch (error) {
      if (stored.key !== null) await this.removeOrphan(stored.key);
      throw error;
    }
  }

  /**
   * Refuses (429 TOO_MANY_REQUESTS) a caller who has stored `dailyQuota` photos today. Concurrent uploads of one caller
   * take turns here (a transaction-scoped advisory lock on the caller), so two at once cannot both take the last one.
   */
  private async requireQuota(manager: EntityManager, caller: Caller): Promise<void> {
    await execute(manager, `SELECT pg_advisory_xact_lock(hashtextextended('upload-quota:' || $1, 0))`, [caller.userId]);
    const { count } = await queryOne<{ count: number }>(
      manager,
      `SELECT count(*)::int AS count FROM upload WHERE uploaded_by = $1 AND created_at >= ${TODAY_STARTED}`,
      [caller.userId],
    );
    if (count >= this.settings.dailyQuota) {
      throw new PlainHttpError(
        HttpStatus.TOO_MANY_REQUESTS,
        'TOO_MANY_REQUESTS',
        `You have uploaded ${count} photos today, the most one person may upload in a day (${this.settings.dailyQuota}); try again tomorrow`,
      );
    }
  }

  /**
   * The bytes and type of photo `id`; BAD_USER_INPUT for an invalid id. Its uploader always sees it; anyone else only
   * when the photo is evidence of a record they may read (see READ_RULES), inside their territory. Everyone else,
   * including everyone but the uploader for a photo no record cites yet, gets NOT_FOUND: a photo outside one's reach
   * is not told apart from one that does not exist.
   */
  async read(caller: Caller, id: string): Promise<UploadContent> {
    const uploadId = requireUuid(id, 'id');
    const row = await queryFirst<{
      contentType: ImageType;
      sha256: string;
      storageKey: string;
      uploadedBy: string;
      metadataStripped: boolean;
      kind: CitingRecord | null;
      householdId: string | null;
      path: string[] | null;
    }>(
      this.dataSource,
      `SELECT u.content_type AS "contentType", u.sha256, u.storage_key AS "storageKey", u.uploaded_by AS "uploadedBy",
              u.metadata_stripped AS "metadataStripped", c.record_kind AS kind, c.household_id AS "householdId", coalesce(compound.path, unit.path)::text[] AS path
         FROM upload u
         LEFT JOIN upload_citation c ON c.upload_id = u.id
         LEFT JOIN household h ON h.id = c.household_id
         LEFT JOIN territory_unit compound ON compound.id = h.compound_id
         LEFT JOIN territory_unit unit ON unit.id = c.org_unit_id
        WHERE u.id = $1`,
      [uploadId],
    );
    if (!row || !(row.uploadedBy === caller.userId || this.mayReadRecord(caller, row))) throw DomainError.notFound('Upload', uploadId);
    const stored = await this.storage.get(row.storageKey);
    if (!stored) throw new Error(`The stored file of upload ${uploadId} is missing`);
    if (row.metadataStripped) return { contentType: row.contentType, sha256: row.sha256, bytes: stored };
    // Stored before metadata was stripped on ingest: served without it all the same.
    const { bytes } = await cleanPhoto(stored, row.contentType).catch((error: Error) => {
      throw new Error(`The stored photo ${uploadId} cannot be served without its metadata: ${error.message}`);
    });
    return { contentType: row.contentType, sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
  }

  private mayReadRecord(caller: Caller, cited: { kind: CitingRecord | null; householdId: string | null; path: string[] | null }): boolean {
    if (cited.kind === null) return false;
    const rule = READ_RULES[cited.kind];
    if (!rule.permissions.some((permission) => hasPermission(caller, permission))) return false;
    // A record placed nowhere in the tree (a report with coordinates only) is the whole district's: district-wide callers.
    const path = cited.path ?? [];
    return rule.household && cited.householdId !== null ? canSeeHousehold(caller, cited.householdId, path) : isWithinScope(caller, path);
  }

  /**
   * Records that `citation`'s record has the photos `ids` as evidence, in the caller's transaction, so the record and
   * its citations are written together or not at all. Each photo must exist (BAD_USER_INPUT UNKNOWN_PHOTO), be the
   * caller's own upload (FORBIDDEN NOT_YOUR_PHOTO: nobody can make another person's photo evidence, nor read it
   * through a record they wrote), and not be evidence of another record already (BAD_USER_INPUT PHOTO_ALREADY_CITED);
   * `details.ids` names the culprits. One query checks them all; the upload rows stay key-share locked until the
   * transaction ends, and of two transactions citing one photo the second finds the first's row and fails.
   */
  async cite(manager: EntityManager, caller: Caller, ids: readonly string[], citation: Citation): Promise<void> {
    const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
    if (unique.length === 0) return;
    const wellFormed = unique.filter(isUuid);
    const rows =
      wellFormed.length === 0
        ? []
        : await queryRows<{ id: string; uploadedBy: string; cited: boolean }>(
            manager,
            `SELECT u.id::text AS id, u.uploaded_by AS "uploadedBy", EXISTS (SELECT 1 FROM upload_citation c WHERE c.upload_id = u.id) AS cited
               FROM upload u WHERE u.id = ANY($1::uuid[]) FOR KEY SHARE`,
            [wellFormed],
          );
    const found = new Map(rows.map((row) => [row.id, row]));
    const unknown = unique.filter((id) => !found.has(id));
    if (unknown.length > 0) {
      throw DomainError.badInput(`No uploaded photo has the id ${unknown.join(', ')}`, 'UNKNOWN_PHOTO', { ids: unknown });
    }
    const others = rows.filter((row) => row.uploadedBy !== caller.userId).map((row) => row.id);
    if (others.length > 0) {
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        `Evidence may only be photos you uploaded yourself; not ${others.join(', ')}`,
        'NOT_YOUR_PHOTO',
        {
          ids: others,
        },
      );
    }
    const cited = rows.filter((row) => row.cited).map((row) => row.id);
    if (cited.length > 0) throw alreadyCited(cited);
    const inserted = await queryRows<{ id: string }>(
      manager,
      `INSERT INTO upload_citation (upload_id, record_kind, record_id, household_id, org_unit_id, cited_by)
       SELECT unnest($1::uuid[]), $2, $3, $4, $5, $6
       ON CONFLICT (upload_id) DO NOTHING RETURNING upload_id::text AS id`,
      [unique, citation.kind, citation.recordId, citation.householdId ?? null, citation.orgUnitId ?? null, caller.userId],
    );
    if (inserted.length < unique.length) {
      const done = new Set(inserted.map((row) => row.id));
      throw alreadyCited(unique.filter((id) => !done.has(id)));
    }
  }

  /** `cite` in a transaction of its own: for records of other services, whose transactions households cannot join. */
  async citeInOwnTransaction(caller: Caller, ids: readonly string[], citation: Citation): Promise<void> {
    await this.dataSource.transaction((manager) => this.cite(manager, caller, ids, citation));
  }

  /**
   * Removes the citations a record of another service made, when that record was not written after all (its own
   * transaction failed after citing). Only the user who cited can release, so nobody frees another's evidence.
   */
  async release(caller: Caller, kind: CitingRecord, recordId: string): Promise<void> {
    await execute(this.dataSource, `DELETE FROM upload_citation WHERE record_kind = $1 AND record_id = $2 AND cited_by = $3`, [
      kind,
      recordId,
      caller.userId,
    ]);
  }

  private async removeOrphan(key: string): Promise<void> {
    try {
      await this.storage.delete(key);
    } catch (error) {
      this.logger.error(`Could not remove the photo file ${key} of a failed upload: ${(error as Error).message}`);
    }
  }
}

function alreadyCited(ids: string[]): DomainError {
  return DomainError.badInput(
    `A photo is evidence of one record only, and ${ids.join(', ')} already is; upload the photo again for another record`,
    'PHOTO_ALREADY_CITED',
    { ids },
  );
}
