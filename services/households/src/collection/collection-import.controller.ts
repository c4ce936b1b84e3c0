import { Controller, HttpStatus, Post, Res, UploadedFile, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { Permission, type Caller } from '#libs/auth';
import { DomainError } from '#libs/errors';
import {
  MAX_COLLECTION_IMPORT_FILE_BYTES,
  PayloadTooLargeAs,
  RequireAnyPermission,
  SignedCaller,
  GatewayCallerGuard,
  PlainHttpErrorFilter,
} from '#libs/platform';
import type { CollectionImportResult } from './collection-record.model.js';
import { CollectionRecordService } from './collection-record.service.js';

/** The multipart field that carries the CSV file. */
export const IMPORT_FILE_FIELD = 'file';
/** The largest CSV file `POST /collection-imports` takes (10 MiB); the GraphQL mutation stops at its 1 MB body. */

/** What multer's memory storage hands over for the one file of the request. */
interface ReceivedFile {
  buffer?: Buffer;
  originalname?: string;
}

/**
 * The file as text. Invalid UTF-8 is not refused here: decoded with U+FFFD in its place, the file check reports it as
 * ENCODING on its line, exactly as for a GraphQL string. A BOM is kept, as in the file (the CSV parser skips it), so a
 * valid file's import `sha256` is the SHA-256 of its bytes.
 */
export function decodeImportFile(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  }
}

/**
 * `POST /collection-imports` (multipart/form-data, one CSV file of at most 10 MiB in the field `file`): a transfer
 * station's export, imported exactly as by the `importCollectionRecords` mutation, which browsers cannot send large
 * files to. 201 with `{ import, alreadyImported: false }`; 200 with `alreadyImported: true` for content imported before;
 * 400 BAD_USER_INPUT / INVALID_IMPORT_FILE with `error.details.errors` [{ line, column, code, message }] for a file with
 * errors (nothing imported). Reached through the gateway only: every request must carry the gateway's signed caller.
 */
@Controller('collection-imports')
@UseGuards(GatewayCallerGuard)
@UseFilters(PlainHttpErrorFilter)
export class CollectionImportController {
  constructor(private readonly records: CollectionRecordService) {}

  @Post()
  @RequireAnyPermission(Permission.COLLECTION_RECORD_MANAGE)
  // multer keeps the file in memory, stopping (413) as soon as it passes 10 MiB; one file part and nothing else. File
  // names arrive as browsers send them, in UTF-8 (转运站.csv).
  @UseInterceptors(
    new PayloadTooLargeAs(`A CSV file may be at most ${MAX_COLLECTION_IMPORT_FILE_BYTES.toLocaleString('en')} bytes (10 MiB)`),
    FileInterceptor(IMPORT_FILE_FIELD, {
      defParamCharset: 'utf8',
      limits: { fileSize: MAX_COLLECTION_IMPORT_FILE_BYTES, files: 1, fields: 0, parts: 1, headerPairs: 20 },
    }),
  )
  async create(
    @SignedCaller() caller: Caller,
    @UploadedFile() file: ReceivedFile | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CollectionImportResult> {
    if (!file?.buffer) {
      throw DomainError.badInput(`Send the CSV file as multipart/form-data in the field "${IMPORT_FILE_FIELD}"`, 'MISSING_FILE');
    }
    const result = await this.records.importCsv(caller, decodeImportFile(file.buffer), file.originalname?.slice(0, 255) || null);
    response.status(result.alreadyImported ? HttpStatus.OK : HttpStatus.CREATED);
    return result;
  }
}
