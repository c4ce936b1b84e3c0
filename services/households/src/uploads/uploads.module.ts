import { Module } from '@nestjs/common';
import { Idempotency } from '#libs/idempotency';
import { GatewayCallerGuard, PlainHttpErrorFilter, SERVICE_RUNTIME, type ServiceRuntime } from '#libs/platform';
import { PhotoStorage } from './photo-storage.js';
import { createPhotoStorage } from './upload-directory.js';
import { UPLOAD_SETTINGS, parseUploadSettings } from './upload-settings.js';
import { UploadService } from './upload.service.js';
import { UploadsController } from './uploads.controller.js';
import { InternalCitationsController } from './internal-citations.controller.js';

/**
 * Photo uploads: `POST /uploads` and `GET /uploads/:id`, stored in the directory `UPLOAD_DIR`, at most
 * `UPLOAD_DAILY_QUOTA` a caller a day. Exports `UploadService` for records that cite photos as evidence (`cite`), and
 * the storage (retention deletes orphans).
 */
@Module({
  controllers: [UploadsController, InternalCitationsController],
  providers: [
    { provide: PhotoStorage, inject: [SERVICE_RUNTIME], useFactory: (runtime: ServiceRuntime) => createPhotoStorage(runtime) },
    { provide: UPLOAD_SETTINGS, useFactory: () => parseUploadSettings() },
    UploadService,
    Idempotency,
    GatewayCallerGuard,
    PlainHttpErrorFilter,
  ],
  exports: [UploadService, PhotoStorage],
})
export class UploadsModule {}
