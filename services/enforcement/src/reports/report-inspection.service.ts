import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Caller } from '#libs/auth';
import { queryFirst, queryOne } from '#libs/database';
import { DomainError } from '#libs/errors';
import { EventType, Outbox, OutboxRelay, type EventPayload } from '#libs/messaging';
import { findCopiedHousehold } from '../cases/household-copy.js';
import { ReportEvidenceKind, type ReportStatus } from './report-enums.js';
import { ISSUE_OF_CATEGORY, InspectionIssue, InspectionResult, type RecordInspectionFromReportInput } from './report-inspection.models.js';
import type { CitizenReport } from './report.model.js';
import { ReportService, UNVERIFIABLE } from './report.service.js';

const MAX_NOTE = 300;

/** The report as this step reads it. */
interface EvidenceReportRow {
  id: string;
  status: ReportStatus;
  compoundId: string | null;
  unitPath: string[];
  verifiedAt: Date | null;
  evidenceKind: ReportEvidenceKind | null;
  evidenceInspectionId: string | null;
  photoIds: string[];
  submittedAt: Date;
  categoryCode: string;
  categoryNameZh: string;
}

const REPORT_SELECT = `SELECT r.id, r.status, r.org_unit_id AS "compoundId", r.unit_path::text[] AS "unitPath", r.verified_at AS "verifiedAt",
  r.evidence_kind AS "evidenceKind", r.evidence_inspection_id AS "evidenceInspectionId", r.photo_upload_ids::text[] AS "photoIds",
  r.submitted_at AS "submittedAt", r.category_code AS "categoryCode", c.name_zh AS "categoryNameZh"
  FROM citizen_report r JOIN report_category c ON c.code = r.category_code WHERE r.id = $1`;

const alreadyRecorded = (row: Pick<EvidenceReportRow, 'id' | 'evidenceInspectionId'>) =>
  DomainError.conflict('An inspection was already recorded from that report', 'ALREADY_RECORDED', {
    citizenReportId: row.id,
    inspectionId: row.evidenceInspectionId,
  });
const alreadyEvidence = (id: string) =>
  DomainError.conflict('That report is evidence already', 'REPORT_ALREADY_EVIDENCE', { citizenReportId: id });

/**
 * A verified citizen report becomes evidence as a failed (or minor-issue) inspection of the household it names
 * (`recordInspectionFromReport`). enforcement owns the report, households the inspection: the report is marked in one
 * guarded UPDATE that also chooses the inspection's id, and `report-inspection.recorded` goes out in the same
 * transaction; households records the inspection under that id (once per event, and the id and report id are unique
 * there), and the monthly evaluation counts it in the month the report was submitted, like any inspection.
 */
@Injectable()
export class ReportInspectionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reports: ReportService,
    private readonly outbox: Outbox,
    private readonly relay: OutboxRelay,
  ) {}

  async record(caller: Caller, reportId: string, input: RecordInspectionFromReportInput): Promise<CitizenReport> {
    if (input.result === InspectionResult.PASS) {
      throw DomainError.badInput('A report is evidence of a problem: record FAIL or MINOR_ISSUE', 'NOT_A_PROBLEM');
    }
    const note = input.note?.trim() || null;
    if (note && [...note].length > MAX_NOTE) throw DomainError.badInput(`note must be at most ${MAX_NOTE} characters`, 'INVALID_NOTE');
    const report = await queryFirst<EvidenceReportRow>(this.dataSource, REPORT_SELECT, [reportId]);
    if (!report) throw DomainError.notFound('CitizenReport', reportId);
    if (!this.reports.canHandle(caller, report)) throw DomainError.forbidden('That report is outside your territory', 'OUT_OF_SCOPE');
    this.checkUsable(report);
    // The household, from enforcement's copy of the registry: registered, and living in the compound the report is about.
    const household = await findCopiedHousehold(this.dataSource, input.householdId);
    if (!household || household.removed || !household.compoundPath) throw DomainError.notFound('Household', input.householdId);
    if (report.compoundId === null || household.compoundId !== report.compoundId) {
      throw DomainError.badInput("The household does not live in the report's compound", 'REPORT_LOCATION_MISMATCH', {
        citizenReportId: report.id,
        compoundId: report.compoundId,
        householdId: household.id,
      });
    }
    const issues = [...new Set(input.issues?.length ? input.issues : [ISSUE_OF_CATEGORY[report.categoryCode] ?? InspectionIssue.OTHER])];

    await this.dataSource.transaction(async (manager) => {
      // The one guard, shared with openCase: a report becomes evidence once, whatever it becomes. A concurrent call
      // waits for the row lock, then finds evidence_kind taken and writes nothing.
      const taken = await queryFirst<{ inspectionId: string }>(
        manager,
        `UPDATE citizen_report SET evidence_kind = $2, evidence_at = now(), evidence_inspection_id = gen_random_uuid(), evidence_household_id = $3
          WHERE id = $1 AND evidence_kind IS NULL AND verified_at IS NOT NULL AND status <> ALL($4::text[])
         RETURNING evidence_inspection_id AS "inspectionId"`,
        [report.id, ReportEvidenceKind.INSPECTION, household.id, UNVERIFIABLE],
      );
      if (!taken) {
        const now = await queryOne<EvidenceReportRow>(manager, REPORT_SELECT, [report.id]);
        this.checkUsable(now);
        throw alreadyEvidence(report.id);
      }
      const payload: EventPayload<EventType.ReportInspectionRecorded> = {
        inspectionId: taken.inspectionId,
        citizenReportId: report.id,
        householdId: household.id,
        compoundId: household.compoundId,
        kind: 'PATROL',
        result: input.result as EventPayload<EventType.ReportInspectionRecorded>['result'],
        issues,
        inspectedAt: report.submittedAt.toISOString(),
        photoIds: report.photoIds,
        note: `市民举报经核实（${report.categoryNameZh}）${note ? `：${note}` : ''}`,
        recordedBy: caller.userId,
      };
      await this.outbox.record(manager, [{ type: EventType.ReportInspectionRecorded, payload }]);
    });
    this.relay.kick();
    return this.reports.get(caller, report.id);
  }

  /** Verified, not rejected or a duplicate, and not evidence yet: else the coded conflict, nothing written. */
  private checkUsable(report: EvidenceReportRow): void {
    if (!report.verifiedAt || UNVERIFIABLE.includes(report.status)) {
      throw DomainError.conflict('Only a report a handler verified (verifyReport) becomes evidence', 'REPORT_NOT_VERIFIED', {
        citizenReportId: report.id,
        status: report.status,
      });
    }
    if (report.evidenceKind === ReportEvidenceKind.INSPECTION) throw alreadyRecorded(report);
    if (report.evidenceKind) throw alreadyEvidence(report.id);
  }
}
