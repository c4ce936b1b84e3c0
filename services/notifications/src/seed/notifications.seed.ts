import type { DemoData } from '#libs/platform';

/** Notifications has no demo data of its own yet: its templates arrive with its migrations. */
export const notificationsDemoData: DemoData = {
  async isEmpty() {
    return false;
  },
  /**
   * Empties every table of notifications data; keeps what migrations installed (templates, the default notice rules).
   * A district's own notice rules go too: a test database is reused by the next test file, whose demo months would
   * otherwise be decided by rules an earlier file published (and perhaps dated back), not the defaults.
   */
  async reset(dataSource) {
    await dataSource.query(`TRUNCATE outbox_event, processed_event, graded_household, graded_resident, evaluated_month, notice, held_notice, grade_copy_purge,
                                  institution_api_key, institution_enrolment, api_key_audit_event, personal_data_access,
                                  territory_unit, institution_copy, webhook_attempt, webhook_delivery, disclosure_outlet, webhook_message_notice, webhook_message,
                                  webhook_preference, webhook_secret, webhook_endpoint, public_disclosure_event, public_disclosure_correction,
                                  public_disclosure_entry, public_disclosure, objection_window_closed, objection_hold`);
    await dataSource.query(`DELETE FROM notice_rule_set WHERE created_by <> 'migration'`);
  },
  async seed() {
    return 'nothing to seed';
  },
};
