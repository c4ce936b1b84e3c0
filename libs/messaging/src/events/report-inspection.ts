/**
 * enforcement → households: a handler turned a verified citizen report into a failed (or minor-issue) inspection of a
 * household (`recordInspectionFromReport`). households records it under the given inspection id, carrying the report
 * id, once (inbox, and the id is the inspection's key). Ids, codes and staff words only: never the reporter, their
 * description or an address.
 */
export interface ReportInspectionRecordedPayload {
  /** Chosen by enforcement, which shows it on the report at once: the inspection households records. */
  inspectionId: string;
  citizenReportId: string;
  householdId: string;
  /** The report's compound, as enforcement's copy placed the household there. */
  compoundId: string;
  kind: 'PATROL';
  result: 'MINOR_ISSUE' | 'FAIL';
  issues: string[];
  /** When the problem was seen: the report's submission time (ISO 8601); the month it counts for follows from it. */
  inspectedAt: string;
  /** The report's photos (households uploads); households keeps those it holds. */
  photoIds: string[];
  /** The inspection's note: the category and the handler's note, never the reporter's words. */
  note: string;
  /** The handler who made the report evidence: the inspection's inspector. */
  recordedBy: string;
}
