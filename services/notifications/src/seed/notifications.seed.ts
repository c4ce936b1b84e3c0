import { addMonths, monthStart, shanghaiMonth } from '#libs/calendar';
import { execute, queryOne } from '#libs/database';
import type { DemoData } from '#libs/platform';

/**
 * Notifications' demo data is the district's own notice rules; templates and the default rules arrive with its
 * migrations, and notices with the graded months' events.
 */
export const notificationsDemoData: DemoData = {
  /** Empty until its first month's grades arrive or the district publishes rules of its own. */
  async isEmpty(dataSource) {
    const { empty } = await queryOne<{ empty: boolean }>(
      dataSource,
      `SELECT NOT EXISTS (SELECT 1 FROM evaluated_month) AND NOT EXISTS (SELECT 1 FROM notice_rule_set WHERE created_by <> 'migration') AS empty`,
    );
    return empty;
  },
  /**
   * Empties every table of notifications data; keeps what migrations installed (templates, the default notice rules).
   * A district's own notice rules go too: a test database is reused by the next test file, whose demo months would
   * otherwise be decided by rules an earlier file published (and perhaps dated back), not the defaults.
   */
  async reset(dataSource) {
    await execute(
      dataSource,
      `TRUNCATE outbox_event, processed_event, graded_household, graded_resident, evaluated_month, notice, held_notice, grade_copy_purge,
                                  institution_api_key, institution_enrolment, api_key_audit_event, personal_data_access,
                                  territory_unit, institution_copy, webhook_attempt, webhook_delivery, disclosure_outlet, webhook_message_notice, webhook_message,
                                  webhook_preference, webhook_secret, webhook_endpoint, public_disclosure_event, public_disclosure_correction,
                                  public_disclosure_entry, public_disclosure, objection_window_closed, objection_hold`,
    );
    await execute(dataSource, `DELETE FROM notice_rule_set WHERE created_by <> 'migration'`);
  },
  /**
   * The demo district adopted the default's distinguishing praise (the newest default version) at the start of its
   * graded year, so every demo month praises a few percent of households; an installation's own months before the
   * default's version keep the earlier rules, as published versions never reach back.
   */
  async seed(dataSource, plan, options) {
    if (!options.districtNoticeRules) return 'no district notice rules (the default rules apply)';
    const from = addMonths(shanghaiMonth(), -options.gradedMonths);
    await execute(
      dataSource,
      `INSERT INTO notice_rule_set (district_id, version, effective_from, rules, description, created_by)
       SELECT $1, (SELECT max(version) + 1 FROM notice_rule_set), $2, rules, description, 'demo-seed'
         FROM notice_rule_set WHERE district_id IS NULL ORDER BY effective_from DESC LIMIT 1`,
      [plan.district.id, monthStart(from)],
    );
    return `the district's notice rules from ${from} (the default's distinguishing praise)`;
  },
};
