import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Permission, hasPermission, isWithinScope, type Caller } from '#libs/auth';
import { shanghaiDate } from '#libs/calendar';
import { SqlParams, execute, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError, isUuid } from '#libs/errors';
import { Idempotency } from '#libs/idempotency';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { PersonalDataAudit, maskName, maskPhone } from '#libs/privacy';
import { Territory } from '#libs/territory';
import { EvidencePhotos, EvidenceRecord } from '../evidence/evidence-photos.js';
import { ObserverService } from '../observers/observer.service.js';
import {
  REPORT_ACTION_LABEL_ZH,
  REPORT_STATUS_LABEL_ZH,
  ReportAction,
  ReportAssigneeKind,
  ReportChannel,
  ReportStatus,
  TRANSITIONS,
  type StepAction,
} from './report-enums.js';
import type { ReportCategoriesArgs, ReportsArgs, SubmitReportInput } from './report.inputs.js';
import {
  CitizenReport,
  ReportCategory,
  ReportReporter,
  ReportStatusChange,
  type ReportCategoryRow,
  type ReportHistoryRow,
  type ReportRow,
} from './report.model.js';

/** The channels whose reporters may have their words published: the app and Open311 (hotline and observer never). */
export const PUBLIC_CHANNELS: readonly ReportChannel[] = [ReportChannel.APP, ReportChannel.OPEN311];

/**
 * Whether the public (Open311) may read report `r`'s description: a public channel, the reporter did not opt out,
 * and no handler withheld it. The one definition, used by staff views and the public feed alike.
 */
export const PUBLIC_DESCRIPTION = `(r.channel IN (${PUBLIC_CHANNELS.map((channel) => `'${channel}'`).join(', ')})
  AND r.publish_description AND r.description_withheld_at IS NULL)`;

export const REPORT_COLUMNS = `r.id, r.channel, r.category_code AS "categoryCode", c.name_zh AS "categoryNameZh", r.description,
  r.org_unit_id AS "orgUnitId", r.unit_path::text[] AS "unitPath", r.lat, r.long, r.address_text AS "addressText",
  r.photo_upload_ids::text[] AS "photoUploadIds", r.reporter_user_id AS "reporterUserId", r.reporter_name AS "reporterName",
  r.reporter_phone AS "reporterPhone", r.submitted_by AS "submittedBy",
  r.submitted_by_institution_id AS "submittedByInstitutionId", r.status, r.status_note AS "statusNote", r.public_note AS "publicNote",
  r.publish_description AS "publishDescription", ${PUBLIC_DESCRIPTION} AS "descriptionPublic",
  r.assignee_kind AS "assigneeKind", r.assignee_id AS "assigneeId", r.duplicate_of AS "duplicateOf", r.reopen_count AS "reopenCount",
  r.submitted_at AS "submittedAt", r.due_at AS "dueAt", r.closed_at AS "closedAt", r.updated_at AS "updatedAt",
  r.observer_id AS "observerId", r.verified_at AS "verifiedAt", r.evidence_kind AS "evidenceKind", r.evidence_at AS "evidenceAt",
  r.evidence_inspection_id AS "evidenceInspectionId",
  (r.closed_at IS NULL AND r.due_at < now()) AS overdue, r.submitted_at::text AS "submittedKey"`;
export const REPORT_FROM = `citizen_report r JOIN report_category c ON c.code = r.category_code`;
const CATEGORY_COLUMNS = `code, name_zh AS "nameZh", description, "group", response_hours AS "responseHours", active, sort_order AS "sortOrder"`;

/** A report that was rejected or marked a duplicate is not verified, nor made evidence. */
export const UNVERIFIABLE: readonly ReportStatus[] = [ReportStatus.REJECTED, ReportStatus.DUPLICATE];

const MAX_DESCRIPTION = 2000;
const MAX_NOTE = 1000;
const MAX_PHOTOS = 9;
const MAX_NAME = 50;
const PHONE = /^\+?[0-9][0-9-]{4,19}$/;

/** The notes of one step: the internal one for staff, the public one for the reporter and Open311. */
export interface StepNotes {
  note?: string | null;
  publicNote?: string | null;
}

/** A new report as the GraphQL API and the Open311 interface both hand it over, already checked for shape. */
export interface NewReport {
  channel: ReportChannel;
  categoryCode: string;
  description: string;
  compoundId: string | null;
  lat: number | null;
  long: number | null;
  addressText: string | null;
  photoUploadIds: string[];
  reporterUserId: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
  /** Who entered it: the caller, or `open311` for the public interface. */
  submittedBy: string;
  /** The institution whose API key filed it (Open311 with an api_key); null otherwise. */
  submittedByInstitutionId?: string | null;
  /** The reporter lets the public feed show the description; only possible on a public channel. */
  publishDescription: boolean;
  /** The observer roster entry an OBSERVER report is attributed to. */
  observerId?: string | null;
}

/**
 * Citizen reports: submission from every channel, the handling lifecycle with a history row and note per step,
 * response deadlines per category, and territory scope (a report belongs to its compound's territory; one with
 * coordinates only is seen by district-wide staff). Reporters' names, phones and own place descriptions are
 * masked unless the caller may read personal data, and every unmasked read is recorded.
 */
@Injectable()
export class ReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
    private readonly audit: PersonalDataAudit,
    private readonly idempotency: Idempotency,
    private readonly evidence: EvidencePhotos,
    private readonly observers: ObserverService,
  ) {}

  // ---- categories ----

  async categories(args: ReportCategoriesArgs): Promise<ConnectionShape<ReportCategory>> {
    const params = new SqlParams();
    const where = args.includeInactive ? [] : ['active'];
    return fetchKeysetPage<ReportCategoryRow, ReportCategory>(
      this.dataSource,
      args,
      {
        select: CATEGORY_COLUMNS,
        from: 'report_category',
        where,
        params,
        orderBy: ['sort_order', 'code'],
        keyOf: (row) => [row.sortOrder, row.code],
      },
      (rows) => rows.map((row) => ReportCategory.from(row)),
    );
  }

  /** Every category (active ones first by their order), for the Open311 service list. */
  async allCategories(activeOnly: boolean): Promise<ReportCategoryRow[]> {
    return queryRows<ReportCategoryRow>(
      this.dataSource,
      `SELECT ${CATEGORY_COLUMNS} FROM report_category ${activeOnly ? 'WHERE active' : ''} ORDER BY sort_order, code`,
    );
  }

  async category(code: string): Promise<ReportCategoryRow | null> {
    const row = await queryFirst<ReportCategoryRow>(this.dataSource, `SELECT ${CATEGORY_COLUMNS} FROM report_category WHERE code = $1`, [
      code,
    ]);
    return row ?? null;
  }

  // ---- submission ----

  /**
   * `submitReport`: APP and OBSERVER reports are the caller's own; HOTLINE reports are entered for a caller. With an
   * idempotency key, a retry (a phone on a flaky network) answers the report the first request filed.
   */
  async submit(caller: Caller, input: SubmitReportInput, idempotencyKey?: string | null): Promise<CitizenReport> {
    if (input.channel === ReportChannel.OPEN311) {
      throw DomainError.badInput('OPEN311 reports come through the Open311 interface', 'CHANNEL_NOT_ALLOWED');
    }
    const hotline = input.channel === ReportChannel.HOTLINE;
    if (hotline && !hasPermission(caller, Permission.REPORT_HANDLE)) {
      throw DomainError.forbidden('Only report handlers enter hotline calls', 'MISSING_PERMISSION');
    }
    const description = input.description.trim();
    if (description.length === 0 || description.length > MAX_DESCRIPTION) {
      throw DomainError.badInput(`description must be 1–${MAX_DESCRIPTION} characters`, 'INVALID_DESCRIPTION');
    }
    const photos = [...new Set(input.photoUploadIds ?? [])];
    if (photos.length > MAX_PHOTOS) throw DomainError.badInput(`At most ${MAX_PHOTOS} photos`, 'TOO_MANY_PHOTOS');
    if (photos.some((id) => !isUuid(id))) throw DomainError.badInput('photoUploadIds must be upload ids', 'INVALID_ID');
    const anonymous = input.anonymous === true;
    const name = anonymous ? null : input.reporterName?.trim() || null;
    const phone = anonymous ? null : input.reporterPhone?.trim() || null;
    if (name && [...name].length > MAX_NAME)
      throw DomainError.badInput(`reporterName must be at most ${MAX_NAME} characters`, 'INVALID_NAME');
    if (phone && !PHONE.test(phone)) throw DomainError.badInput('reporterPhone is not a phone number', 'INVALID_PHONE');
    // Words from the app are public unless the reporter opts out; hotline calls and observer reports never are.
    const publicChannel = PUBLIC_CHANNELS.includes(input.channel);
    if (!publicChannel && input.publishDescription === true) {
      throw DomainError.badInput(
        `${input.channel} reports are never published: publishDescription must not be true`,
        'DESCRIPTION_NOT_PUBLISHABLE',
      );
    }
    const report: NewReport = {
      channel: input.channel,
      categoryCode: input.categoryCode,
      description,
      compoundId: input.compoundId ?? null,
      lat: input.latitude ?? null,
      long: input.longitude ?? null,
      addressText: null,
      photoUploadIds: photos,
      reporterUserId: hotline ? null : caller.userId,
      reporterName: name,
      reporterPhone: phone,
      submittedBy: caller.userId,
      publishDescription: publicChannel && input.publishDescription !== false,
    };
    // Checked before the transaction: its lookups must not wait for a second pool connection while it holds one.
    const unitPath = await this.checkNew(report);
    if (input.channel === ReportChannel.OBSERVER) report.observerId = await this.observerOf(caller, report, unitPath);
    // The report and its photos' citation (households: the caller's own uploads, each once) are written together or not at all.
    const { id } = await this.evidence.within(caller, (cite) => {
      const file = async (manager: EntityManager) => {
        const id = await this.insert(report, unitPath, manager);
        await cite(photos, { kind: EvidenceRecord.CITIZEN_REPORT, recordId: id, orgUnitId: report.compoundId });
        return { id };
      };
      return idempotencyKey
        ? this.idempotency.run(caller, idempotencyKey, 'submitReport', { ...input }, file)
        : this.dataSource.transaction(file);
    });
    return this.present(caller, await this.rows([id])).then(([filed]) => filed);
  }

  /**
   * The roster entry an OBSERVER report is attributed to: the caller's account must serve as an observer today
   * (Asia/Shanghai), and the report must name a compound of the street the observer serves ("people nearby correct
   * mistakes nearby"; it is that street's staff who verify it).
   */
  private async observerOf(caller: Caller, report: NewReport, unitPath: string[]): Promise<string> {
    const observer = await this.observers.servingOn(caller.userId, shanghaiDate());
    if (!observer) throw DomainError.forbidden('Only citizen observers serving today file OBSERVER reports', 'NOT_AN_OBSERVER');
    if (!report.compoundId) throw DomainError.badInput('An observer report names the compound it is about', 'OBSERVER_COMPOUND_REQUIRED');
    if (!unitPath.includes(observer.streetId)) {
      throw DomainError.badInput('The compound lies outside the street you observe', 'OUTSIDE_OBSERVER_STREET', {
        streetId: observer.streetId,
      });
    }
    return observer.id;
  }

  /** Checks location and category, then writes the report with its SUBMIT history row; returns its id. */
  async create(report: NewReport): Promise<string> {
    return this.insert(report, await this.checkNew(report));
  }

  /** Checks a new report's location and category; returns the path of its compound (empty without one). */
  private async checkNew(report: NewReport): Promise<string[]> {
    const hasCoordinates = report.lat !== null || report.long !== null;
    if (!report.compoundId && !hasCoordinates && !report.addressText) {
      throw DomainError.badInput('A report needs a location: a compound or coordinates', 'MISSING_LOCATION');
    }
    if (hasCoordinates) {
      const { lat, long } = report;
      if (lat === null || long === null || !Number.isFinite(lat) || !Number.isFinite(long) || Math.abs(lat) > 90 || Math.abs(long) > 180) {
        throw DomainError.badInput('latitude and longitude must both be given, as WGS84 degrees', 'INVALID_COORDINATES');
      }
    }
    let unitPath: string[] = [];
    if (report.compoundId) {
      if (!isUuid(report.compoundId)) throw DomainError.badInput('compoundId is not an id', 'INVALID_ID');
      const unit = await this.territory.find(report.compoundId);
      if (!unit) throw DomainError.notFound('OrgUnit', report.compoundId);
      if (unit.kind !== 'COMPOUND') throw DomainError.badInput(`${unit.name} is not a compound`, 'NOT_A_COMPOUND');
      unitPath = unit.path;
    }
    const category = await this.category(report.categoryCode);
    if (!category || !category.active) {
      throw DomainError.badInput(`${report.categoryCode} is not a report category`, 'UNKNOWN_CATEGORY', {
        categoryCode: report.categoryCode,
      });
    }
    if (report.publishDescription && !PUBLIC_CHANNELS.includes(report.channel)) {
      throw DomainError.badInput(`${report.channel} reports are never published`, 'DESCRIPTION_NOT_PUBLISHABLE');
    }
    return unitPath;
  }

  /**
   * Writes a checked report with its SUBMIT history row in one statement; returns its id. The due time is the
   * submission time plus the category's response hours (a category retired meanwhile: UNKNOWN_CATEGORY).
   */
  private async insert(report: NewReport, unitPath: string[], db: DataSource | EntityManager = this.dataSource): Promise<string> {
    const row = await queryFirst<{ id: string }>(
      db,
      `WITH inserted AS (
         INSERT INTO citizen_report (channel, category_code, description, org_unit_id, unit_path, lat, long, address_text, photo_upload_ids,
                                     reporter_user_id, reporter_name, reporter_phone, submitted_by, submitted_by_institution_id, status, due_at,
                                     publish_description, observer_id)
         SELECT $1, c.code, $3, $4, $5::uuid[], $6, $7, $8, $9::uuid[], $10, $11, $12, $13, $15::uuid, 'SUBMITTED',
                now() + make_interval(hours => c.response_hours), $16, $17::uuid
           FROM report_category c WHERE c.code = $2 AND c.active
         RETURNING id, status),
       history AS (
         INSERT INTO citizen_report_history (report_id, action, from_status, to_status, actor)
         SELECT id, 'SUBMIT', NULL, status, $14 FROM inserted)
       SELECT id FROM inserted`,
      [
        report.channel,
        report.categoryCode,
        report.description,
        report.compoundId,
        unitPath,
        report.lat,
        report.long,
        report.addressText,
        report.photoUploadIds,
        report.reporterUserId,
        report.reporterName,
        report.reporterPhone,
        report.submittedBy,
        report.channel === ReportChannel.OPEN311 ? 'open311' : report.submittedBy,
        report.submittedByInstitutionId ?? null,
        report.publishDescription,
        report.observerId ?? null,
      ],
    );
    if (!row) throw DomainError.badInput(`${report.categoryCode} is not a report category`, 'UNKNOWN_CATEGORY');
    return row.id;
  }

  // ---- reading ----

  async get(caller: Caller, id: string): Promise<CitizenReport> {
    const row = await this.requireRow(id);
    if (!this.canHandle(caller, row) && row.reporterUserId !== caller.userId) {
      throw DomainError.forbidden('That report is outside your territory', 'OUT_OF_SCOPE');
    }
    return (await this.present(caller, [row]))[0];
  }

  /** For entity references and duplicateOf: the reports among `ids` the caller may see, in `ids` order. */
  async findVisible(caller: Caller, ids: readonly string[]): Promise<(CitizenReport | null)[]> {
    const rows = (await this.rows(ids)).filter((row) => this.canHandle(caller, row) || row.reporterUserId === caller.userId);
    const reports = await this.present(caller, rows);
    const byId = new Map(reports.map((report) => [report.id, report]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Reports of the caller's territory, newest first. */
  async list(caller: Caller, args: ReportsArgs): Promise<ConnectionShape<CitizenReport>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (caller.orgUnitId) where.push(`r.unit_path @> ARRAY[${params.add(caller.orgUnitId)}::uuid]`);
    if (args.orgUnitId) {
      const unit = await this.territory.requireInScope(caller, args.orgUnitId);
      where.push(`r.unit_path @> ARRAY[${params.add(unit.id)}::uuid]`);
    }
    if (args.status) where.push(`r.status = ${params.add(args.status)}`);
    if (args.category) where.push(`r.category_code = ${params.add(args.category)}`);
    if (args.channel) where.push(`r.channel = ${params.add(args.channel)}`);
    if (args.overdue === true) where.push(`(r.closed_at IS NULL AND r.due_at < now())`);
    if (args.overdue === false) where.push(`NOT (r.closed_at IS NULL AND r.due_at < now())`);
    return this.page(caller, args, where, params);
  }

  /** The caller's own reports (APP and OBSERVER), newest first. */
  async mine(caller: Caller, args: ReportsArgs): Promise<ConnectionShape<CitizenReport>> {
    const params = new SqlParams();
    const where = [`r.reporter_user_id = ${params.add(caller.userId)}`];
    if (args.status) where.push(`r.status = ${params.add(args.status)}`);
    return this.page(caller, args, where, params);
  }

  /** History rows of each report in `ids` (oldest first), for the batched `history` field; see `historyAsSeenBy`. */
  async history(ids: readonly string[]): Promise<ReportHistoryRow[][]> {
    const rows = await queryRows<ReportHistoryRow & { reportId: string }>(
      this.dataSource,
      `SELECT report_id AS "reportId", action, from_status AS "fromStatus", to_status AS "toStatus", note, public_note AS "publicNote", actor, at
         FROM citizen_report_history WHERE report_id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    );
    const byReport = new Map<string, ReportHistoryRow[]>();
    for (const { reportId, ...row } of rows) byReport.set(reportId, [...(byReport.get(reportId) ?? []), row]);
    return ids.map((id) => byReport.get(id) ?? []);
  }

  /**
   * A report's history as the caller may see it: whoever handles the report sees every step, actor and note; its
   * filer (who reads it only as their own) sees the steps and public notes, their own steps and words, and staff as
   * "staff" without internal notes, so the child field is no wider than the report itself.
   */
  historyAsSeenBy(caller: Caller, report: Pick<CitizenReport, 'handledByCaller'>, rows: ReportHistoryRow[]): ReportStatusChange[] {
    if (report.handledByCaller) return rows.map((row) => ReportStatusChange.from(row));
    return rows.map((row) => {
      const own = row.actor === 'reporter' || row.actor === caller.userId;
      return ReportStatusChange.from({ ...row, actor: own ? 'reporter' : 'staff', note: own ? row.note : null });
    });
  }

  // ---- lifecycle ----

  async triage(caller: Caller, id: string, notes: StepNotes): Promise<CitizenReport> {
    return this.transition(caller, id, ReportAction.TRIAGE, notes);
  }

  /** A bureau must be a functional department in the institution copy, a team one of the enforcement teams. */
  private async requireAssignee(kind: ReportAssigneeKind, assigneeId: string): Promise<void> {
    const found = await queryFirst<{ found: number }>(
      this.dataSource,
      kind === ReportAssigneeKind.BUREAU
        ? `SELECT 1 AS found FROM institution_copy WHERE id = $1 AND kind = 'DEPARTMENT'`
        : `SELECT 1 AS found FROM enforcement_team WHERE id = $1`,
      [assigneeId],
    );
    if (!found)
      throw DomainError.badInput(`No such ${kind === ReportAssigneeKind.BUREAU ? 'bureau' : 'team'} to assign to`, 'UNKNOWN_ASSIGNEE', {
        assigneeId,
      });
  }

  async assign(caller: Caller, id: string, kind: ReportAssigneeKind, assigneeId: string, notes: StepNotes): Promise<CitizenReport> {
    if (kind === ReportAssigneeKind.UNIT) await this.territory.requireInScope(caller, assigneeId);
    else await this.requireAssignee(kind, assigneeId);
    return this.transition(caller, id, ReportAction.ASSIGN, notes, { assigneeKind: kind, assigneeId });
  }

  async start(caller: Caller, id: string, notes: StepNotes): Promise<CitizenReport> {
    return this.transition(caller, id, ReportAction.START, notes);
  }

  async resolve(caller: Caller, id: string, notes: StepNotes): Promise<CitizenReport> {
    return this.transition(caller, id, ReportAction.RESOLVE, notes);
  }

  /** A rejection says why: in the internal note, the public one, or both. */
  async reject(caller: Caller, id: string, notes: StepNotes): Promise<CitizenReport> {
    if (!notes.note?.trim() && !notes.publicNote?.trim()) throw DomainError.badInput('Say why the report is rejected', 'NOTE_REQUIRED');
    return this.transition(caller, id, ReportAction.REJECT, notes);
  }

  async markDuplicate(caller: Caller, id: string, originalId: string, notes: StepNotes): Promise<CitizenReport> {
    if (id === originalId) throw DomainError.badInput('A report cannot duplicate itself', 'DUPLICATE_OF_ITSELF');
    const original = await this.requireRow(originalId);
    if (!this.canHandle(caller, original)) throw DomainError.forbidden('The original report is outside your territory', 'OUT_OF_SCOPE');
    if (original.status === ReportStatus.DUPLICATE) {
      throw DomainError.badInput('The original is itself a duplicate: link to its original', 'ORIGINAL_IS_DUPLICATE', {
        originalId: original.duplicateOf,
      });
    }
    return this.transition(caller, id, ReportAction.MARK_DUPLICATE, notes, { duplicateOf: originalId });
  }

  /**
   * Only the reporter reopens a RESOLVED or REJECTED report: it goes back to SUBMITTED with a new due time. Their
   * note is for the staff (a resident's words are never published); the public note of the closing step is cleared.
   */
  async reopen(caller: Caller, id: string, note: string | null): Promise<CitizenReport> {
    return this.transition(caller, id, ReportAction.REOPEN, { note });
  }

  /**
   * A handler verifies a report (核实): the problem it describes is real. Only then may it become evidence (a case
   * opened from it). Once per report (CONFLICT ALREADY_VERIFIED); never a rejected or duplicate report
   * (CONFLICT INVALID_TRANSITION). The status does not change; the history gets a VERIFY row. One guarded statement.
   */
  async verify(caller: Caller, id: string, notes: StepNotes): Promise<CitizenReport> {
    const { note, publicNote } = this.checkNotes(notes);
    const current = await this.requireRow(id);
    if (!this.canHandle(caller, current)) throw DomainError.forbidden('That report is outside your territory', 'OUT_OF_SCOPE');
    const verified = await queryFirst<{ id: string }>(
      this.dataSource,
      `WITH changed AS (
         UPDATE citizen_report r SET verified_at = now(), verified_by = $2, updated_at = now()
          WHERE r.id = $1 AND r.verified_at IS NULL AND r.status <> ALL($5::text[])
         RETURNING r.id, r.status),
       history AS (
         INSERT INTO citizen_report_history (report_id, action, from_status, to_status, note, public_note, actor)
         SELECT id, 'VERIFY', status, status, $3, $4, $2 FROM changed)
       SELECT id FROM changed`,
      [id, caller.userId, note, publicNote, UNVERIFIABLE],
    );
    if (!verified) {
      const now = await this.requireRow(id);
      if (now.verifiedAt) throw DomainError.conflict('The report is verified already', 'ALREADY_VERIFIED', { verifiedAt: now.verifiedAt });
      throw DomainError.conflict(
        `A report in status ${now.status} (${REPORT_STATUS_LABEL_ZH[now.status]}) cannot be verified`,
        'INVALID_TRANSITION',
        {
          status: now.status,
          action: ReportAction.VERIFY,
        },
      );
    }
    return this.get(caller, id);
  }

  /**
   * A handler judges a report's description private: the public feed stops showing it (staff and the reporter still
   * read it). Recorded with who and when; withholding again keeps the first record. Nothing else of the report changes.
   */
  async withholdDescription(caller: Caller, id: string): Promise<CitizenReport> {
    const current = await this.requireRow(id);
    if (!this.canHandle(caller, current)) throw DomainError.forbidden('That report is outside your territory', 'OUT_OF_SCOPE');
    await execute(
      this.dataSource,
      `UPDATE citizen_report SET description_withheld_at = now(), description_withheld_by = $2, updated_at = now()
        WHERE id = $1 AND description_withheld_at IS NULL`,
      [id, caller.userId],
    );
    return this.get(caller, id);
  }

  /**
   * One guarded UPDATE per step: it applies only while the report is in a state the action starts from, and writes
   * the history row in the same statement, so concurrent steps cannot both apply and nothing is half-written.
   */
  private async transition(
    caller: Caller,
    id: string,
    action: StepAction,
    notes: StepNotes,
    extra: { assigneeKind?: ReportAssigneeKind; assigneeId?: string; duplicateOf?: string } = {},
  ): Promise<CitizenReport> {
    const { note, publicNote } = this.checkNotes(notes);
    const current = await this.requireRow(id);
    if (action === ReportAction.REOPEN) {
      if (current.reporterUserId === null || current.reporterUserId !== caller.userId) {
        throw DomainError.forbidden('Only the reporter may reopen a report', 'NOT_REPORTER');
      }
    } else if (!this.canHandle(caller, current)) {
      throw DomainError.forbidden('That report is outside your territory', 'OUT_OF_SCOPE');
    }
    const { from, to } = TRANSITIONS[action];
    const params = new SqlParams();
    const idParam = params.add(id);
    const sets = [
      `status = ${params.add(to)}`,
      `status_note = ${params.add(note)}`,
      `public_note = ${params.add(publicNote)}`,
      `updated_at = now()`,
    ];
    const guards = [`old.status = ANY(${params.add(from)}::text[])`];
    if (action === ReportAction.ASSIGN)
      sets.push(`assignee_kind = ${params.add(extra.assigneeKind)}`, `assignee_id = ${params.add(extra.assigneeId)}::uuid`);
    if ([ReportAction.RESOLVE, ReportAction.REJECT, ReportAction.MARK_DUPLICATE].includes(action)) sets.push(`closed_at = now()`);
    if (action === ReportAction.MARK_DUPLICATE) {
      const original = params.add(extra.duplicateOf);
      sets.push(`duplicate_of = ${original}::uuid`);
      guards.push(`EXISTS (SELECT 1 FROM citizen_report o WHERE o.id = ${original}::uuid AND o.status <> 'DUPLICATE')`);
      guards.push(`NOT EXISTS (SELECT 1 FROM citizen_report d WHERE d.duplicate_of = r.id)`);
    }
    if (action === ReportAction.REOPEN) {
      sets.push(
        `closed_at = NULL`,
        `assignee_kind = NULL`,
        `assignee_id = NULL`,
        `reopen_count = r.reopen_count + 1`,
        `due_at = now() + make_interval(hours => (SELECT response_hours FROM report_category WHERE code = r.category_code))`,
      );
    }
    const actor = action === ReportAction.REOPEN ? 'reporter' : caller.userId;
    const changed = await queryFirst<{ id: string }>(
      this.dataSource,
      `WITH old AS (SELECT id, status FROM citizen_report WHERE id = ${idParam} FOR UPDATE),
       changed AS (
         UPDATE citizen_report r SET ${sets.join(', ')} FROM old
          WHERE old.id = r.id AND ${guards.join(' AND ')}
         RETURNING r.id, old.status AS from_status, r.status AS to_status),
       history AS (
         INSERT INTO citizen_report_history (report_id, action, from_status, to_status, note, public_note, actor)
         SELECT id, ${params.add(action)}, from_status, to_status, ${params.add(note)}, ${params.add(publicNote)}, ${params.add(actor)} FROM changed)
       SELECT id FROM changed`,
      params.values,
    );
    if (!changed) {
      const now = await this.requireRow(id);
      if (action === ReportAction.MARK_DUPLICATE && from.includes(now.status)) {
        const { hasDuplicates } = await queryOne<{ hasDuplicates: boolean }>(
          this.dataSource,
          `SELECT EXISTS (SELECT 1 FROM citizen_report WHERE duplicate_of = $1) AS "hasDuplicates"`,
          [id],
        );
        if (hasDuplicates) throw DomainError.conflict('Other reports are duplicates of this one: it stays the original', 'HAS_DUPLICATES');
        throw DomainError.conflict('The original became a duplicate meanwhile', 'ORIGINAL_IS_DUPLICATE');
      }
      throw DomainError.conflict(
        `A report in status ${now.status} (${REPORT_STATUS_LABEL_ZH[now.status]}) cannot be ${REPORT_ACTION_LABEL_ZH[action]}`,
        'INVALID_TRANSITION',
        { status: now.status, action, allowedFrom: from },
      );
    }
    return this.get(caller, id);
  }

  // ---- helpers ----

  private checkNotes(notes: StepNotes): { note: string | null; publicNote: string | null } {
    const note = notes.note?.trim() || null;
    const publicNote = notes.publicNote?.trim() || null;
    if (note && note.length > MAX_NOTE) throw DomainError.badInput(`A note may be at most ${MAX_NOTE} characters`, 'INVALID_NOTE');
    if (publicNote && publicNote.length > MAX_NOTE)
      throw DomainError.badInput(`A public note may be at most ${MAX_NOTE} characters`, 'INVALID_NOTE');
    return { note, publicNote };
  }

  /** Report handlers see the reports of their territory; coordinates-only reports belong to the whole district. */
  canHandle(caller: Caller, row: Pick<ReportRow, 'unitPath'>): boolean {
    if (!hasPermission(caller, Permission.REPORT_HANDLE)) return false;
    return isWithinScope(caller, row.unitPath);
  }

  private async rows(ids: readonly string[]): Promise<ReportRow[]> {
    if (ids.length === 0) return [];
    return queryRows<ReportRow>(this.dataSource, `SELECT ${REPORT_COLUMNS} FROM ${REPORT_FROM} WHERE r.id = ANY($1::uuid[])`, [ids]);
  }

  /** The report `id`, or NOT_FOUND. */
  private async requireRow(id: string): Promise<ReportRow> {
    const row = await queryFirst<ReportRow>(this.dataSource, `SELECT ${REPORT_COLUMNS} FROM ${REPORT_FROM} WHERE r.id = $1`, [id]);
    if (!row) throw DomainError.notFound('CitizenReport', id);
    return row;
  }

  private page(caller: Caller, args: ReportsArgs, where: string[], params: SqlParams): Promise<ConnectionShape<CitizenReport>> {
    return fetchKeysetPage<ReportRow, CitizenReport>(
      this.dataSource,
      args,
      {
        select: REPORT_COLUMNS,
        from: REPORT_FROM,
        where,
        params,
        orderBy: ['r.submitted_at', 'r.id'],
        descending: true,
        keyOf: (row) => [row.submittedKey, row.id],
      },
      (rows) => this.present(caller, rows),
    );
  }

  /**
   * Rows as the caller may see them: a reporter sees their own details; others see them masked unless they may
   * read personal data, in which case the read is recorded (one audit row per page) before the data leaves.
   */
  private async present(caller: Caller, rows: ReportRow[]): Promise<CitizenReport[]> {
    const unmasked = this.audit.mayRead(caller);
    const hasPersonal = (row: ReportRow) => row.reporterName !== null || row.reporterPhone !== null || row.addressText !== null;
    const own = (row: ReportRow) => row.reporterUserId !== null && row.reporterUserId === caller.userId;
    if (unmasked)
      await this.audit.recordRead(
        caller,
        'CitizenReport',
        rows.filter((row) => hasPersonal(row) && !own(row)).map((row) => row.id),
      );
    return rows.map((row) => {
      const clear = unmasked || own(row);
      const reporter =
        row.reporterName === null && row.reporterPhone === null
          ? null
          : Object.assign(new ReportReporter(), {
              name: row.reporterName === null ? null : clear ? row.reporterName : maskName(row.reporterName),
              phone: row.reporterPhone === null ? null : clear ? row.reporterPhone : maskPhone(row.reporterPhone),
              unmasked: clear,
            });
      const addressText = row.addressText === null ? null : clear ? row.addressText : '***';
      return CitizenReport.from(row, caller.userId, reporter, addressText, this.canHandle(caller, row));
    });
  }
}
