import { createHash, randomUUID } from 'node:crypto';
import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Permission, hasPermission, type Caller } from '#libs/auth';
import { DomainError } from '#libs/errors';
import { Idempotency } from '#libs/idempotency';
import { isUuid, requireUuid } from '#libs/platform';
import { IMAGE_EXTENSIONS, MAX_UPLOAD_BYTES, PHOTO_TOO_LARGE, sniffImageType, type ImageType } from './image-type.js';
import { PhotoStorage } from './photo-storage.js';
import { PlainHttpError } from '../http/plain-http.js';

/** What `POST /uploads` answers: the id other records refer to, and what was stored. */
export interface StoredUpload {
  id: string;
  contentType: ImageType;
  sizeBytes: number;
  sha256: string;
}

export interface UploadContent {
  contentType: ImageType;
  sha256: string;
  bytes: Buffer;
}

/**
 * Photos: checked by their bytes, stored through `PhotoStorage`, recorded in `upload`. Other modules call
 * `requireUploads` to accept only ids of photos that exist.
 */
@Injectable()
export class UploadService {
  private readonly logger = new Logger('Uploads');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: PhotoStorage,
    private readonly idempotency: Idempotency,
  ) {}

  /**
   * Stores a photo uploaded by `caller`. Its type is what its bytes are, whatever was declared. The file is written
   * first and removed again when the row cannot be inserted, so a failure leaves neither. With an idempotency key,
   * a retry of the same bytes answers the first upload and stores nothing.
   */
  async create(caller: Caller, bytes: Buffer, declaredType: string | undefined, idempotencyKey?: string): Promise<StoredUpload> {
    if (bytes.length === 0) throw DomainError.badInput('The file is empty', 'EMPTY_FILE');
    if (bytes.length > MAX_UPLOAD_BYTES) throw PlainHttpError.tooLarge(PHOTO_TOO_LARGE);
    const contentType = sniffImageType(bytes);
    if (!contentType) {
      const declared = declaredType ? ` (it was sent as ${declaredType}, but its content is not an image of those types)` : '';
      throw new PlainHttpError(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'UNSUPPORTED_MEDIA_TYPE',
        `A photo must be a JPEG, PNG or WebP image${declared}`,
      );
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const request = { sha256, sizeBytes: bytes.length };

    let storedKey: string | null = null;
    const work = async (manager: EntityManager): Promise<StoredUpload> => {
      const id = randomUUID();
      const key = `${id.slice(0, 2)}/${id}.${IMAGE_EXTENSIONS[contentType]}`;
      await this.storage.put(key, bytes);
      storedKey = key;
      await manager.query(
        `INSERT INTO upload (id, content_type, size_bytes, sha256, storage_key, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, contentType, bytes.length, sha256, key, caller.userId],
      );
      return { id, contentType, sizeBytes: bytes.length, sha256 };
    };
    try {
      return idempotencyKey === undefined
        ? await this.dataSource.transaction(work)
        : await this.idempotency.run(caller, idempotencyKey, 'createUpload', request, work);
    } catch (error) {
      if (storedKey) await this.removeOrphan(storedKey);
      throw error;
    }
  }

  /**
   * The bytes and type of photo `id`; BAD_USER_INPUT for an invalid id, NOT_FOUND for an unknown one. Staff who read
   * households see any photo; everyone else (residents, party members on their phones) only the photos they uploaded.
   */
  async read(caller: Caller, id: string): Promise<UploadContent> {
    const uploadId = requireUuid(id, 'id');
    const [row]: { contentType: ImageType; sha256: string; storageKey: string; uploadedBy: string }[] = await this.dataSource.query(
      `SELECT content_type AS "contentType", sha256, storage_key AS "storageKey", uploaded_by AS "uploadedBy" FROM upload WHERE id = $1`,
      [uploadId],
    );
    if (!row || (!hasPermission(caller, Permission.HOUSEHOLD_READ) && row.uploadedBy !== caller.userId)) {
      throw DomainError.notFound('Upload', uploadId);
    }
    const bytes = await this.storage.get(row.storageKey);
    if (!bytes) throw new Error(`The stored file of upload ${uploadId} is missing`);
    return { contentType: row.contentType, sha256: row.sha256, bytes };
  }

  /**
   * For records that refer to photos: throws BAD_USER_INPUT (reason UNKNOWN_PHOTO, `details.ids` the culprits)
   * unless every id is an existing upload. One query, in the caller's transaction; the rows are key-share locked
   * until it ends, so a photo cannot disappear between this check and the caller's insert.
   */
  async requireUploads(manager: EntityManager, ids: readonly string[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const wellFormed = unique.filter(isUuid).map((id) => id.toLowerCase());
    const rows: { id: string }[] =
      wellFormed.length === 0
        ? []
        : await manager.query(`SELECT id::text AS id FROM upload WHERE id = ANY($1::uuid[]) FOR KEY SHARE`, [wellFormed]);
    const found = new Set(rows.map((row) => row.id));
    const unknown = unique.filter((id) => !found.has(id.toLowerCase()));
    if (unknown.length > 0) {
      throw DomainError.badInput(`No uploaded photo has the id ${unknown.join(', ')}`, 'UNKNOWN_PHOTO', { ids: unknown });
    }
  }

  private async removeOrphan(key: string): Promise<void> {
    try {
      await this.storage.delete(key);
    } catch (error) {
      this.logger.error(`Could not remove the photo file ${key} of a failed upload: ${(error as Error).message}`);
    }
  }
}
