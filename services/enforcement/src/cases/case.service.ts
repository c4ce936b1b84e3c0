import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Permission, actsForWholeDistrict, hasPermission, isWithinScope, propertyCompanyOf, type Caller } from '#libs/auth';
import { addDays, shanghaiDate } from '#libs/calendar';
import { PostgresErrorCode, SqlParams, execute, isPostgresError, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError, requireText } from '#libs/errors';
import { Idempotency } from '#libs/idempotency';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { Territory, type TerritoryUnit } from '#libs/territory';
import { EvidencePhotos, EvidenceRecord } from '../evidence/evidence-photos.js';
import { retractIfExported } from '../credit-export/credit-export-sql.js';
import { FindingTargetKind } from '../joint-actions/joint-action-enums.js';
import type { ReportEvidenceKind, ReportStatus } from '../reports/report-enums.js';
import { AppealOutcome, CASE_STATE_LABEL_ZH, CaseState, CaseTargetKind, TRANSITIONS } from './case-enums.js';
import type {
  AppealPenaltyArgs,
  CasesArgs,
  DecideAppealArgs,
  IssueRectificationNoticeArgs,
  OpenCaseInput,
  PenaliseArgs,
  RecordFollowUpArgs,
  RevokePenaltyArgs,
} from './case.inputs.js';
import { Case, CaseHistoryEntry, RegulationArticle, type CaseRow } from './case.models.js';
import { findCopiedHousehold, type CopiedHousehold } from './household-copy.js';
import { UNVERIFIABLE } from '../reports/report.service.js';

const reportAlreadyEvidence = (citizenReportId: string) =>
  DomainError.conflict('That report is evidence already', 'REPORT_ALREADY_EVIDENCE', { citizenReportId });

export const CASE_COLUMNS = `c.id, c.target_kind AS "targetKind", c.household_id AS "householdId", c.institution_id AS "institutionId",
  c.floating_population AS "floatingPopulation", c.org_unit_id AS "orgUnitId", c.article_code AS "articleCode",
  a.title_zh AS "articleTitleZh", a.min_fine AS "minFine", a.max_fine AS "maxFine", a.appeal_window_days AS "appealWindowDays",
  c.evidence_description AS "evidenceDescription", c.evidence_upload_ids::text[] AS "evidenceUploadIds",
  c.evidence_inspection_ids::text[] AS "evidenceInspectionIds", c.action_finding_id AS "actionFindingId", c.citizen_report_id AS "citizenReportId", c.state, c.opened_at AS "openedAt", c.opened_by AS "openedBy",
  c.comply_by::text AS "complyBy", c.notice_text AS "noticeText", c.complied, c.follow_up_note AS "followUpNote",
  c.fine_amount AS "fineAmount", c.penalty_decided_on::text AS "penaltyDecidedOn", c.penalty_note AS "penaltyNote",
  c.appeal_deadline::text AS "appealDeadline", c.appeal_grounds AS "appealGrounds", c.appealed_at AS "appealedAt",
  c.appeal_outcome AS "appealOutcome", c.hearing_note AS "hearingNote", c.appeal_decided_at AS "appealDecidedAt",
  EXISTS (SELECT 1 FROM credit_export e WHERE e.case_id = c.id AND e.kind = 'RECORD') AS exported,
  fu.inspection_id AS "followUpInspectionId", fu.inspection_result AS "followUpInspectionResult", fu.inspected_at AS "followUpInspectedAt"`;
/** A case has at most one follow-up task (its primary key), so the left join never repeats a case. */
export const CASE_FROM = `enforcement_case c JOIN regulation_article a ON a.code = c.article_code
  LEFT JOIN case_follow_up_task fu ON fu.case_id = c.id`;
/** SQL: case `c` was found in unit `$unit` or below it. */
export const caseUnder = (unit: string) =>
  `EXISTS (SELECT 1 FROM territory_unit t WHERE t.id = c.org_unit_id AND t.path @> ARRAY[${unit}::uuid])`;

const MAX_TEXT = 2000;

interface Change {
  to: CaseState;
  set: Record<string, unknown>;
  note: string | null;
  /** More writes in the same transaction, after the case row is updated. */
  also?: (manager: EntityManager) => Promise<void>;
}

@Injectable()
export class CaseService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
    private readonly idempotency: Idempotency,
    private readonly evidence: EvidencePhotos,
  ) {}

  async regulationArticles(): Promise<RegulationArticle[]> {
    const rows = await queryRows<{
      code: string;
      titleZh: string;
      targetKinds: CaseTargetKind[];
      minFine: number;
      maxFine: number;
      appealWindowDays: number;
    }>(
      this.dataSource,
      `SELECT code, title_zh AS "titleZh", target_kinds AS "targetKinds", min_fine::float8 AS "minFine", max_fine::float8 AS "maxFine",
              appeal_window_days AS "appealWindowDays" FROM regulation_article ORDER BY code`,
    );
    return rows.map((row) => Object.assign(new RegulationArticle(), row));
  }

  async get(caller: Caller, id: string): Promise<Case> {
    const row = await queryFirst<CaseRow>(this.dataSource, `SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE c.id = $1`, [id]);
    if (!row) throw DomainError.notFound('Case', id);
    const company = propertyCompanyOf(caller);
    if (company) {
      if (row.targetKind !== CaseTargetKind.PROPERTY_COMPANY || row.institutionId !== company) {
        throw DomainError.forbidden('A property manager sees the cases against their own company', 'OUT_OF_SCOPE');
      }
    } else {
      await this.requireScope(caller, row.orgUnitId);
    }
    return Case.from(row);
  }

  /** Cases by id (for the assessment's counted cases), unscoped: the caller's scope was applied when choosing the ids. */
  async findMany(ids: readonly string[]): Promise<Case[]> {
    if (ids.length === 0) return [];
    const rows = await queryRows<CaseRow>(
      this.dataSource,
      `SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE c.id = ANY($1::uuid[]) ORDER BY c.opened_at, c.id`,
      [ids],
    );
    return rows.map((row) => Case.from(row));
  }

  /**
   * The case opened from each of the citizen reports `reportIds`, for the report's `evidenceCase`: only for callers who
   * read cases (CASE_READ) and only cases of their territory, so a report's filer never sees the case through it.
   */
  async openedFromReports(caller: Caller, reportIds: readonly string[]): Promise<(Case | null)[]> {
    if (!hasPermission(caller, Permission.CASE_READ)) return reportIds.map(() => null);
    const rows = await queryRows<CaseRow>(
      this.dataSource,
      `SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE c.citizen_report_id = ANY($1::uuid[])`,
      [reportIds],
    );
    const units = new Map((await this.territory.findMany([...new Set(rows.map((row) => row.orgUnitId))])).map((unit) => [unit.id, unit]));
    const visible = rows.filter((row) => actsForWholeDistrict(caller) || isWithinScope(caller, units.get(row.orgUnitId)?.path ?? []));
    const byReport = new Map(visible.map((row) => [row.citizenReportId, Case.from(row)]));
    return reportIds.map((id) => byReport.get(id) ?? null);
  }

  /** Cases of the caller's territory (a property manager: against their company, wherever), newest first. */
  async list(caller: Caller, args: CasesArgs): Promise<ConnectionShape<Case>> {
    const params = new SqlParams();
    const where: string[] = [];
    const company = propertyCompanyOf(caller);
    if (company) {
      where.push(`c.target_kind = 'PROPERTY_COMPANY'`, `c.institution_id = ${params.add(company)}::uuid`);
      if (args.orgUnitId) where.push(caseUnder(params.add(args.orgUnitId)));
    } else {
      if (caller.orgUnitId) where.push(caseUnder(params.add(caller.orgUnitId)));
      else if (!actsForWholeDistrict(caller)) where.push('false');
      if (args.orgUnitId) {
        const unit = await this.territory.requireInScope(caller, args.orgUnitId);
        where.push(caseUnder(params.add(unit.id)));
      }
    }
    if (args.state) where.push(`c.state = ${params.add(args.state)}`);
    if (args.targetKind) where.push(`c.target_kind = ${params.add(args.targetKind)}`);
    return fetchKeysetPage<CaseRow & { openedKey: string }, Case>(
      this.dataSource,
      args,
      {
        select: `${CASE_COLUMNS}, to_char(c.opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "openedKey"`,
        from: CASE_FROM,
        where,
        params,
        orderBy: ['c.opened_at', 'c.id'],
        descending: true,
        keyOf: (row) => [row.openedKey, row.id],
      },
      (rows) => rows.map((row) => Case.from(row)),
    );
  }

  /** The transitions of each case, oldest first (batched for a page of cases). */
  async historyOf(caseIds: readonly string[]): Promise<CaseHistoryEntry[][]> {
    const rows = await queryRows<{
      id: string;
      caseId: string;
      fromState: CaseState | null;
      toState: CaseState;
      at: Date;
      actor: string;
      note: string | null;
    }>(
      this.dataSource,
      `SELECT id, case_id AS "caseId", from_state AS "fromState", to_state AS "toState", at, actor, note
         FROM case_history WHERE case_id = ANY($1::uuid[]) ORDER BY at, id`,
      [caseIds],
    );
    const byCase = new Map<string, CaseHistoryEntry[]>(caseIds.map((id) => [id, []]));
    for (const row of rows) {
      byCase.get(row.caseId)?.push(Object.assign(new CaseHistoryEntry(), { ...row, toStateLabelZh: CASE_STATE_LABEL_ZH[row.toState] }));
    }
    return caseIds.map((id) => byCase.get(id)!);
  }

  /**
   * Opens a case. With an idempotency key, a retry (an officer's phone on a flaky network) answers the case the first
   * request opened instead of opening a second one; the same key with another input is CONFLICT.
   */
  async open(caller: Caller, input: OpenCaseInput, idempotencyKey?: string | null): Promise<Case> {
    const household = input.targetKind === CaseTargetKind.HOUSEHOLD;
    if (household ? !input.householdId : !input.institutionId) {
      throw DomainError.badInput(
        household ? 'A household case needs householdId' : 'A property company or unit case needs institutionId',
        'TARGET_MISSING',
      );
    }
    if (household ? input.institutionId : input.householdId) {
      throw DomainError.badInput('Give householdId for HOUSEHOLD cases and institutionId otherwise, not both', 'TARGET_MISMATCH');
    }
    if (!household && input.floatingPopulation) {
      throw DomainError.badInput('floatingPopulation applies to household cases only', 'TARGET_MISMATCH');
    }
    const description = requireText(input.evidenceDescription, 'evidenceDescription', MAX_TEXT, 'INVALID_EVIDENCE');
    const article = await queryFirst<{ code: string; targetKinds: CaseTargetKind[] }>(
      this.dataSource,
      `SELECT code, target_kinds AS "targetKinds" FROM regulation_article WHERE code = $1`,
      [input.articleCode],
    );
    if (!article)
      throw DomainError.badInput(`Unknown regulation article ${input.articleCode}`, 'UNKNOWN_ARTICLE', { articleCode: input.articleCode });
    if (!article.targetKinds.includes(input.targetKind)) {
      throw DomainError.badInput(`Article ${article.code} does not apply to ${input.targetKind}`, 'ARTICLE_NOT_APPLICABLE', {
        articleCode: article.code,
        targetKinds: article.targetKinds,
      });
    }
    const location = await this.territory.requireInScope(caller, input.orgUnitId);
    const target = household ? await this.householdTarget(caller, input.householdId!, location) : null;
    if (input.actionFindingId && input.citizenReportId) {
      throw DomainError.badInput('A case follows up a finding or a report, not both', 'ONE_SOURCE');
    }
    const finding = input.actionFindingId ? await this.findingFor(input) : null;
    const report = input.citizenReportId ? await this.reportFor(caller, input, target) : null;
    const sourcePhotos = finding?.photoIds ?? report?.photoIds ?? [];
    const uploadIds = [...new Set([...(input.evidenceUploadIds ?? []), ...sourcePhotos])];
    const insert = async (db: DataSource | EntityManager): Promise<string> => {
      try {
        const { id } = await queryOne<{ id: string }>(
          db,
          `WITH created AS (
             INSERT INTO enforcement_case (target_kind, household_id, institution_id, floating_population, org_unit_id, article_code,
                                           evidence_description, evidence_upload_ids, evidence_inspection_ids, action_finding_id, citizen_report_id,
                                           state, opened_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8::uuid[], $9::uuid[], $11, $12, 'OPENED', $10)
             RETURNING id, opened_at
           ), history AS (
             INSERT INTO case_history (case_id, from_state, to_state, at, actor) SELECT id, NULL, 'OPENED', opened_at, $10 FROM created
           )
           SELECT id FROM created`,
          [
            input.targetKind,
            household ? input.householdId : null,
            household ? null : input.institutionId,
            target?.floatingPopulation ?? false,
            input.orgUnitId,
            article.code,
            description,
            uploadIds,
            [...new Set(input.evidenceInspectionIds ?? [])],
            caller.userId,
            finding?.id ?? null,
            report?.id ?? null,
          ],
        );
        // The report becomes evidence once, whatever it becomes: this guarded UPDATE is the one place that decides it
        // (a concurrent opening waits for the row lock, then finds it taken and rolls its case back).
        if (report) {
          const taken = await execute(
            db,
            `UPDATE citizen_report SET evidence_kind = 'CASE', evidence_at = now()
              WHERE id = $1 AND evidence_kind IS NULL AND verified_at IS NOT NULL AND status <> ALL($2::text[])`,
            [report.id, UNVERIFIABLE],
          );
          if (taken === 0) throw reportAlreadyEvidence(report.id);
        }
        return id;
      } catch (error) {
        // The unique key on action_finding_id decides, also between two officers opening a case from one finding at once.
        if (finding && isPostgresError(error, PostgresErrorCode.UniqueViolation)) {
          throw DomainError.conflict('A case has already been opened from that finding', 'FINDING_ALREADY_OPENED', {
            actionFindingId: finding.id,
          });
        }
        if (report && isPostgresError(error, PostgresErrorCode.UniqueViolation)) throw reportAlreadyEvidence(report.id);
        throw error;
      }
    };
    // Photos sent with the case become its evidence (households: the officer's own uploads, each once), written with the
    // case or not at all; a finding's photos are already the finding's evidence and join the case as they are.
    const cited = [...new Set(input.evidenceUploadIds ?? [])].filter((photo) => !sourcePhotos.includes(photo));
    const { id } = await this.evidence.within(caller, (cite) => {
      const open = async (manager: EntityManager) => {
        const id = await insert(manager);
        await cite(cited, { kind: EvidenceRecord.CASE, recordId: id, orgUnitId: input.orgUnitId });
        return { id };
      };
      return idempotencyKey
        ? this.idempotency.run(caller, idempotencyKey, 'openCase', { ...input }, open)
        : this.dataSource.transaction(open);
    });
    return this.get(caller, id);
  }

  /**
   * The household a case names, from enforcement's copy of the registry: it must be registered (not removed), lie in the
   * caller's territory, and the case must have been found at its compound or a unit containing it. The copy's floating
   * population is what the case keeps, whatever the officer sent: it decides where a penalty is exported.
   */
  private async householdTarget(caller: Caller, householdId: string, location: TerritoryUnit): Promise<CopiedHousehold> {
    const found = await findCopiedHousehold(this.dataSource, householdId);
    // A compound the territory copy does not hold yet cannot be placed: as unknown as the household, until it arrives.
    if (!found || found.removed || !found.compoundPath) throw DomainError.notFound('Household', householdId);
    if (!isWithinScope(caller, found.compoundPath)) throw DomainError.forbidden('That household is outside your territory', 'OUT_OF_SCOPE');
    if (!found.compoundPath.includes(location.id)) {
      throw DomainError.badInput(
        "A household case is found at the household's compound or a unit containing it",
        'LOCATION_NOT_HOUSEHOLDS',
        {
          householdId,
          orgUnitId: location.id,
          compoundId: found.compoundId,
        },
      );
    }
    return found;
  }

  /** The finding a case is opened from, checked to be about the case's target: a case never follows up someone else's finding. */
  private async findingFor(input: OpenCaseInput): Promise<{ id: string; photoIds: string[] }> {
    const finding = await queryFirst<{
      id: string;
      targetKind: FindingTargetKind;
      householdId: string | null;
      propertyCompanyId: string | null;
      orgUnitId: string | null;
      photoIds: string[];
    }>(
      this.dataSource,
      `SELECT id, target_kind AS "targetKind", household_id AS "householdId", property_company_id AS "propertyCompanyId",
              org_unit_id AS "orgUnitId", photo_ids::text[] AS "photoIds"
         FROM action_finding WHERE id = $1`,
      [input.actionFindingId],
    );
    if (!finding) throw DomainError.notFound('Action finding', input.actionFindingId!);
    const matches =
      finding.targetKind === FindingTargetKind.HOUSEHOLD
        ? input.targetKind === CaseTargetKind.HOUSEHOLD && input.householdId === finding.householdId
        : finding.targetKind === FindingTargetKind.PROPERTY_COMPANY
          ? input.targetKind === CaseTargetKind.PROPERTY_COMPANY && input.institutionId === finding.propertyCompanyId
          : input.targetKind === CaseTargetKind.UNIT && input.orgUnitId === finding.orgUnitId;
    if (!matches) {
      throw DomainError.badInput("The finding is about another target than the case's", 'FINDING_TARGET_MISMATCH', {
        actionFindingId: finding.id,
        findingTargetKind: finding.targetKind,
      });
    }
    return { id: finding.id, photoIds: finding.photoIds };
  }

  /**
   * The citizen report a case is opened from: in the caller's territory, verified by a handler and not rejected or a
   * duplicate, not yet evidence, and about the case's place: the report's compound must be the place found or lie in
   * it, and a household case's household must live in that compound. Its photos (already the report's evidence) join
   * the case as they are.
   */
  private async reportFor(
    caller: Caller,
    input: OpenCaseInput,
    household: CopiedHousehold | null,
  ): Promise<{ id: string; photoIds: string[] }> {
    const report = await queryFirst<{
      id: string;
      status: ReportStatus;
      compoundId: string | null;
      unitPath: string[];
      verifiedAt: Date | null;
      evidenceKind: ReportEvidenceKind | null;
      photoIds: string[];
    }>(
      this.dataSource,
      `SELECT id, status, org_unit_id AS "compoundId", unit_path::text[] AS "unitPath", verified_at AS "verifiedAt", evidence_kind AS "evidenceKind",
              photo_upload_ids::text[] AS "photoIds"
         FROM citizen_report WHERE id = $1`,
      [input.citizenReportId],
    );
    if (!report) throw DomainError.notFound('CitizenReport', input.citizenReportId!);
    if (!isWithinScope(caller, report.unitPath)) throw DomainError.forbidden('That report is outside your territory', 'OUT_OF_SCOPE');
    if (!report.verifiedAt || UNVERIFIABLE.includes(report.status)) {
      throw DomainError.conflict('Only a report a handler verified (verifyReport) becomes evidence', 'REPORT_NOT_VERIFIED', {
        citizenReportId: report.id,
        status: report.status,
      });
    }
    if (report.evidenceKind) throw reportAlreadyEvidence(report.id);
    const placed =
      report.compoundId !== null && report.unitPath.includes(input.orgUnitId) && (!household || household.compoundId === report.compoundId);
    if (!placed) {
      throw DomainError.badInput("The report is about another place than the case's", 'REPORT_LOCATION_MISMATCH', {
        citizenReportId: report.id,
        compoundId: report.compoundId,
        orgUnitId: input.orgUnitId,
      });
    }
    return { id: report.id, photoIds: report.photoIds };
  }

  issueRectificationNotice(caller: Caller, args: IssueRectificationNoticeArgs): Promise<Case> {
    const notice = requireText(args.notice, 'notice', MAX_TEXT, 'INVALID_NOTICE');
    const today = shanghaiDate();
    if (args.complyBy <= today || args.complyBy > addDays(today, 366)) {
      throw DomainError.badInput('complyBy must be after today and at most a year ahead', 'INVALID_COMPLY_BY', {
        complyBy: args.complyBy,
        today,
      });
    }
    return this.transition(caller, args.caseId, TRANSITIONS.issueRectificationNotice.from, () => ({
      to: CaseState.RECTIFICATION_NOTICE_ISSUED,
      set: { comply_by: args.complyBy, notice_text: notice },
      note: `整改期限 ${args.complyBy}`,
    }));
  }

  recordFollowUp(caller: Caller, args: RecordFollowUpArgs): Promise<Case> {
    const note = args.note?.trim() ? requireText(args.note, 'note', MAX_TEXT, 'INVALID_NOTE') : null;
    return this.transition(caller, args.caseId, TRANSITIONS.recordFollowUp.from, () => ({
      to: args.complied ? CaseState.CLOSED : CaseState.NOT_RECTIFIED,
      set: { complied: args.complied, follow_up_note: note },
      note,
      also: async (manager) => {
        await execute(manager, `UPDATE case_follow_up_task SET completed_at = now() WHERE case_id = $1 AND completed_at IS NULL`, [
          args.caseId,
        ]);
      },
    }));
  }

  penalise(caller: Caller, args: PenaliseArgs): Promise<Case> {
    const note = requireText(args.decisionNote, 'decisionNote', MAX_TEXT, 'INVALID_NOTE');
    if (!Number.isFinite(args.amount) || args.amount <= 0 || Math.abs(Math.round(args.amount * 100) - args.amount * 100) > 1e-6) {
      throw DomainError.badInput('amount must be a positive number of yuan with at most two decimals', 'INVALID_AMOUNT');
    }
    const today = shanghaiDate();
    const decidedOn = args.decidedOn ?? today;
    if (decidedOn > today) throw DomainError.badInput('decidedOn cannot be in the future', 'INVALID_DECISION_DATE', { decidedOn, today });
    return this.transition(caller, args.caseId, TRANSITIONS.penalise.from, (row) => {
      const [min, max] = [Number(row.minFine), Number(row.maxFine)];
      if (args.amount < min || args.amount > max) {
        throw DomainError.badInput(`Article ${row.articleCode} allows fines of ${min}–${max} CNY`, 'FINE_OUT_OF_RANGE', {
          articleCode: row.articleCode,
          min,
          max,
          amount: args.amount,
        });
      }
      if (decidedOn < shanghaiDate(row.openedAt)) {
        throw DomainError.badInput('decidedOn is before the case was opened', 'INVALID_DECISION_DATE', { decidedOn });
      }
      const deadline = addDays(decidedOn, row.appealWindowDays);
      return {
        to: CaseState.PENALISED,
        set: { fine_amount: args.amount, penalty_decided_on: decidedOn, penalty_note: note, appeal_deadline: deadline },
        note: `罚款 ${args.amount} 元；申诉期至 ${deadline}`,
      };
    });
  }

  appealPenalty(caller: Caller, args: AppealPenaltyArgs): Promise<Case> {
    const grounds = requireText(args.grounds, 'grounds', MAX_TEXT, 'INVALID_GROUNDS');
    return this.transition(caller, args.caseId, TRANSITIONS.appealPenalty.from, (row) => {
      const today = shanghaiDate();
      if (today > row.appealDeadline!) {
        throw DomainError.badInput(`The appeal window ended on ${row.appealDeadline}`, 'APPEAL_WINDOW_CLOSED', {
          appealDeadline: row.appealDeadline,
          today,
        });
      }
      if (row.exported) {
        throw DomainError.badInput('The penalty is final and has been exported: the appeal window is closed', 'APPEAL_WINDOW_CLOSED', {
          appealDeadline: row.appealDeadline,
          today,
        });
      }
      return { to: CaseState.APPEALED, set: { appeal_grounds: grounds, appealed_at: new Date() }, note: grounds };
    });
  }

  decideAppeal(caller: Caller, args: DecideAppealArgs): Promise<Case> {
    const hearingNote = requireText(args.hearingNote, 'hearingNote', MAX_TEXT, 'INVALID_NOTE');
    const upheld = args.outcome === AppealOutcome.UPHELD;
    return this.transition(caller, args.caseId, TRANSITIONS.decideAppeal.from, () => ({
      to: upheld ? CaseState.UPHELD : CaseState.OVERTURNED,
      set: { appeal_outcome: args.outcome, hearing_note: hearingNote, appeal_decided_at: new Date() },
      note: hearingNote,
      also: upheld ? undefined : async (manager) => void (await retractIfExported(manager, args.caseId, 'APPEAL_OVERTURNED')),
    }));
  }

  revokePenalty(caller: Caller, args: RevokePenaltyArgs): Promise<Case> {
    const note = requireText(args.note, 'note', MAX_TEXT, 'INVALID_NOTE');
    return this.transition(caller, args.caseId, TRANSITIONS.revokePenalty.from, () => ({
      to: CaseState.REVOKED,
      set: {},
      note,
      also: async (manager) => void (await retractIfExported(manager, args.caseId, 'PENALTY_REVOKED')),
    }));
  }

  /**
   * One transition in one transaction: locks the case, checks scope and that its state allows the action
   * (CONFLICT / INVALID_TRANSITION otherwise), lets `decide` validate against the locked row, then updates the case
   * and appends to its history. A refusal writes nothing.
   */
  private async transition(caller: Caller, id: string, from: readonly CaseState[], decide: (row: CaseRow) => Change): Promise<Case> {
    await this.dataSource.transaction(async (manager) => {
      // Lock first, then read in a new statement: its snapshot sees what a concurrent export scan committed meanwhile.
      await execute(manager, `SELECT id FROM enforcement_case WHERE id = $1 FOR UPDATE`, [id]);
      const row = await queryFirst<CaseRow>(manager, `SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE c.id = $1`, [id]);
      if (!row) throw DomainError.notFound('Case', id);
      await this.requireScope(caller, row.orgUnitId);
      if (!from.includes(row.state)) {
        throw DomainError.conflict(`A case in state ${row.state} cannot do that`, 'INVALID_TRANSITION', {
          state: row.state,
          allowedFrom: from,
        });
      }
      const change = decide(row);
      const params = new SqlParams();
      params.add(id);
      const sets = Object.entries(change.set).map(([column, value]) => `${column} = ${params.add(value)}`);
      await execute(
        manager,
        `UPDATE enforcement_case SET state = ${params.add(change.to)}, updated_at = now()${sets.map((s) => `, ${s}`).join('')} WHERE id = $1`,
        params.values,
      );
      await execute(manager, `INSERT INTO case_history (case_id, from_state, to_state, actor, note) VALUES ($1, $2, $3, $4, $5)`, [
        id,
        row.state,
        change.to,
        caller.userId,
        change.note,
      ]);
      await change.also?.(manager);
    });
    return this.get(caller, id);
  }

  private async requireScope(caller: Caller, orgUnitId: string): Promise<void> {
    if (actsForWholeDistrict(caller)) return;
    const unit = await this.territory.find(orgUnitId);
    if (!unit || !isWithinScope(caller, unit.path)) throw DomainError.forbidden('That case is outside your territory', 'OUT_OF_SCOPE');
  }
}
