import { queryOne } from '#libs/database';
import { ServiceName } from '#libs/messaging';
import { waitFor } from '#libs/testing';
import type { TestPlatform } from './platform.js';

/**
 * Waits until notifications has made the notices of the platform's two seeded (graded) months: the set-up of every
 * test that reads notices, webhooks or disclosures made from them.
 */
export async function waitForDemoNotices(platform: Pick<TestPlatform, 'database'>): Promise<void> {
  await waitFor(
    'the demo months’ notices',
    async () => {
      const { waiting } = await queryOne<{ waiting: number }>(
        platform.database(ServiceName.Notifications),
        `SELECT count(*) FILTER (WHERE notices_generated_at IS NULL)::int + 2 - count(*)::int AS waiting FROM evaluated_month`,
      );
      return waiting === 0;
    },
    60_000,
  );
}
