import { ServiceName } from '#libs/messaging';
import type { RetentionPlan } from '#libs/retention';
import { PhotoStorage } from '../uploads/photo-storage.js';
import { UploadsModule } from '../uploads/uploads.module.js';
import { deleteOrphanedUploads } from './retention-sql.js';
import { parseRetentionSettings, type RetentionSettings } from './retention-settings.js';

/**
 * Households' daily retention (libs/retention's RetentionJob): deletes photos no record cites once past the period,
 * row and file (retention-sql.ts), then the shared stores and finished jobs.
 */
export const householdsRetention: RetentionPlan<RetentionSettings, [PhotoStorage]> = {
  service: ServiceName.Households,
  parseSettings: parseRetentionSettings,
  imports: [UploadsModule],
  inject: [PhotoStorage],
  steps: (storage) => [
    async (dataSource, firedAt, settings) => {
      const uploads = await deleteOrphanedUploads(dataSource, storage, firedAt, settings);
      return `uploads no record cites created before ${uploads.uploadsBefore.toISOString()}: ${uploads.uploadsDeleted} deleted`;
    },
  ],
};
