import { ServiceName } from '#libs/messaging';
import type { RetentionPlan } from '#libs/retention';
import { maskContestEntrants } from './retention-sql.js';
import { parseRetentionSettings, type RetentionSettings } from './retention-settings.js';

/**
 * Organization's daily retention (libs/retention's RetentionJob): masks contest entrants' names
 * CONTEST_ENTRANT_RETENTION_DAYS after the contest's deadline (retention-sql.ts), then the shared stores and finished
 * jobs. Party members, volunteers and leaders are kept while their record is live: organization deletes them when
 * they leave.
 */
export const organizationRetention: RetentionPlan<RetentionSettings> = {
  service: ServiceName.Organization,
  parseSettings: parseRetentionSettings,
  steps: () => [
    async (dataSource, firedAt, settings) => {
      const entrants = await maskContestEntrants(dataSource, firedAt, settings);
      return `contest entrants' names masked: ${entrants.entrantNamesMasked} (contests closed before ${entrants.contestsClosedBefore.toISOString()})`;
    },
  ],
};
