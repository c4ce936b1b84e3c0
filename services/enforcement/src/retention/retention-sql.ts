import type { DataSource } from 'typeorm';
import { daysBefore, inBatches } from '#libs/retention';
import type { RetentionSettings } from './retention-settings.js';

/**
 * Erases a batch of reporters' contact details from reports closed before $1 ($2 the batch size, $3 when): the name
 * and phone become null, and so does the place as the reporter described it (`address_text`, possibly their own
 * address) when the report keeps a compound or coordinates to locate it; otherwise it becomes '***', what staff
 * without PERSONAL_DATA_READ already see. Everything else stays: channel, category, description, place in the
 * territory, status, history and times, so report statistics and Open311 are as they were, and the reporter's user id,
 * so they still find the report among their own and may reopen it. `contact_erased_at` marks it done, so a later run
 * (or one running at the same time, re-checked under the row lock) skips it. Found by citizen_report_contact_to_erase.
 */
const ERASE_REPORTER_CONTACTS = `
WITH erased AS (
  UPDATE citizen_report r
     SET reporter_name = NULL,
         reporter_phone = NULL,
         address_text = CASE WHEN r.address_text IS NULL OR r.org_unit_id IS NOT NULL OR r.lat IS NOT NULL THEN NULL ELSE '***' END,
         contact_erased_at = $3
   WHERE r.id = ANY(ARRAY(SELECT id FROM citizen_report
                           WHERE closed_at < $1 AND contact_erased_at IS NULL ORDER BY closed_at LIMIT $2))
     AND r.closed_at < $1 AND r.contact_erased_at IS NULL
  RETURNING 1
)
SELECT count(*)::int AS count FROM erased`;

export interface ReporterContactResult {
  reportsClosedBefore: Date;
  reporterContactsErased: number;
}

/**
 * Erases the contact details of reports closed longer than the period at `firedAt`. A report reopened after that keeps
 * no contact details: they are gone for good, and the reporter follows it in the app under their user id.
 */
export async function eraseReporterContacts(
  dataSource: DataSource,
  firedAt: Date,
  settings: RetentionSettings,
): Promise<ReporterContactResult> {
  const reportsClosedBefore = daysBefore(firedAt, settings.reporterContactDays);
  const reporterContactsErased = await inBatches(dataSource, ERASE_REPORTER_CONTACTS, reportsClosedBefore, firedAt);
  return { reportsClosedBefore, reporterContactsErased };
}
