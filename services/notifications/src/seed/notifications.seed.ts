import type { DemoData } from '#libs/platform';

/** Notifications has no demo data of its own yet: its templates arrive with its migrations. */
export const notificationsDemoData: DemoData = {
  async isEmpty() {
    return false;
  },
  async reset(dataSource) {
    await dataSource.query(`TRUNCATE outbox_event, processed_event, graded_resident, evaluated_month`);
  },
  async seed() {
    return 'nothing to seed';
  },
};
