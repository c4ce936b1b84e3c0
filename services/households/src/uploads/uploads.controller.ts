import {
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Res,
  UploadedFile,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { Permission, type Caller } from '#libs/auth';
import { DomainError } from '#libs/errors';
import {
  MAX_PHOTO_BYTES,
  PayloadTooLargeAs,
  PlainHttpErrorFilter,
  RequireAnyPermission,
  SignedCaller,
  GatewayCallerGuard,
} from '#libs/platform';
import { PHOTO_TOO_LARGE } from './image-type.js';
import { PHOTO_READ_PERMISSIONS, UploadService, type StoredUpload } from './upload.service.js';

/** The multipart field that carries the photo. */
export const UPLOAD_FIELD = 'file';

/** What multer's memory storage hands over for the one file of the request. */
interface ReceivedFile {
  buffer?: Buffer;
  mimetype?: string;
}

/**
 * `POST /uploads` (multipart/form-data, one file in the field `file`) and `GET /uploads/:id`. Reached through the
 * gateway only: every request must carry the gateway's signed caller.
 */
@Controller('uploads')
@UseGuards(GatewayCallerGuard)
@UseFilters(PlainHttpErrorFilter)
export class UploadsController {
  constructor(private readonly uploads: UploadService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @RequireAnyPermission(Permission.UPLOAD_CREATE)
  // multer keeps the file in memory, stopping (413) as soon as it passes 5 MB; one file part and nothing else.
  @UseInterceptors(
    new PayloadTooLargeAs(PHOTO_TOO_LARGE),
    FileInterceptor(UPLOAD_FIELD, { limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 0, parts: 1, headerPairs: 20 } }),
  )
  create(
    @SignedCaller() caller: Caller,
    @UploadedFile() file: ReceivedFile | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<StoredUpload> {
    if (!file?.buffer) {
      throw DomainError.badInput(`Send the photo as multipart/form-data in the field "${UPLOAD_FIELD}"`, 'MISSING_FILE');
    }
    return this.uploads.create(caller, file.buffer, file.mimetype, idempotencyKey);
  }

  @Get(':id')
  @RequireAnyPermission(...PHOTO_READ_PERMISSIONS)
  async read(@SignedCaller() caller: Caller, @Param('id') id: string, @Res() response: Response): Promise<void> {
    const photo = await this.uploads.read(caller, id);
    response
      .status(HttpStatus.OK)
      .set({
        'Content-Type': photo.contentType,
        'Content-Disposition': 'inline',
        // A photo never changes under its id, but only callers allowed to see it may keep it.
        'Cache-Control': 'private, max-age=31536000, immutable',
        ETag: `"${photo.sha256}"`,
        'X-Content-Type-Options': 'nosniff',
      })
      .send(photo.bytes);
  }
}
