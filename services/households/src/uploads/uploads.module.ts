import { Module } from '@nestjs/common';
import { Idempotency } from '#libs/idempotency';
import { SERVICE_RUNTIME, type ServiceRuntime } from '#libs/platform';
import { PhotoStorage } from './photo-storage.js';
import { createPhotoStorage } from './upload-directory.js';
import { SignedCallerGuard, PlainHttpErrorFilter } from '../http/plain-http.js';
import { UploadService } from './upload.service.js';
import { UploadsController } from './uploads.controller.js';

/**
 * Photo uploads: `POST /uploads` and `GET /uploads/:id`, stored in the directory `UPLOAD_DIR`. Exports
 * `UploadService` for records that refer to photos (`requireUploads`), and the storage (retention deletes orphans).
 */
@Module({
  controllers: [UploadsController],
  providers: [
    { provide: PhotoStorage, inject: [SERVICE_RUNTIME], useFactory: (runtime: ServiceRuntime) => createPhotoStorage(runtime) },
    UploadService,
    Idempotency,
    SignedCallerGuard,
    PlainHttpErrorFilter,
  ],
  exports: [UploadService, PhotoStorage],
})
export class UploadsModule {}
