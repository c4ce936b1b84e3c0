import type { DemoData } from '#libs/platform';

/** Notifications has no demo data of its own yet: its templates arrive with its migrations. */
export const notificationsDemoData: DemoData = {
  async isEmpty() {
    return false;
  },
  async reset(dataSource) {
    await dataSource.query(`TRUNCATE outbox_event, processed_event, graded_household, graded_resident, evaluated_month, notice, institution_api_key, institution_enrolment, api_key_audit_event, personal_data_access,
                                  territory_unit, institution_copy, webhook_attempt, webhook_delivery, disclosure_outlet, webhook_message_notice, webhook_message,
                                  webhook_preference, webhook_secret, webhook_endpoint, public_disclosure_event, public_disclosure_correction,
                                  public_disclosure_entry, public_disclosure, objection_window_closed, objection_hold`);
  },
  async seed() {
    return 'nothing to seed';
  },
};
