import { ServiceName } from '#libs/messaging';
import type { RetentionPlan } from '#libs/retention';
import { eraseReporterContacts } from './retention-sql.js';
import { parseRetentionSettings, type RetentionSettings } from './retention-settings.js';

/**
 * Enforcement's daily retention (libs/retention's RetentionJob): erases the contact details of reporters of reports
 * closed past the period (retention-sql.ts), then the shared stores and finished jobs.
 */
export const enforcementRetention: RetentionPlan<RetentionSettings> = {
  service: ServiceName.Enforcement,
  parseSettings: parseRetentionSettings,
  steps: () => [
    async (dataSource, firedAt, settings) => {
      const reports = await eraseReporterContacts(dataSource, firedAt, settings);
      return `reports closed before ${reports.reportsClosedBefore.toISOString()}: ${reports.reporterContactsErased} reporters' contact details erased`;
    },
  ],
};
