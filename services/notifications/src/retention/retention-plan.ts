import { ServiceName } from '#libs/messaging';
import type { RetentionPlan } from '#libs/retention';
import { applyRetention } from './retention-sql.js';
import { parseRetentionSettings, type RetentionSettings } from './retention-settings.js';

/**
 * Notifications' daily retention (libs/retention's RetentionJob): deletes grade copies and webhook attempts past their
 * period and redacts old notices (retention-sql.ts), then the shared stores (no idempotency records here) and
 * finished jobs.
 */
export const notificationsRetention: RetentionPlan<RetentionSettings> = {
  service: ServiceName.Notifications,
  parseSettings: parseRetentionSettings,
  steps: () => [
    async (dataSource, firedAt, settings) => {
      const result = await applyRetention(dataSource, firedAt, settings);
      return (
        `grade copies before ${result.gradeCopiesBefore}: ${result.gradedHouseholdsDeleted} households, ${result.gradedResidentsDeleted} residents, ${result.heldNoticesDeleted} held notices deleted; ` +
        `notices before ${result.noticesBefore}: ${result.noticesRedacted} redacted; ` +
        `webhook attempts before ${result.attemptsBefore.toISOString()}: ${result.webhookAttemptsDeleted} deleted; ` +
        `contacts of ${result.enrolmentContactsErased} expired enrolments erased; ${result.apiKeyAuditEventsDeleted} API-key audit rows deleted`
      );
    },
  ],
};
